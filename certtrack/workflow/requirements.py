"""What a level's assessment must record, and how Gold is scored."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import selectinload

from certtrack import formats
from certtrack.extensions import db
from certtrack.models import Application, IndicatorDefinition, IndicatorKind, IndicatorValue, Level
from certtrack.workflow.deadlines import assigned_on

# Bronze is the 36-indicator benchmarking; Silver repeats it and checks the baseline
# minimum requirements; Gold scores the quality indicators.
KINDS_BY_LEVEL: dict[Level, tuple[IndicatorKind, ...]] = {
    Level.BRONZE: (IndicatorKind.BENCHMARK,),
    Level.SILVER: (IndicatorKind.BENCHMARK, IndicatorKind.BASELINE),
    Level.GOLD: (IndicatorKind.QUALITY,),
}


def definitions_for(level: Level) -> list[IndicatorDefinition]:
    query = (
        select(IndicatorDefinition)
        .where(IndicatorDefinition.kind.in_(KINDS_BY_LEVEL[level]))
        .order_by(IndicatorDefinition.kind, IndicatorDefinition.position)
        .options(selectinload(IndicatorDefinition.levels))
    )
    return list(db.session.scalars(query))


def is_recorded(definition: IndicatorDefinition, value: IndicatorValue | None) -> bool:
    if value is None:
        return False
    if definition.kind == IndicatorKind.BENCHMARK:
        return value.number is not None  # a comment alone leaves it unanswered
    if definition.kind == IndicatorKind.BASELINE:
        return value.met is not None
    return value.score is not None


def recorded_in_sql() -> ColumnElement[bool]:
    """is_recorded as a condition on indicator_value joined with its definition."""
    kind = IndicatorDefinition.kind
    return or_(
        and_(kind == IndicatorKind.BENCHMARK, IndicatorValue.number.is_not(None)),
        and_(kind == IndicatorKind.BASELINE, IndicatorValue.met.is_not(None)),
        and_(kind == IndicatorKind.QUALITY, IndicatorValue.score.is_not(None)),
    )


@dataclass(frozen=True)
class Progress:
    """How many of an assessment's indicators are recorded."""

    answered: int
    total: int


def answered_codes(
    definitions: Iterable[IndicatorDefinition], values: Iterable[IndicatorValue]
) -> set[str]:
    """The codes of the indicators recorded so far (the form's progress, area by area)."""
    by_indicator = {value.indicator_id: value for value in values}
    return {d.code for d in definitions if is_recorded(d, by_indicator.get(d.id))}


def progress_of(applications: Sequence[Application]) -> dict[int, Progress]:
    """Each application's progress (by id), in two statements whatever their number: the
    indicators per kind, and the recorded values per application counted in SQL."""
    if not applications:
        return {}
    per_kind: dict[IndicatorKind, int] = {
        kind: n
        for kind, n in db.session.execute(
            select(IndicatorDefinition.kind, func.count()).group_by(IndicatorDefinition.kind)
        )
    }
    counts_for_level = or_(
        *(
            and_(Application.level == level, IndicatorDefinition.kind.in_(kinds))
            for level, kinds in KINDS_BY_LEVEL.items()
        )
    )
    answered: dict[int, int] = {
        application_id: n
        for application_id, n in db.session.execute(
            select(IndicatorValue.application_id, func.count())
            .join(IndicatorDefinition, IndicatorValue.indicator_id == IndicatorDefinition.id)
            .join(Application, IndicatorValue.application_id == Application.id)
            .where(
                IndicatorValue.application_id.in_([a.id for a in applications]),
                counts_for_level,
                recorded_in_sql(),
            )
            .group_by(IndicatorValue.application_id)
        )
    }
    return {
        a.id: Progress(
            answered.get(a.id, 0), sum(per_kind.get(k, 0) for k in KINDS_BY_LEVEL[a.level])
        )
        for a in applications
    }


def missing_indicators(
    definitions: Iterable[IndicatorDefinition], values: Iterable[IndicatorValue]
) -> list[str]:
    by_indicator = {value.indicator_id: value for value in values}
    return [d.code for d in definitions if not is_recorded(d, by_indicator.get(d.id))]


@dataclass(frozen=True)
class GoldScore:
    total: Decimal
    maximum: Decimal
    below_threshold: tuple[str, ...]

    @property
    def percent(self) -> Decimal:
        if not self.maximum:
            return Decimal(0)
        return (self.total * 100 / self.maximum).quantize(Decimal("0.1"))

    def passes(self, pass_percent: int) -> bool:
        return not self.below_threshold and self.percent >= pass_percent


def gold_score(
    definitions: Iterable[IndicatorDefinition], values: Iterable[IndicatorValue]
) -> GoldScore:
    """Total and maximum over the quality indicators; unscored ones count as zero."""
    scores = {value.indicator_id: value.score for value in values}
    total = maximum = Decimal(0)
    below = []
    for definition in definitions:
        if definition.kind != IndicatorKind.QUALITY:
            continue
        score = scores.get(definition.id) or Decimal(0)
        total += score
        maximum += definition.max_score or Decimal(0)
        if definition.threshold is not None and score < definition.threshold:
            below.append(definition.code)
    return GoldScore(total, maximum, tuple(below))


def interview_date_problems(
    application: Application, interview_date: date, today: date
) -> dict[str, str]:
    """The interview happens after the consultant's assignment and not in the future."""
    if interview_date > today:
        return {"interview_date": _("The interview date lies in the future.")}
    assigned = assigned_on(application)
    if assigned and interview_date < assigned:
        return {
            "interview_date": _(
                "The interview cannot precede the assignment of the consultant (%(day)s).",
                day=formats.day(assigned),
            )
        }
    return {}
