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


class ImprovementAreasForm(FlaskForm):
    areas = FieldList(FormField(AreaForm), min_entries=3, max_entries=3)
    submit = SubmitField(_l("Save the improvement areas"))
