"""Everything the benchmarking report shows, as one data structure: the report page,
the API and the PDF all read `report_for` (or `build_report`) and nothing else.

Values come formatted in the reader's locale (`shown`, and `IndicatorLine.figure` for
peer figures) next to the raw numbers; names, units and scale wordings through the
localisation helpers. Peer statistics per group come from services/peers.py; a group
or an indicator below the minimum carries a `shortfall` and no figures. A fixed number
of statements whatever the number of clusters."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from certtrack import vocabulary
from certtrack.extensions import db
from certtrack.measurements import format_measurement
from certtrack.models import (
    Application,
    Cluster,
    Direction,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    Level,
    Measure,
    MemberType,
    Priority,
    Recommendation,
    RecommendationStatus,
    Report,
    User,
)
from certtrack.services import access
from certtrack.services.peers import (
    BENCHMARKED_LEVELS,
    GroupStats,
    IndicatorStats,
    PeerGroup,
    Shortfall,
    peer_statistics,
)
from certtrack.workflow import permissions, requirements
from certtrack.workflow.policy import load_policy

GROUP_NAMES = {
    PeerGroup.ALL: _l("All benchmarked clusters"),
    PeerGroup.COUNTRY: _l("Same country"),
    PeerGroup.SECTOR: _l("Same sector"),
    PeerGroup.EXCELLENCE: _l("Excellence group (live Silver or Gold label)"),
}


@dataclass(frozen=True)
class ClusterProfile:
    id: int
    name: str
    country: str
    region: str | None
    sector: str | None
    agency: str
    staff_fte: Decimal | None
    committed_members: int | None
    member_types: list[str]  # display names


@dataclass(frozen=True)
class IndicatorLine:
    """One benchmarking indicator: the cluster's answer and, per group, the peers'."""

    id: int
    code: str
    name: str
    measure: Measure
    direction: Direction
    unit: str
    minimum: Decimal | None
    maximum: Decimal | None
    value: Decimal | None
    shown: str  # the value as read, with its unit or wording ("" when not recorded)
    answer: str | None  # SCALE: the step's wording; YESNO: yes / no
    comment: str | None
    peers: dict[PeerGroup, IndicatorStats]

    def figure(self, number: Decimal | None) -> str:
        """A number on this indicator's scale (a peer figure), formatted as its values."""
        return _number(number) if number is not None else ""


@dataclass(frozen=True)
class AreaSection:
    key: str
    name: str
    indicators: list[IndicatorLine]


@dataclass(frozen=True)
class GroupSummary:
    group: PeerGroup
    name: str
    clusters: int
    shortfall: Shortfall | None


@dataclass(frozen=True)
class Change:
    """An indicator that moved since the previous benchmarking."""

    code: str
    name: str
    before: str
    after: str
    delta: Decimal
    rose: bool
    better: bool | None  # None for a NEUTRAL indicator: shown, never judged


@dataclass(frozen=True)
class BaselineLine:
    code: str
    name: str
    met: bool | None


@dataclass(frozen=True)
class QualityLine:
    code: str
    name: str
    score: Decimal | None
    threshold: Decimal | None
    max_score: Decimal | None
    meets: bool


@dataclass(frozen=True)
class GoldSummary:
    total: Decimal
    maximum: Decimal
    percent: Decimal
    pass_percent: int
    passes: bool


@dataclass(frozen=True)
class RecommendationLine:
    title: str
    detail: str | None
    owner: str | None
    priority: Priority
    priority_name: str
    due_date: date | None
    status: RecommendationStatus
    status_name: str


@dataclass(frozen=True)
class PreviousBenchmarking:
    application_id: int
    level: Level
    interview_date: date | None


