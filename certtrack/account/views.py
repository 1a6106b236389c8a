from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from certtrack.account.forms import PasswordForm, ProfileForm
from certtrack.i18n import LOCALES
from certtrack.models.base import utcnow
from certtrack.safe_redirect import back
from certtrack.services import sessions
from certtrack.services.outbox import external_url
from certtrack.services.tokens import (
    api_tokens,
    has_calendar_feed,
    issue_api_token,
    new_calendar_feed,
    revoke_api_token,
    revoke_calendar_feed,
)
from certtrack.services.users import change_password, update_profile
from certtrack.web import actor, current_session, form_status, save_form
from certtrack.workflow.errors import InvalidParams

bp = Blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> str | Response | tuple[str, int]:
    user = actor()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        locale = form.locale.data or ""
        with force_locale(locale if locale in LOCALES else None):
            done = save_form(
                form,
                lambda: update_profile(user, name=form.name.data or "", locale=locale),
                _("Your profile is saved."),
                url_for("account.profile"),
            )
        if done:
            session["locale"] = locale  # this session follows the new choice at once
            return done
    page = render_template(
        "account/profile.html",
        form=form,
        sessions=sessions.active_sessions(user),
        this_session=current_session().id,
    )
    return page, form_status(form)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    """Sign another device out; this one signs out with the button in the menu."""
    if session_id == current_session().id or not sessions.end(actor(), session_id):
        abort(404)
    flash(_("That session is ended."), "success")
    return redirect(url_for("account.profile"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions() -> Response:
    sessions.end_others(actor(), keep=current_session().id)
    flash(_("Every other session is ended."), "success")
    return redirect(url_for("account.profile"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int]:
    form = PasswordForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: change_password(
                actor(),
                current=form.current.data or "",
                new=form.new.data or "",
                session_id=current_session().id,
                keep_api_tokens=bool(form.keep_api_tokens.data),
            ),
            _("Your password is changed; every other session is ended."),
            url_for("account.profile"),
        )
        if done:
            return done
    return render_template("account/password.html", form=form), form_status(form)


@bp.post("/locale")
def switch_locale() -> Response:
    """The language switcher: remembered on the account when signed in, else in the
    session."""
    locale = request.form.get("locale", "")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            user = actor()
            update_profile(user, name=user.name, locale=locale)
    return redirect(back(url_for("main.index")))


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str | tuple[str, int]:
    """The user's API tokens; a new one's secret is shown once, here."""
    user, secret, status = actor(), None, 200
    if request.method == "POST":
        try:
            _token, secret = issue_api_token(user, request.form.get("name", ""))
        except InvalidParams as error:
            flash(error.message, "danger")
            status = 422
        else:
            status = 201
    return render_template(
        "account/tokens.html", tokens=api_tokens(user), secret=secret, now=utcnow()
    ), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not revoke_api_token(actor(), token_id):
        abort(404)
    flash(_("The token is revoked."), "success")
    return redirect(url_for("account.tokens"))


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def calendar() -> str:
    """The secret address of the user's calendar feed: a new one replaces the old."""
    user, feed_url = actor(), None
    if request.method == "POST":
        secret = new_calendar_feed(user)
        feed_url = external_url(url_for("labels.calendar_feed", secret=secret))
    return render_template(
        "account/calendar.html", feed_url=feed_url, active=has_calendar_feed(user)
    )


@bp.post("/account/calendar/revoke")
@login_required
def revoke_calendar() -> Response:
    revoke_calendar_feed(actor())
    flash(_("The calendar address no longer works."), "success")
    return redirect(url_for("account.calendar"))
