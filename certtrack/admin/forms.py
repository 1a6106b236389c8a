import dataclasses
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from certtrack.forms import PlainText
from certtrack.i18n import LOCALES
from certtrack.models import Level, Role
from certtrack.vocabulary import NAMES
from certtrack.workflow.policy import Policy


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), PlainText()])
    role = SelectField(_l("Role"), choices=[(r.value, NAMES[r]) for r in Role])
    agency_id = SelectField(_l("Agency (coordinators)"), coerce=int)
    cluster_id = SelectField(_l("Cluster (managers)"), coerce=int)
    country = StringField(
        _l("Country (consultants)"), validators=[Optional(), Length(min=2, max=2), PlainText()]
    )
    languages = StringField(
        _l("Languages (consultants), e.g. it, en"), validators=[Length(max=100), PlainText()]
    )
    affiliation = StringField(
        _l("Organisation (consultants)"), validators=[Length(max=200), PlainText()]
    )
    conflicts = SelectMultipleField(_l("Declared conflicts of interest (consultants)"), coerce=int)
    locale = SelectField(_l("Language"), choices=list(LOCALES.items()))
    active = BooleanField(_l("May sign in"), default=True)
    submit = SubmitField(_l("Save"))


class AgencyForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), PlainText()])
    short_name = StringField(
        _l("Short name"), validators=[DataRequired(), Length(max=40), PlainText()]
    )
    country = StringField(
        _l("Country"), validators=[DataRequired(), Length(min=2, max=2), PlainText()]
    )
    region = StringField(_l("Region"), validators=[DataRequired(), Length(max=120), PlainText()])
    website = URLField(_l("Website"), validators=[Optional(), Length(max=300), PlainText()])
    submit = SubmitField(_l("Save"))


class RevokeLabelForm(FlaskForm):
    reason = StringField(
        _l("Reason (shown on the public page)"),
        validators=[DataRequired(), Length(max=300), PlainText()],
    )
    submit = SubmitField(_l("Revoke the label"))


SETTING_LABELS = {
    "min_staff_fte": _l("Minimum cluster management staff (FTE)"),
    "min_committed_members": _l("Minimum committed members"),
    "min_member_types": _l("Minimum member types"),
    "require_english_website": _l("Require a website in English"),
    "require_eccp_listing": _l("Require a listing on the ECCP"),
    "silver_window_min_months": _l("Silver: earliest months after the Bronze interview"),
    "silver_window_max_months": _l("Silver: latest months after the Bronze interview"),
    "silver_improvement_areas": _l("Silver: improvement areas"),
    "gold_prerequisite": _l("Gold: lowest label held before"),
    "gold_pass_percent": _l("Gold: share of the total score needed (%)"),
    "forbid_same_consultant_twice": _l("Refuse the previous process's consultant"),
    "bronze_validity_months": _l("Bronze validity (months)"),
    "silver_validity_months": _l("Silver validity (months)"),
    "gold_validity_months": _l("Gold validity (months)"),
    "renewal_validity_months": _l("Validity of a renewal (months)"),
    "grace_months": _l("Grace period after expiry (months)"),
    "renewal_window_days": _l("Renewal window before the end (days)"),
    "review_due_days": _l("Report due after assignment (days)"),
    "reminder_days": _l("Reminders before a label ends (days, comma-separated)"),
    "grace_reminder_days": _l("Reminders before the grace period ends (days)"),
    "recommendation_due_days": _l("Reminder before a recommendation is due (days)"),
    "peer_group_minimum": _l("Report: fewest peers a group needs to show figures"),
    "gold_evidence_days_before_visit": _l("Gold: evidence due before the visit (days)"),
    "gold_evidence_reminder_days": _l(
        "Gold: reminders before the evidence is due (days, comma-separated)"
    ),
    "gold_visit_max_days": _l("Gold: longest visit (days)"),
}


def settings_form(policy: Policy) -> FlaskForm:
    """One field per setting of the policy, typed after its default."""

    class SettingsForm(FlaskForm):
        submit = SubmitField(_l("Save the settings"))

    for field in dataclasses.fields(Policy):
        label = SETTING_LABELS.get(field.name, field.name)
        value = getattr(policy, field.name)
        form_field: Field
        if isinstance(value, bool):
            form_field = BooleanField(label, default=value)
        elif field.name == "gold_prerequisite":
            choices = [("none", _l("None"))] + [(lv.value, NAMES[lv]) for lv in Level]
            form_field = SelectField(
                label, choices=choices, default=value.value if value else "none"
            )
        else:
            shown = str(value) if isinstance(value, int | Decimal) else ",".join(map(str, value))
            form_field = StringField(label, default=shown, validators=[DataRequired()])
        setattr(SettingsForm, field.name, form_field)
    return SettingsForm()