@dataclass(frozen=True)
class BenchmarkReport:
    """The whole report. `preview`: not delivered yet (the consultant's draft; peer
    figures still come only from other clusters' delivered reports)."""

    application_id: int
    level: Level
    preview: bool
    cluster: ClusterProfile
    interview_date: date | None
    consultant: str | None
    delivered_on: date | None
    summary: str | None
    peer_minimum: int
    groups: dict[PeerGroup, GroupSummary]
    areas: list[AreaSection]
    improvement_areas: list[tuple[str, str]]  # Silver: (title, effect)
    baseline: list[BaselineLine]
    quality: list[QualityLine]
    gold: GoldSummary | None
    recommendations: list[RecommendationLine]
    previous: PreviousBenchmarking | None = None
    changes: list[Change] = field(default_factory=list)


def report_for(user: User, application_id: int) -> BenchmarkReport:
    """The report of the application as `user` may read it, or NotFound (404) /
    ForbiddenForRole (403); the rule is permissions.report_refusal."""
    application = access.get_application(user, application_id)
    refused = permissions.report_refusal(user, application)
    if refused:
        raise refused
    return build_report(application.id)


def build_report(application_id: int) -> BenchmarkReport:
    """Everything the report of this application shows (no permission check)."""
    application = _load(application_id)
    policy = load_policy()
    minimum = max(1, policy.peer_group_minimum)
    definitions = requirements.definitions_for(application.level)
    values = {v.indicator_id: v for v in application.indicator_values}
    benchmark = [d for d in definitions if d.kind == IndicatorKind.BENCHMARK]
    own = {i: v.number for i, v in values.items() if v.number is not None}
    stats = peer_statistics(application, benchmark, own, minimum)
    report = application.report
    delivered = report.delivered_at.date() if report and report.delivered_at else None
    gold = None
    if application.level == Level.GOLD:
        score = requirements.gold_score(definitions, application.indicator_values)
        gold = GoldSummary(
            score.total,
            score.maximum,
            score.percent,
            policy.gold_pass_percent,
            score.passes(policy.gold_pass_percent),
        )
    previous = _previous(application)
    return BenchmarkReport(
        application_id=application.id,
        level=application.level,
        preview=delivered is None,
        cluster=_profile(application),
        interview_date=application.interview_date,
        consultant=application.consultant.name if application.consultant else None,
        delivered_on=delivered,
        summary=report.summary if report else None,
        peer_minimum=minimum,
        groups={g: _group_summary(s) for g, s in stats.items()},
        areas=_areas(benchmark, values, stats),
        improvement_areas=[(a.title, a.effect) for a in application.improvement_areas],
        baseline=[
            BaselineLine(d.code, vocabulary.indicator_name(d), _met(values.get(d.id)))
            for d in definitions
            if d.kind == IndicatorKind.BASELINE
        ],
        quality=[
            _quality(d, values.get(d.id)) for d in definitions if d.kind == IndicatorKind.QUALITY
        ],
        gold=gold,
        recommendations=[_recommendation(r) for r in (report.recommendations if report else [])],
        previous=(
            PreviousBenchmarking(previous.id, previous.level, previous.interview_date)
            if previous
            else None
        ),
        changes=_changes(benchmark, values, previous) if previous else [],
    )


def _load(application_id: int) -> Application:
    return db.session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .options(
            joinedload(Application.cluster).joinedload(Cluster.agency),
            joinedload(Application.consultant),
            selectinload(Application.improvement_areas),
            selectinload(Application.indicator_values),
            joinedload(Application.report).selectinload(Report.recommendations),
        )
        .execution_options(populate_existing=True)
    ).one()


def _previous(application: Application) -> Application | None:
    """The cluster's benchmarking delivered before this one, with its values."""
    if application.level not in BENCHMARKED_LEVELS:
        return None
    return db.session.scalars(
        select(Application)
        .join(Report, Report.application_id == Application.id)
        .where(
            Application.cluster_id == application.cluster_id,
            Application.id < application.id,
            Application.level.in_(BENCHMARKED_LEVELS),
            Report.delivered_at.is_not(None),
        )
        .order_by(Application.id.desc())
        .limit(1)
        .options(selectinload(Application.indicator_values))
    ).first()


