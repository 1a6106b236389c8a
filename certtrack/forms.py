"""Form pieces shared by several blueprints."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Field,
    FieldList,
    Form,
    FormField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.validators import Length

from certtrack.text import text_problem


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PlainText:
    """The text rule of certtrack.text as a field validator: a single line without
    control characters, or with `multiline` free text that may break lines."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and (
            problem := text_problem(field.data, multiline=self.multiline)
        ):
            raise ValidationError(problem)


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
