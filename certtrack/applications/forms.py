from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from certtrack.forms import PlainText


class AssignForm(FlaskForm):
    version = HiddenField()
    consultant_id = RadioField(_l("Consultant"), coerce=int, validators=[DataRequired()])
    comment = TextAreaField(
        _l("Note for the history (optional)"),
        validators=[Length(max=4000), PlainText(multiline=True)],
    )
    submit = SubmitField(_l("Assign"))


class AreaForm(FlaskForm):
    class Meta:
        csrf = False  # part of an outer form that carries the token

    title = StringField(_l("Improvement area"), validators=[Length(max=200), PlainText()])
    effect = TextAreaField(
        _l("Expected effect"), validators=[Length(max=10000), PlainText(multiline=True)]
    )


def areas_field(count: int) -> FieldList:
    """As many improvement areas as the scheme asks for (setting silver_improvement_areas)."""
    return FieldList(FormField(AreaForm), min_entries=count, max_entries=count)


def improvement_areas_form(count: int, **kwargs: Any) -> FlaskForm:
    """The manager's form naming Silver's `count` improvement areas."""

    class ImprovementAreasForm(FlaskForm):
        areas = areas_field(count)
        submit = SubmitField(_l("Save the improvement areas"))

    return ImprovementAreasForm(**kwargs)
