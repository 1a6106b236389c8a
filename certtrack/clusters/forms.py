from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from certtrack.forms import MultiCheckboxField, PlainText
from certtrack.models import Level, MemberType
from certtrack.vocabulary import NAMES, PROFILE_FIELDS


class ClusterForm(FlaskForm):
    agency_id = SelectField(_l("Agency"), coerce=int)
    name = StringField(
        PROFILE_FIELDS["name"], validators=[DataRequired(), Length(max=200), PlainText()]
    )
    country = StringField(
        PROFILE_FIELDS["country"],
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{2}$", message=_l("Two letters, e.g. IT."))],
    )
    region = StringField(
        PROFILE_FIELDS["region"], validators=[Optional(), Length(max=120), PlainText()]
    )
    sector = StringField(
        PROFILE_FIELDS["sector"], validators=[Optional(), Length(max=200), PlainText()]
    )
    website = URLField(
        PROFILE_FIELDS["website"], validators=[Optional(), Length(max=300), PlainText()]
    )
    website_in_english = BooleanField(PROFILE_FIELDS["website_in_english"])
    eccp_listed = BooleanField(PROFILE_FIELDS["eccp_listed"])
    staff_fte = DecimalField(
        PROFILE_FIELDS["staff_fte"], places=2, validators=[Optional(), NumberRange(min=0, max=9999)]
    )
    committed_members = IntegerField(
        PROFILE_FIELDS["committed_members"], validators=[Optional(), NumberRange(min=0)]
    )
    member_types = MultiCheckboxField(
        PROFILE_FIELDS["member_types"], choices=[(m.value, NAMES[m]) for m in MemberType]
    )
    description = TextAreaField(
        PROFILE_FIELDS["description"], validators=[Length(max=10000), PlainText(multiline=True)]
    )
    submit = SubmitField(_l("Save"))

    def profile(self) -> dict[str, object]:
        """The profile fields as the clusters service takes them."""
        return {name: self[name].data for name in PROFILE_FIELDS}


class StartApplicationForm(FlaskForm):
    level = SelectField(_l("Label"), choices=[(lv.value, NAMES[lv]) for lv in Level])
    submit = SubmitField(_l("Start an application"))


class InviteManagerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), PlainText()])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send the invitation"))
