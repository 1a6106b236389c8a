from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack.conversation.forms import MessageForm
from certtrack.models import Application
from certtrack.services import access, conversation
from certtrack.web import actor, form_status, paginate, save_form
from certtrack.workflow.permissions import reads_internal_notes

bp = Blueprint("conversation", __name__)


@bp.route("/applications/<int:application_id>/conversation", methods=["GET", "POST"])
@login_required
def thread(application_id: int) -> str | Response | tuple[str, int]:
    """The whole conversation, newest last, page by page (the last page first), with
    the form to post; a refused post comes back with its text and the reason."""
    user = actor()
    application = access.get_application(user, application_id)
    form = MessageForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: conversation.post(
                application, user, form.body.data or "", internal=bool(form.internal.data)
            ),
            _("Your message is posted."),
            lambda message: conversation.thread_link(application.id, message.id),
        )
        if done:
            return done
    return _page(application, form), form_status(form)


def _page(application: Application, form: MessageForm) -> str:
    user = actor()
    page = paginate(conversation.messages(user, application), last_first=True)
    return render_template(
        "conversation/thread.html",
        app=application,
        page=page,
        form=form,
        may_post=conversation.may_post(user, application),
        may_note=conversation.may_post(user, application, internal=True),
        muted=conversation.is_muted(user, application),
        sees_notes=reads_internal_notes(user, application),
    )


@bp.post("/applications/<int:application_id>/conversation/mute")
@login_required
def mute(application_id: int) -> Response:
    return _set_muted(application_id, True, _("You will hear no more of this conversation."))


@bp.post("/applications/<int:application_id>/conversation/unmute")
@login_required
def unmute(application_id: int) -> Response:
    return _set_muted(application_id, False, _("You will hear of new messages again."))


def _set_muted(application_id: int, muted: bool, message: str) -> Response:
    user = actor()
    application = access.get_application(user, application_id)
    conversation.set_muted(user, application, muted)
    flash(message, "success")
    return redirect(url_for("conversation.thread", application_id=application.id))
