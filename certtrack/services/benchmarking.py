"""What the consultant records during the review: interview date, indicator values,
improvement areas (Silver), report summary and recommendations. Saved as a draft until
the deliver_report step closes it."""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _

from certtrack.models import (
    Application,
    ImprovementArea,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    Level,
    Priority,
    Recommendation,
    Report,
    User,
)
from certtrack.services.measures import measurement
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow import permissions, requirements
from certtrack.workflow.engine import bump_version
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.policy import load_policy
from certtrack.workflow.requirements import interview_date_problems
from certtrack.workflow.types import Thing

MAX_ANSWER = 2000
MAX_TITLE = 200
MAX_TEXT = 10000


def save_benchmarking(
    application: Application,
    actor: User,
    *,
    today: date,
    interview_date: date | None = None,
    values: Mapping[str, Any] | None = None,
    summary: str | None = None,
    recommendations: Sequence[Mapping[str, Any]] | None = None,
    improvement_areas: Sequence[Mapping[str, Any]] | None = None,
) -> None:
    """Save (part of) the review as a draft. Arguments left as None are kept as they are;
    `values` updates only the indicators it names (a None or empty value clears one).
    All-or-nothing: any invalid field raises InvalidParams and nothing is saved."""
    _refuse(actor, application, Thing.BENCHMARKING)
    errors: dict[str, str] = {}
    if interview_date is not None:
        errors.update(interview_date_problems(application, interview_date, today))
    parsed_values = _parse_values(application.level, values or {}, errors)
    parsed_recs = _parse_recommendations(recommendations, today, errors)
    parsed_areas = (
        _parse_areas(application, improvement_areas, errors)
        if improvement_areas is not None
        else None
    )
    if summary is not None and len(summary) > MAX_TEXT:
        errors["summary"] = _("At most %(n)s characters.", n=MAX_TEXT)
    elif summary is not None and (problem := text_problem(summary, multiline=True)):
        errors["summary"] = problem
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)

    with committed():
        # Serialise with deliver_report: a save that loaded the review before the report
        # was delivered loses on the version instead of rewriting a delivered report.
        bump_version(application)
        if interview_date is not None:
            application.interview_date = interview_date
        _store_values(application, parsed_values)
        if parsed_areas is not None:
            _store_areas(application, parsed_areas)
        if summary is not None or parsed_recs is not None:
            if application.report is None:
                application.report = Report()
            report = application.report
            if summary is not None:
                report.summary = summary.strip() or None
            if parsed_recs is not None:
                report.recommendations = [
                    Recommendation(position=i, **rec) for i, rec in enumerate(parsed_recs)
                ]


def set_improvement_areas(
    application: Application, actor: User, areas: Sequence[Mapping[str, Any]]
) -> None:
    """The cluster names its Silver improvement areas (who and when: the definition's
    improvement_areas rule); the consultant revises them with the review."""
    _refuse(actor, application, Thing.IMPROVEMENT_AREAS)
    errors: dict[str, str] = {}
    parsed = _parse_areas(application, areas, errors)
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)
    with committed():
        _store_areas(application, parsed)


def _refuse(actor: User, application: Application, thing: Thing) -> None:
    refused = permissions.refusal(actor, application, thing)
    if refused:
        raise refused


def _parse_values(
    level: Level, raw: Mapping[str, Any], errors: dict[str, str]
) -> dict[IndicatorDefinition, Any]:
    by_code = {d.code: d for d in requirements.definitions_for(level)}
    parsed: dict[IndicatorDefinition, Any] = {}
    for code, value in raw.items():
        definition = by_code.get(code)
        key = f"values.{code}"
        if definition is None:
            errors[key] = _("%(code)s is not an indicator of this level.", code=code)
            continue
        if definition.kind == IndicatorKind.BENCHMARK:
            answer = _parse_answer(definition, value, key, errors)
            if answer is not None:
                parsed[definition] = answer
            continue
        try:
            parsed[definition] = _parse_value(definition, value)
        except ValueError as exc:
            errors[key] = str(exc)
    return parsed


def _parse_answer(
    definition: IndicatorDefinition, value: Any, key: str, errors: dict[str, str]
) -> tuple[Decimal | None, str | None] | None:
    """A benchmarking answer: {"number": ..., "comment": ...} (a bare number or null is
    the number alone). Errors go to `key` (the number) and `key.comment`."""
    if not isinstance(value, Mapping):
        value = {"number": value}
    unknown = sorted(str(name) for name in set(value) - {"number", "comment"})
    for name in unknown:
        errors[f"{key}.{name}"] = _("Unknown field.")
    number = comment = None
    problems = len(errors)
    try:
        number = measurement(definition, value.get("number"))
    except ValueError as exc:
        errors[key] = str(exc)
    raw_comment = value.get("comment")
    if raw_comment is not None and not isinstance(raw_comment, str):
        errors[f"{key}.comment"] = _("Must be text.")
    elif raw_comment is not None and len(raw_comment) > MAX_ANSWER:
        errors[f"{key}.comment"] = _("At most %(n)s characters.", n=MAX_ANSWER)
    elif raw_comment is not None and (problem := text_problem(raw_comment, multiline=True)):
        errors[f"{key}.comment"] = problem
    else:
        comment = (raw_comment or "").strip() or None
    return (number, comment) if len(errors) == problems else None


