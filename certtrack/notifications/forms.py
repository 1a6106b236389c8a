from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class SettingsForm(FlaskForm):
    wants_digest = BooleanField(_l("The weekly digest (coordinators)"))
    wants_recommendation_reminders = BooleanField(
        _l("Reminders about recommendations coming due or overdue")
    )
    submit = SubmitField(_l("Save"))
