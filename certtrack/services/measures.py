"""What a benchmarking measurement may be, per measure: the one rule the review form,
the API and the demo share."""

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from certtrack.models import IndicatorDefinition, Measure

# IndicatorValue.number is NUMERIC(16, 2): 14 digits before the point, 2 after.
LARGEST = Decimal("99999999999999.99")
CENT = Decimal("0.01")


def measurement(definition: IndicatorDefinition, raw: Any) -> Decimal | None:
    """`raw` (a JSON number, a Decimal, or true/false for yes/no) as the number stored for
    `definition`; None when unanswered. Raises ValueError with the reason."""
    if raw is None:
        return None
    measure = definition.measure
    if measure == Measure.YESNO:
        if not isinstance(raw, bool) and raw not in (0, 1):
            raise ValueError(_("Must be yes (true) or no (false)."))
        return Decimal(int(raw))
    number = _decimal(raw)
    low, high = definition.minimum, definition.maximum
    if abs(number) > LARGEST:  # checked first: quantize fails on such numbers
        raise ValueError(_range_problem(low, high))
    if measure in (Measure.COUNT, Measure.SCALE) and number != number.to_integral_value():
        raise ValueError(_("Must be a whole number."))
    if measure == Measure.SCALE:
        steps = [level.step for level in definition.levels]
        if number not in steps:
            raise ValueError(
                _("Must be one of the steps %(low)s to %(high)s.", low=min(steps), high=max(steps))
                if steps
                else _("This indicator has no scale.")
            )
        return number
    if number != number.quantize(CENT):
        raise ValueError(_("At most two decimal places."))
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(_range_problem(low, high))
    return number


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise ValueError(_("Must be a number."))
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(_("Must be a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Must be a number."))
    return number


def _range_problem(low: Decimal | None, high: Decimal | None) -> str:
    def plain(value: Decimal) -> str:
        return format(value.normalize(), "f")

    if low is not None and high is not None:
        return _("Must be between %(low)s and %(high)s.", low=plain(low), high=plain(high))
    if low is not None:
        return _("Must be at least %(low)s.", low=plain(low))
    return _("Must be at most %(high)s.", high=plain(high or LARGEST))
