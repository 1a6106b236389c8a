from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from certtrack.forms import PlainText
from certtrack.i18n import LOCALES


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), PlainText()])
    locale = SelectField(_l("Language"), choices=list(LOCALES.items()))
    submit = SubmitField(_l("Save"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", message=_l("The passwords differ."))],
    )
    # A new password signs out every other device and retires the API tokens, unless
    # the user keeps the tokens (a program's token is not a stolen browser).
    keep_api_tokens = BooleanField(_l("Keep my API tokens working"))
    submit = SubmitField(_l("Change the password"))
