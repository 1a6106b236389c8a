"""Form pieces shared by several blueprints."""

from wtforms import Field, Form, SelectMultipleField, ValidationError, widgets

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