def _parse_value(definition: IndicatorDefinition, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if definition.kind == IndicatorKind.BASELINE:
        if not isinstance(value, bool):
            raise ValueError(_("Must be met (true) or not met (false)."))
        return value
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("Must be a number.")) from None
    maximum = definition.max_score or Decimal(0)
    if not score.is_finite() or score < 0 or score > maximum:
        raise ValueError(_("Must be between 0 and %(max)s.", max=maximum))
    return score


def _store_values(application: Application, parsed: dict[IndicatorDefinition, Any]) -> None:
    existing = {value.indicator_id: value for value in application.indicator_values}
    for definition, value in parsed.items():
        row = existing.get(definition.id)
        if row is None:
            row = IndicatorValue(indicator_id=definition.id)
            application.indicator_values.append(row)
        if definition.kind == IndicatorKind.BENCHMARK:
            row.number, row.comment = value
        elif definition.kind == IndicatorKind.BASELINE:
            row.met = value
        else:
            row.score = value


def _parse_recommendations(
    raw: Sequence[Mapping[str, Any]] | None, today: date, errors: dict[str, str]
) -> list[dict[str, Any]] | None:
    if raw is None:
        return None
    parsed = []
    for i, item in enumerate(raw):
        prefix = f"recommendations.{i}."
        if not isinstance(item, Mapping):
            errors[prefix.rstrip(".")] = _("Must be an object.")
            continue
        unknown = set(item) - {"title", "detail", "priority", "owner", "due_date"}
        for name in sorted(unknown):
            errors[prefix + name] = _("Unknown field.")
        rec: dict[str, Any] = {}
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            errors[prefix + "title"] = _("This field is required.")
        elif len(title) > MAX_TITLE:
            errors[prefix + "title"] = _("At most %(n)s characters.", n=MAX_TITLE)
        elif problem := text_problem(title):
            errors[prefix + "title"] = problem
        else:
            rec["title"] = title.strip()
        for name, limit in (("detail", MAX_TEXT), ("owner", MAX_TITLE)):
            value = item.get(name)
            if value is not None and (not isinstance(value, str) or len(value) > limit):
                errors[prefix + name] = _("Must be text of at most %(n)s characters.", n=limit)
            elif value is not None and (problem := text_problem(value, multiline=name == "detail")):
                errors[prefix + name] = problem
            else:
                rec[name] = (value or "").strip() or None
        try:
            rec["priority"] = Priority(item.get("priority") or Priority.MEDIUM)
        except ValueError:
            errors[prefix + "priority"] = _("Must be one of: high, medium, low.")
        due = item.get("due_date")
        if isinstance(due, str) and due.strip():
            try:
                due = date.fromisoformat(due.strip())
            except ValueError:
                errors[prefix + "due_date"] = _("Must be a date (YYYY-MM-DD).")
                due = None
        elif not isinstance(due, date):
            due = None
        if due is not None and due < today:
            errors[prefix + "due_date"] = _("The due date lies in the past.")
        rec["due_date"] = due
        parsed.append(rec)
    return parsed


def _parse_areas(
    application: Application, raw: Sequence[Mapping[str, Any]], errors: dict[str, str]
) -> list[tuple[str, str]]:
    if application.level != Level.SILVER:
        errors["improvement_areas"] = _("Only Silver applications have improvement areas.")
        return []
    wanted = load_policy().silver_improvement_areas
    if len(raw) > wanted:
        errors["improvement_areas"] = _("At most %(n)s improvement areas.", n=wanted)
    parsed = []
    for i, item in enumerate(raw):
        title = item.get("title") if isinstance(item, Mapping) else None
        effect = item.get("effect") if isinstance(item, Mapping) else None
        for name, value, limit in (("title", title, MAX_TITLE), ("effect", effect, MAX_TEXT)):
            if not isinstance(value, str) or not value.strip():
                errors[f"improvement_areas.{i}.{name}"] = _("This field is required.")
            elif len(value) > limit:
                errors[f"improvement_areas.{i}.{name}"] = _("At most %(n)s characters.", n=limit)
            elif problem := text_problem(value, multiline=name == "effect"):
                errors[f"improvement_areas.{i}.{name}"] = problem
        if isinstance(title, str) and isinstance(effect, str):
            parsed.append((title.strip(), effect.strip()))
    return parsed


def _store_areas(application: Application, areas: list[tuple[str, str]]) -> None:
    application.improvement_areas = [
        ImprovementArea(position=i, title=title, effect=effect)
        for i, (title, effect) in enumerate(areas)
    ]
