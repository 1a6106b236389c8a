from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from certtrack.extensions import csrf, db
from certtrack.models import OutboxMessage, Role
from certtrack.notifications.forms import SettingsForm
from certtrack.services import access, unsubscribe
from certtrack.services.dispatch import retry_failed
from certtrack.services.transaction import committed
from certtrack.web import actor, form_status, paginate, roles_required

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index() -> str:
    """The messages that concern the signed-in user, newest first."""
    query = access.own_messages(actor()).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    page = paginate(query)
    return render_template("notifications/index.html", page=page)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> str | Response | tuple[str, int]:
    user = actor()
    form = SettingsForm(obj=user)
    if form.validate_on_submit():
        with committed():
            user.wants_digest = bool(form.wants_digest.data)
            user.wants_recommendation_reminders = bool(form.wants_recommendation_reminders.data)
            user.wants_conversation_messages = bool(form.wants_conversation_messages.data)
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), form_status(form)


@bp.get("/failed")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def failed() -> str:
    query = (
        access.failed_messages(actor())
        .options(joinedload(OutboxMessage.recipient))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    page = paginate(query)
    return render_template("notifications/failed.html", page=page)


@bp.post("/failed/<int:message_id>/retry")
@roles_required(Role.ADMIN, Role.COORDINATOR)
def retry(message_id: int) -> Response:
    query = access.failed_messages(actor()).where(OutboxMessage.id == message_id)
    message = db.session.scalar(query)
    if message is None:
        abort(404)
    retry_failed(message)
    flash(_("The message goes out again with the next dispatch."), "success")
    return redirect(url_for("notifications.failed"))


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """Ask before turning off: link scanners follow links with GET, people press."""
    found = unsubscribe.read(token)
    return render_template("notifications/unsubscribe.html", found=found, token=token, done=False)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # mail clients post here (RFC 8058) with no session: the signed token is the proof
def unsubscribe_now(token: str) -> str:
    done = unsubscribe.turn_off(token)
    return render_template("notifications/unsubscribe.html", found=done, token=token, done=True)
