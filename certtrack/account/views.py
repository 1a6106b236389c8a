from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from certtrack.account.forms import PasswordForm, ProfileForm
from certtrack.i18n import LOCALES
from certtrack.services.users import change_password, update_profile
from certtrack.web import actor, form_status, save_form

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
            return done
    return render_template("account/profile.html", form=form), form_status(form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int]:
    form = PasswordForm()
    if form.validate_on_submit():
        done = save_form(
            form,
            lambda: change_password(
                actor(), current=form.current.data or "", new=form.new.data or ""
            ),
            _("Your password is changed."),
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
    target = request.referrer or url_for("main.index")
    return redirect(target if target.startswith(request.host_url) else url_for("main.index"))
