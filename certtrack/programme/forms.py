from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, NumberRange, Optional

from certtrack.models import Level, TargetKind
from certtrack.services.programme import KINDS
from certtrack.vocabulary import NAMES

MAX_TARGET = 10000


class TargetForm(FlaskForm):
    """A programme target; the level and the number only count for the kinds that
    have them (services.programme.KINDS)."""

    kind = SelectField(
        _l("Kind of target"),
        choices=[(kind.value, rule.name) for kind, rule in KINDS.items()],
        validate_choice=True,  # (no `required`: a select always has a choice)
    )
    level = SelectField(
        _l("Level"),
        choices=[("", _l("No level"))] + [(lv.value, NAMES[lv]) for lv in Level],
        validators=[Optional()],
    )
    number = IntegerField(
        _l("How many labels"),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_TARGET, message=_l("A number from 1 to ten thousand.")),
        ],
    )
    due_on = DateField(
        _l("Due by"), validators=[DataRequired(_l("Give the day it is due, as a date."))]
    )
    submit = SubmitField(_l("Save the target"))

    def values(self) -> dict[str, object]:
        """The form as the arguments of services.programme.save_target."""
        return {
            "kind": TargetKind(self.kind.data),
            "level": Level(self.level.data) if self.level.data else None,
            "number": self.number.data,
            "due_on": self.due_on.data,
        }
