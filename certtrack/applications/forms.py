from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from certtrack.forms import PlainText, areas_field


class AssignForm(FlaskForm):
    version = HiddenField()
    consultant_id = RadioField(_l("Consultant"), coerce=int, validators=[DataRequired()])
    comment = TextAreaField(
        _l("Note for the history (optional)"),
        validators=[Length(max=4000), PlainText(multiline=True)],
    )
    submit = SubmitField(_l("Assign"))


class VisitForm(FlaskForm):
    """Gold's on-site visit; the service checks the dates (services.visits)."""

    version = HiddenField()
    visit_starts_on = DateField(_l("First day of the visit"), validators=[Optional()])
    visit_ends_on = DateField(_l("Last day of the visit"), validators=[Optional()])
    submit = SubmitField(_l("Save the visit's dates"))


def improvement_areas_form(count: int, **kwargs: Any) -> FlaskForm:
    """The manager's form naming Silver's `count` improvement areas."""

    class ImprovementAreasForm(FlaskForm):
        areas = areas_field(count)
        submit = SubmitField(_l("Save the improvement areas"))

    return ImprovementAreasForm(**kwargs)
