"""The review form is built per level from the indicator definitions (data, not code)."""

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
from certtrack.models import IndicatorDefinition, IndicatorKind, Level, Priority
from certtrack.vocabulary import NAMES

BASELINE_CHOICES = [("", _l("Not answered")), ("yes", _l("Met")), ("no", _l("Not met"))]
BLANK_RECOMMENDATIONS = 2


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
        if definition.kind == IndicatorKind.BENCHMARK:
            field: Any = TextAreaField(
                definition.name, validators=[Length(max=2000), PlainText(multiline=True)]
            )
        elif definition.kind == IndicatorKind.BASELINE:
            field = RadioField(definition.name, choices=BASELINE_CHOICES, default="")
        else:
            maximum = definition.max_score or Decimal(0)
            field = DecimalField(
                definition.name, places=2, validators=[Optional(), NumberRange(min=0, max=maximum)]
            )
        setattr(ReviewForm, field_name(definition), field)
    return ReviewForm(**kwargs)


def values_from(form: Any, definitions: Sequence[IndicatorDefinition]) -> dict[str, Any]:
    """Indicator values as the benchmarking service takes them."""
    values: dict[str, Any] = {}
    for definition in definitions:
        raw = form[field_name(definition)].data
        if definition.kind == IndicatorKind.BASELINE:
            values[definition.code] = {"yes": True, "no": False}.get(raw)
        else:
            values[definition.code] = raw if raw not in ("", None) else None
    return values


def initial_data(application: Any, definitions: Sequence[IndicatorDefinition]) -> dict[str, Any]:
    """What the form shows before anything is posted: the saved draft plus blank rows."""
    recorded = {value.indicator_id: value for value in application.indicator_values}
    data: dict[str, Any] = {"interview_date": application.interview_date}
    for definition in definitions:
        value = recorded.get(definition.id)
        if value is None:
            continue
        if definition.kind == IndicatorKind.BENCHMARK:
            data[field_name(definition)] = value.value
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
