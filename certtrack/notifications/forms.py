from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from certtrack.services.unsubscribe import PREFERENCES


class SettingsForm(FlaskForm):
    wants_digest = BooleanField(PREFERENCES["wants_digest"])
    wants_recommendation_reminders = BooleanField(PREFERENCES["wants_recommendation_reminders"])
    wants_conversation_messages = BooleanField(PREFERENCES["wants_conversation_messages"])
    submit = SubmitField(_l("Save"))
