"""The review form is built per level from the indicator definitions (data, not code)."""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from certtrack.forms import PlainText, areas_field
from certtrack.models import IndicatorDefinition, IndicatorKind, Level, Measure, Priority
from certtrack.services.benchmarking import MAX_ANSWER
from certtrack.vocabulary import NAMES, indicator_name, scale_level_label

BASELINE_CHOICES = [("", _l("Not answered")), ("yes", _l("Met")), ("no", _l("Not met"))]
YES_NO_CHOICES = [("", _l("Not answered")), ("yes", _l("Yes")), ("no", _l("No"))]
BLANK_RECOMMENDATIONS = 2
# "12", "0.5" or "0,5": one number in ASCII digits, the decimal mark either way.
NUMBER_TEXT = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")


class MeasurementField(StringField):
    """A count, number or percentage typed by the consultant; what was typed is shown
    again after a refused save. The range is the benchmarking service's rule."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.raw_data = valuelist
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        if not NUMBER_TEXT.fullmatch(text):
            raise ValueError(_l("Must be a number."))
        self.data = Decimal(text.replace(",", "."))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format(Decimal(self.data).normalize(), "f")


class RecommendationRow(FlaskForm):
    class Meta:
        csrf = False  # part of the review form, which carries the token

    title = StringField(_l("Recommendation"), validators=[Length(max=200), PlainText()])
    detail = TextAreaField(_l("Detail"), validators=[Length(max=10000), PlainText(multiline=True)])
    priority = SelectField(
        _l("Priority"), choices=[(p.value, NAMES[p]) for p in Priority], default="medium"
    )
    owner = StringField(_l("Owner in the cluster"), validators=[Length(max=200), PlainText()])
    due_date = DateField(_l("Due date"), validators=[Optional()])


def field_name(definition: IndicatorDefinition) -> str:
    return f"v_{definition.code}"


def review_form(
    level: Level, definitions: Sequence[IndicatorDefinition], areas: int, **kwargs: Any
) -> FlaskForm:
    """A form class with one field per indicator of the level (and for Silver `areas`
    improvement areas, the scheme's setting), instantiated."""

    class ReviewForm(FlaskForm):
        interview_date = DateField(_l("Interview or assessment date"), validators=[Optional()])
        summary = TextAreaField(
            _l("Report summary"), validators=[Length(max=10000), PlainText(multiline=True)]
        )
        recommendations = FieldList(FormField(RecommendationRow))
        save = SubmitField(_l("Save the draft"))
        deliver = SubmitField(_l("Deliver the report"))

    if level == Level.SILVER:
        ReviewForm.improvement_areas = areas_field(areas)
    for definition in definitions:
        name = f"{definition.code} · {indicator_name(definition)}"
        if definition.kind == IndicatorKind.BENCHMARK:
            field: Any = _measurement_field(definition, name)
            setattr(
                ReviewForm,
                comment_name(definition),
                TextAreaField(
                    _l("Comment (optional)"),
                    validators=[Length(max=MAX_ANSWER), PlainText(multiline=True)],
                ),
            )
        elif definition.kind == IndicatorKind.BASELINE:
            field = RadioField(name, choices=BASELINE_CHOICES, default="")
        else:
            maximum = definition.max_score or Decimal(0)
            field = DecimalField(
                name, places=2, validators=[Optional(), NumberRange(min=0, max=maximum)]
            )
        setattr(ReviewForm, field_name(definition), field)
    form = ReviewForm(**kwargs)
    for definition in definitions:
        if definition.kind == IndicatorKind.BENCHMARK:
            # Every comment has the same label: the error summary names the indicator.
            comment = form[comment_name(definition)]
            comment.summary_label = f"{comment.label.text} · {definition.code}"
    return form


def _measurement_field(definition: IndicatorDefinition, name: str) -> Any:
    """Radios for a scale (each step worded) and for yes/no, else a number field. The
    choices are not checked here: the service refuses a step that does not exist."""
    if definition.measure == Measure.SCALE:
        choices = [("", _l("Not answered"))] + [
            (str(level.step), f"{level.step} - {scale_level_label(level)}")
            for level in definition.levels
        ]
        return RadioField(name, choices=choices, default="", validate_choice=False)
    if definition.measure == Measure.YESNO:
        return RadioField(name, choices=YES_NO_CHOICES, default="", validate_choice=False)
    return MeasurementField(name)


def comment_name(definition: IndicatorDefinition) -> str:
    return f"c_{definition.code}"


def values_from(form: Any, definitions: Sequence[IndicatorDefinition]) -> dict[str, Any]:
    """Indicator values as the benchmarking service takes them."""
    values: dict[str, Any] = {}
    for definition in definitions:
        raw = form[field_name(definition)].data
        if definition.kind == IndicatorKind.BASELINE:
            values[definition.code] = {"yes": True, "no": False}.get(raw)
        elif definition.kind == IndicatorKind.BENCHMARK:
            values[definition.code] = {
                "number": _chosen(definition, raw),
                "comment": form[comment_name(definition)].data or None,
            }
        else:
            values[definition.code] = raw if raw not in ("", None) else None
    return values


def _chosen(definition: IndicatorDefinition, raw: Any) -> Any:
    """A radio's choice as the service takes it; anything unexpected goes on as it is,
    for the service to refuse beside the field."""
    if raw in ("", None):
        return None
    if definition.measure == Measure.YESNO:
        return {"yes": True, "no": False}.get(raw, raw)
    if definition.measure == Measure.SCALE:
        return int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() else raw
    return raw


def _shown(definition: IndicatorDefinition, number: Decimal | None) -> Any:
    if number is None or definition.measure not in (Measure.SCALE, Measure.YESNO):
        return number
    if definition.measure == Measure.YESNO:
        return "yes" if number else "no"
    return str(int(number))


def initial_data(application: Any, definitions: Sequence[IndicatorDefinition]) -> dict[str, Any]:
    """What the form shows before anything is posted: the saved draft plus blank rows."""
    recorded = {value.indicator_id: value for value in application.indicator_values}
    data: dict[str, Any] = {"interview_date": application.interview_date}
    for definition in definitions:
        value = recorded.get(definition.id)
        if value is None:
            continue
        if definition.kind == IndicatorKind.BENCHMARK:
            data[field_name(definition)] = _shown(definition, value.number)
            data[comment_name(definition)] = value.comment
        elif definition.kind == IndicatorKind.BASELINE:
            data[field_name(definition)] = {True: "yes", False: "no"}.get(value.met, "")
        else:
            data[field_name(definition)] = value.score
    report = application.report
    data["summary"] = report.summary if report else ""
    rows = [
        {
            "title": rec.title,
            "detail": rec.detail,
            "priority": rec.priority.value,
            "owner": rec.owner,
            "due_date": rec.due_date,
        }
        for rec in (report.recommendations if report else [])
    ]
    data["recommendations"] = rows
    if application.level == Level.SILVER:
        data["improvement_areas"] = [
            {"title": a.title, "effect": a.effect} for a in application.improvement_areas
        ]
    return data