def _profile(application: Application) -> ClusterProfile:
    cluster = application.cluster
    return ClusterProfile(
        id=cluster.id,
        name=cluster.name,
        country=cluster.country,
        region=cluster.region,
        sector=cluster.sector,
        agency=cluster.agency.name,
        staff_fte=cluster.staff_fte,
        committed_members=cluster.committed_members,
        member_types=[vocabulary.name(MemberType(t)) for t in cluster.member_types],
    )


def _group_summary(stats: GroupStats) -> GroupSummary:
    return GroupSummary(stats.group, group_name(stats.group), stats.clusters, stats.shortfall)


def group_name(group: PeerGroup) -> str:
    """The peer group's name in the reader's language."""
    return str(GROUP_NAMES[group])


def _areas(
    definitions: list[IndicatorDefinition],
    values: dict[int, IndicatorValue],
    stats: dict[PeerGroup, GroupStats],
) -> list[AreaSection]:
    sections: dict[str, list[IndicatorLine]] = {}
    for definition in definitions:
        value = values.get(definition.id)
        number = value.number if value else None
        peers = {
            group: group_stats.indicators.get(definition.id)
            or IndicatorStats(0, shortfall=Shortfall.FEW_PEERS)
            for group, group_stats in stats.items()
        }
        sections.setdefault(definition.area, []).append(
            IndicatorLine(
                id=definition.id,
                code=definition.code,
                name=vocabulary.indicator_name(definition),
                measure=definition.measure or Measure.NUMBER,
                direction=definition.direction or Direction.NEUTRAL,
                unit=vocabulary.indicator_unit(definition) or "",
                minimum=definition.minimum,
                maximum=definition.maximum,
                value=number,
                shown=format_measurement(definition, number),
                answer=_answer(definition, number),
                comment=value.comment if value else None,
                peers=peers,
            )
        )
    return [
        AreaSection(key, str(vocabulary.AREAS.get(key, key)), lines)
        for key, lines in sections.items()
    ]


def _answer(definition: IndicatorDefinition, number: Decimal | None) -> str | None:
    if number is None or definition.measure != Measure.SCALE:
        return None
    level = next((lv for lv in definition.levels if lv.step == number), None)
    return vocabulary.scale_level_label(level) if level else None


def _number(number: Decimal) -> str:
    return format_decimal(number, format="#,##0.##")


def _met(value: IndicatorValue | None) -> bool | None:
    return value.met if value else None


def _quality(definition: IndicatorDefinition, value: IndicatorValue | None) -> QualityLine:
    score = value.score if value else None
    meets = score is not None and (definition.threshold is None or score >= definition.threshold)
    return QualityLine(
        definition.code,
        vocabulary.indicator_name(definition),
        score,
        definition.threshold,
        definition.max_score,
        meets,
    )


def _recommendation(rec: Recommendation) -> RecommendationLine:
    return RecommendationLine(
        rec.title,
        rec.detail,
        rec.owner,
        rec.priority,
        vocabulary.name(rec.priority),
        rec.due_date,
        rec.status,
        vocabulary.name(rec.status),
    )


def _changes(
    definitions: list[IndicatorDefinition],
    values: dict[int, IndicatorValue],
    previous: Application,
) -> list[Change]:
    before = {v.indicator_id: v.number for v in previous.indicator_values}
    changes = []
    for definition in definitions:
        now = values[definition.id].number if definition.id in values else None
        then = before.get(definition.id)
        if now is None or then is None or now == then:
            continue
        rose = now > then
        changes.append(
            Change(
                definition.code,
                vocabulary.indicator_name(definition),
                format_measurement(definition, then),
                format_measurement(definition, now),
                now - then,
                rose,
                rose if definition.direction == Direction.UP else None,
            )
        )
    return changes
