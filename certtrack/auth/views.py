from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from certtrack.auth.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from certtrack.i18n import visitor_locale
from certtrack.models import User
from certtrack.models.base import utcnow
from certtrack.safe_redirect import local_path
from certtrack.services import sessions, throttle
from certtrack.services.account_links import user_for_token
from certtrack.services.invitations import request_password_reset
from certtrack.services.users import check_credentials, record_sign_in, set_password
from certtrack.web import actor, current_session, form_status

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if form.validate_on_submit():
        now = utcnow()
        try:
            user = check_credentials(
                form.email.data or "", form.password.data or "", request.remote_addr or "-", now
            )
        except throttle.SignInLocked as locked:
            form.password.errors.append(str(locked))
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            record_sign_in(user, now, visitor_locale())
            _start_session(user, remember=bool(form.remember.data))
            return redirect(local_path(request.args.get("next"), url_for("dashboard.home")))
        form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout() -> Response:
    """Ends the session on the server too: copies of its cookies stop working."""
    if current_user.is_authenticated:
        sessions.end(actor(), current_session().id)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


def _start_session(user: User, remember: bool = False) -> None:
    """A new server-side session, and Flask-Login's cookies carrying its secret."""
    g.user_session = sessions.start(
        user, remember=remember, user_agent=request.user_agent.string, ip=request.remote_addr
    )
    login_user(user, remember=remember, duration=sessions.remembered_lifetime())


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data or "")
        flash(
            _("If an account has this address, a link to set a new password is on its way."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), form_status(form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    return _set_password(token, "reset", _("Your new password is set."))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    return _set_password(token, "invitation", _("Welcome to certtrack; your password is set."))


def _set_password(token: str, purpose: str, done: str) -> str | Response | tuple[str, int]:
    """Redeem a signed link: choose a password, then sign in."""
    user = user_for_token(token, purpose)
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(user, form.password.data or "")
        throttle.clear(user.email)
        record_sign_in(user, utcnow(), visitor_locale())
        _start_session(user)
        flash(done, "success")
        return redirect(url_for("dashboard.home"))
    page = render_template("auth/set_password.html", form=form, user=user, purpose=purpose)
    return page, form_status(form)
