"""A benchmarking measurement as people read it, in their locale: "0,5 ETP", "45%",
"2 - written strategy", "Yes"."""

from decimal import Decimal

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from certtrack.models import IndicatorDefinition, Measure
from certtrack.vocabulary import indicator_unit, scale_level_label

PERCENT_PATTERN = "#,##0.##%"


def format_measurement(definition: IndicatorDefinition, number: Decimal | None) -> str:
    """`number` (an IndicatorValue.number) for `definition`, with its unit or wording;
    empty when unanswered."""
    if number is None:
        return ""
    unit = indicator_unit(definition)
    if definition.measure == Measure.YESNO:
        return _("Yes") if number else _("No")
    if definition.measure == Measure.SCALE:
        level = next((lv for lv in definition.levels if lv.step == number), None)
        step = format_decimal(number)
        return f"{step} - {scale_level_label(level)}" if level else step
    if definition.measure == Measure.PERCENT:
        text = format_percent(number / 100, PERCENT_PATTERN)
        # "% within 50 km of the cluster office": the percent sign is already shown.
        rest = (unit or "").removeprefix("%").strip()
        return f"{text} {rest}" if rest else text
    text = format_decimal(number)
    return f"{text} {unit}" if unit else text
