"""An agency's programme (or every agency's, for admins): its targets and their progress,
and the figures behind the programme charts. Every figure is an aggregate computed in
SQL, so the page runs the same statements whatever the size of the portfolio."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased

from certtrack.clock import day_start
from certtrack.extensions import db
from certtrack.models import (
    CLOSED_STATES,
    EVERY_AGENCY,
    LIVE_LABEL_STATUSES,
    OPEN_RECOMMENDATION_STATUSES,
    Agency,
    Application,
    AuditEntry,
    Cluster,
    DailyStageMedian,
    Label,
    Level,
    ProgrammeTarget,
    Recommendation,
    RecommendationStatus,
    Report,
    State,
    TargetKind,
    User,
)
from certtrack.services.sql import days_between, insert_or_skip
from certtrack.services.transaction import committed
from certtrack.vocabulary import name
from certtrack.workflow import permissions
from certtrack.workflow.errors import InvalidParams, NotFound

# The years the labels chart goes back at most, up to this one.
YEARS_SHOWN = 15
# Stages a cluster moves on from; a closed state is an outcome, not a stay.
STAGES = tuple(state for state in State if state not in CLOSED_STATES)
# The median time in each stage counts the stays that ended in these days before today.
STAY_WINDOW_DAYS = 365


@dataclass(frozen=True)
class KindRule:
    """What a target kind asks for: its name, whether it names a level and a number."""

    name: Any
    has_level: bool
    has_number: bool


# The one list of target kinds and what each takes.
KINDS: dict[TargetKind, KindRule] = {
    TargetKind.LABELS_AT_LEVEL: KindRule(_l("Labels of a level held by a date"), True, True),
    TargetKind.ALL_CLUSTERS_LABELLED: KindRule(
        _l("Every cluster holds a label by a date"), False, False
    ),
}


class Standing:
    """Where a target stands: met, missed (its day passed first) or on track (not yet)."""

    MET = "met"
    MISSED = "missed"
    ON_TRACK = "on_track"


STANDING_NAMES = {
    Standing.MET: _l("Met"),
    Standing.MISSED: _l("Missed"),
    Standing.ON_TRACK: _l("On track"),
}


@dataclass(frozen=True)
class Progress:
    """A target against today's figures: how many count, how many are aimed at."""

    target: ProgrammeTarget
    current: int
    goal: int
    standing: str

    @property
    def percent(self) -> float:
        """How far along, in percent (at most 100; a goal of 0 is met)."""
        return 100.0 if self.goal <= 0 else min(100.0, 100.0 * self.current / self.goal)


@dataclass(frozen=True)
class StageMedian:
    stage: State
    median_days: float | None
    stays: int


@dataclass(frozen=True)
class Figures:
    """Every figure of a programme, as the page, the CSV and the dashboard show them."""

    live_by_level: dict[Level, int]
    clusters: int
    clusters_labelled: int
    # Per year, the labels in force at its end (today for this year), by level.
    held_by_year: list[tuple[int, dict[Level, int]]]
    # The stage of each cluster's latest application now; None: no application yet.
    clusters_by_stage: list[tuple[State | None, int]]
    stage_medians: list[StageMedian]
    renewals: dict[str, int]
    recommendations: dict[str, int]


RENEWAL_FIGURES = {
    "on_time": _l("Renewed on time"),
    "after_lapse": _l("Renewed after lapsing"),
    "lapsed": _l("Lapsed, not renewed"),
}
RECOMMENDATION_FIGURES = {
    "done": _l("Done"),
    "on_schedule": _l("Open, not yet due"),
    "overdue": _l("Overdue"),
    "dropped": _l("Dropped"),
}


def agency_of(actor: User, agency_id: int) -> Agency:
    """The agency whose programme `actor` opens: 404 for none, 403 for someone else's."""
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound(_l("There is no such agency."))
    refused = permissions.programme_refusal(actor, agency)
    if refused:
        raise refused
    return agency


def figures(agency_id: int | None, today: date) -> Figures:
    """The programme's figures for one agency, or for all of them (None), in seven
    statements whatever the number of clusters, labels and steps."""
    levels, first_issued = _live_labels(agency_id)
    clusters, labelled = _clusters_labelled(agency_id)
    return Figures(
        live_by_level=levels,
        clusters=clusters,
        clusters_labelled=labelled,
        held_by_year=_held_by_year(agency_id, first_issued, today),
        clusters_by_stage=_clusters_by_stage(agency_id),
        stage_medians=stage_medians(agency_id, today),
        renewals=_renewals(agency_id),
        recommendations=_recommendations(agency_id, today),
    )


def targets(agency_id: int | None) -> list[ProgrammeTarget]:
    """The agency's targets (every agency's for None), soonest due first."""
    query = select(ProgrammeTarget).order_by(ProgrammeTarget.due_on, ProgrammeTarget.id)
    if agency_id is not None:
        query = query.where(ProgrammeTarget.agency_id == agency_id)
    return list(db.session.scalars(query))


def progress(target: ProgrammeTarget, found: Figures, today: date) -> Progress:
    """How `target` stands against the figures of its agency today."""
    if target.kind == TargetKind.LABELS_AT_LEVEL:
        assert target.level is not None and target.number is not None
        current, goal = found.live_by_level.get(target.level, 0), target.number
    else:
        current, goal = found.clusters_labelled, found.clusters
    if current >= goal:
        standing = Standing.MET
    elif today > target.due_on:
        standing = Standing.MISSED
    else:
        standing = Standing.ON_TRACK
    return Progress(target, current, goal, standing)


def describe(target: ProgrammeTarget) -> str:
    """A target in words: "3 Gold labels", "Every cluster holds a label"."""
    if target.kind == TargetKind.LABELS_AT_LEVEL:
        assert target.level is not None and target.number is not None
        return _("%(num)s %(level)s labels", num=target.number, level=name(target.level))
    return _("Every cluster holds a label")


def save_target(
    actor: User,
    agency: Agency,
    kind: TargetKind,
    level: Level | None,
    number: int | None,
    due_on: date,
    target: ProgrammeTarget | None = None,
) -> ProgrammeTarget:
    """Create a target for `agency`, or change `target`; a kind's level and number are
    required where it has them and dropped where it has none."""
    refused = permissions.target_refusal(actor, agency)
    if refused:
        raise refused
    rule = KINDS[kind]
    problems = {}
    if rule.has_level and level is None:
        problems["level"] = str(_l("Choose the level this target counts."))
    if rule.has_number and (number is None or number < 1):
        problems["number"] = str(_l("Give how many labels, at least 1."))
    if problems:
        raise InvalidParams(_l("The target is not complete."), problems)
    with committed():
        if target is None:
            target = ProgrammeTarget(agency_id=agency.id)
            db.session.add(target)
        target.kind = kind
        target.level = level if rule.has_level else None
        target.number = number if rule.has_number else None
        target.due_on = due_on
    return target


def get_target(actor: User, target_id: int) -> ProgrammeTarget:
    """A target `actor` may change: 404 for none, 403 for another agency's."""
    target = db.session.get(ProgrammeTarget, target_id)
    if target is None:
        raise NotFound(_l("There is no such target."))
    agency = db.session.get(Agency, target.agency_id)
    assert agency is not None
    refused = permissions.target_refusal(actor, agency)
    if refused:
        raise refused
    return target


# What deleting a target does, stated where the person confirms it.
DELETE_TARGET_CONSEQUENCE = _l(
    "The target and its progress leave the programme page for everyone; the figures "
    "stay. This cannot be undone."
)


def delete_target(actor: User, target: ProgrammeTarget) -> None:
    """Remove `target` (its agency's coordinators, or an admin)."""
    agency = db.session.get(Agency, target.agency_id)
    assert agency is not None
    refused = permissions.target_refusal(actor, agency)
    if refused:
        raise refused
    with committed():
        db.session.delete(target)


def csv_rows(
    found: Figures, found_progress: list[Progress], agency: str
) -> Iterator[tuple[Any, ...]]:
    """One row per figure: agency, figure, key, value (the same figures as the page)."""
    for level, count in found.live_by_level.items():
        yield agency, "labels_held", level.value, count
    yield agency, "clusters", "all", found.clusters
    yield agency, "clusters", "labelled", found.clusters_labelled
    for year, counts in found.held_by_year:
        for level in Level:
            yield agency, f"labels_in_force_{year}", level.value, counts.get(level, 0)
    for state, count in found.clusters_by_stage:
        yield agency, "clusters_by_stage", state.value if state else "none", count
    for median in found.stage_medians:
        days = "" if median.median_days is None else round(median.median_days, 1)
        yield agency, "median_days_in_stage", median.stage.value, days
    for key, count in found.renewals.items():
        yield agency, "renewals", key, count
    for key, count in found.recommendations.items():
        yield agency, "recommendations", key, count
    for item in found_progress:
        target = item.target
        key = f"{target.kind.value}:{target.level.value if target.level else ''}:{target.due_on}"
        yield agency, "target_current", key, item.current
        yield agency, "target_goal", key, item.goal
        yield agency, "target_standing", key, item.standing


CSV_HEADER = ("agency", "figure", "key", "value")


def _in_agency(agency_id: int | None) -> ColumnElement[bool]:
    return Cluster.agency_id == agency_id if agency_id is not None else true()


def _live_labels(agency_id: int | None) -> tuple[dict[Level, int], date | None]:
    live = case((Label.status.in_(LIVE_LABEL_STATUSES), 1), else_=0)
    rows = db.session.execute(
        select(Label.level, func.sum(live), func.min(Label.issued_on))
        .join(Cluster, Cluster.id == Label.cluster_id)
        .where(_in_agency(agency_id))
        .group_by(Label.level)
    ).all()
    counts = {level: 0 for level in Level}
    counts.update({level: int(count or 0) for level, count, _first in rows})
    firsts = [first for _level, _count, first in rows if first is not None]
    return counts, min(firsts) if firsts else None


def _clusters_labelled(agency_id: int | None) -> tuple[int, int]:
    holds = (
        select(Label.id)
        .where(Label.cluster_id == Cluster.id, Label.status.in_(LIVE_LABEL_STATUSES))
        .exists()
    )
    total, labelled = db.session.execute(
        select(func.count(Cluster.id), func.sum(case((holds, 1), else_=0))).where(
            _in_agency(agency_id)
        )
    ).one()
    return int(total), int(labelled or 0)


def _held_by_year(
    agency_id: int | None, first_issued: date | None, today: date
) -> list[tuple[int, dict[Level, int]]]:
    """Labels in force at each year's end: issued by then, not yet ended, revoked or
    superseded by a successor issued by then. One statement over a table of the days."""
    start = max(first_issued.year if first_issued else today.year, today.year - YEARS_SHOWN + 1)
    years = list(range(start, today.year + 1))
    days = union_all(
        *(
            select(
                literal(year).label("year"), literal(min(date(year, 12, 31), today)).label("day")
            )
            for year in years
        )
    ).subquery("days")
    successor = aliased(Label)
    rows = db.session.execute(
        select(days.c.year, Label.level, func.count(Label.id))
        .select_from(days)
        .join(Label, and_(Label.issued_on <= days.c.day, Label.valid_until >= days.c.day))
        .join(Cluster, Cluster.id == Label.cluster_id)
        .outerjoin(successor, successor.id == Label.superseded_by_id)
        .where(
            _in_agency(agency_id),
            or_(Label.revoked_on.is_(None), Label.revoked_on > days.c.day),
            or_(successor.id.is_(None), successor.issued_on > days.c.day),
        )
        .group_by(days.c.year, Label.level)
    ).all()
    found: dict[int, dict[Level, int]] = {year: {level: 0 for level in Level} for year in years}
    for year, level, count in rows:
        found[int(year)][level] = int(count)
    return list(found.items())


def _clusters_by_stage(agency_id: int | None) -> list[tuple[State | None, int]]:
    latest = (
        select(Application.cluster_id, func.max(Application.id).label("id"))
        .join(Cluster, Cluster.id == Application.cluster_id)
        .where(_in_agency(agency_id))
        .group_by(Application.cluster_id)
        .subquery("latest")
    )
    rows = db.session.execute(
        select(Application.state, func.count(Cluster.id))
        .select_from(Cluster)
        .outerjoin(latest, latest.c.cluster_id == Cluster.id)
        .outerjoin(Application, Application.id == latest.c.id)
        .where(_in_agency(agency_id))
        .group_by(Application.state)
    ).all()
    counts: dict[State | None, int] = {state: int(count) for state, count in rows}
    order: list[State | None] = [None, *State]
    return [(state, counts[state]) for state in order if counts.get(state)]


def stage_medians(agency_id: int | None, today: date) -> list[StageMedian]:
    """The median days in each stage over the stays that ended in the STAY_WINDOW_DAYS
    days before `today`, for one agency or every one (None). A figure over a year moves
    little in a day and reading a year's steps takes longer than a page may, so the
    first view of the day works them out and keeps them in DailyStageMedian, where every
    process reads them. A step taken today counts from tomorrow."""
    scope = EVERY_AGENCY if agency_id is None else agency_id
    kept = db.session.execute(
        select(DailyStageMedian.stage, DailyStageMedian.median_days, DailyStageMedian.stays).where(
            DailyStageMedian.day == today, DailyStageMedian.scope == scope
        )
    ).all()
    if kept:
        found = {stage: (median, stays) for stage, median, stays in kept}
        return [StageMedian(stage, *found.get(stage, (None, 0))) for stage in STAGES]
    medians = _stage_medians(agency_id, today)
    _keep(scope, today, medians)
    return medians


def _keep(scope: int, today: date, medians: list[StageMedian]) -> None:
    """Write the day's figures and forget earlier days', in a transaction of their own,
    so the page's session and what it loaded stay as they are. A process that worked
    out the same figures meanwhile has written them already: its rows stay."""
    rows = [
        {
            "day": today,
            "scope": scope,
            "stage": median.stage,
            "median_days": median.median_days,
            "stays": median.stays,
        }
        for median in medians
    ]
    with db.engine.begin() as connection:
        connection.execute(delete(DailyStageMedian).where(DailyStageMedian.day < today))
        connection.execute(insert_or_skip(DailyStageMedian, connection.dialect.name).values(rows))


def _changes_state(entry: Any) -> ColumnElement[bool]:
    """Whether a history step (AuditEntry or an alias) changed the state: a stay in a
    stage begins and ends only at such a step."""
    return or_(entry.from_state.is_(None), entry.from_state != entry.to_state)


def _stage_medians(agency_id: int | None, today: date) -> list[StageMedian]:
    """The median days applications stayed in each stage, over the stays that ended in
    the STAY_WINDOW_DAYS days before `today` (a stay ends at the next step that changes the
    state; stays under way are not counted). Recent stays are what the process does
    now, and reading only them keeps the cost to a year's steps, not the whole history:
    each step in the window is read from the index on the time, and the step that began
    its stay from the index on the application's history. One statement: SQLite has no
    percentile function, so each stage's stays are numbered in order and the middle one
    or two averaged."""
    began = aliased(AuditEntry)
    start_id = (
        select(began.id)
        .where(
            began.application_id == AuditEntry.application_id,
            _changes_state(began),
            tuple_(began.at, began.id) < tuple_(AuditEntry.at, AuditEntry.id),
        )
        .order_by(began.at.desc(), began.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    ends = select(AuditEntry.at.label("left"), start_id.label("start_id")).where(
        AuditEntry.at >= day_start(today - timedelta(days=STAY_WINDOW_DAYS)),
        AuditEntry.at < day_start(today),
        AuditEntry.from_state.is_not(None),
        _changes_state(AuditEntry),
    )
    if agency_id is not None:
        ends = ends.join(Application, Application.id == AuditEntry.application_id).join(
            Cluster, Cluster.id == Application.cluster_id
        )
    moves = ends.where(_in_agency(agency_id)).subquery("ends")
    start = aliased(AuditEntry)
    days = days_between(start.at, moves.c.left)
    stays = (
        select(
            start.to_state.label("stage"),
            days.label("days"),
            func.row_number().over(partition_by=start.to_state, order_by=days).label("position"),
            func.count().over(partition_by=start.to_state).label("stays"),
        )
        .select_from(moves)
        .join(start, start.id == moves.c.start_id)
        .where(start.to_state.in_(STAGES))
        .subquery("stays")
    )
    # The middle stay of an odd count, the two middle ones of an even count.
    middle = and_(stays.c.position * 2 >= stays.c.stays, stays.c.position * 2 <= stays.c.stays + 2)
    rows = db.session.execute(
        select(stays.c.stage, func.avg(stays.c.days), func.max(stays.c.stays))
        .where(middle)
        .group_by(stays.c.stage)
    ).all()
    found = {State(stage): (float(median), int(count)) for stage, median, count in rows}
    return [StageMedian(stage, *found.get(stage, (None, 0))) for stage in STAGES]


def _renewals(agency_id: int | None) -> dict[str, int]:
    """Labels that came up for renewal: renewed on time, renewed after lapsing, lapsed
    and not (yet) renewed, from each application's history."""
    reached = (
        select(
            func.max(case((AuditEntry.to_state == State.RENEWED, 1), else_=0)).label("renewed"),
            func.max(case((AuditEntry.to_state == State.LAPSED, 1), else_=0)).label("lapsed"),
        )
        .join(Application, Application.id == AuditEntry.application_id)
        .join(Cluster, Cluster.id == Application.cluster_id)
        .where(_in_agency(agency_id))
        .group_by(AuditEntry.application_id)
        .subquery("reached")
    )
    on_time, after_lapse, lapsed = db.session.execute(
        select(
            func.sum(case((and_(reached.c.renewed == 1, reached.c.lapsed == 0), 1), else_=0)),
            func.sum(case((and_(reached.c.renewed == 1, reached.c.lapsed == 1), 1), else_=0)),
            func.sum(case((and_(reached.c.renewed == 0, reached.c.lapsed == 1), 1), else_=0)),
        )
    ).one()
    return {
        "on_time": int(on_time or 0),
        "after_lapse": int(after_lapse or 0),
        "lapsed": int(lapsed or 0),
    }


def _recommendations(agency_id: int | None, today: date) -> dict[str, int]:
    """The recommendations of delivered reports: done, open and not yet due, overdue
    (open past their due date), dropped."""
    still_open = Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES)
    late = and_(still_open, Recommendation.due_date.is_not(None), Recommendation.due_date < today)
    not_due = or_(Recommendation.due_date.is_(None), Recommendation.due_date >= today)
    done, on_schedule, overdue, dropped = db.session.execute(
        select(
            func.sum(case((Recommendation.status == RecommendationStatus.DONE, 1), else_=0)),
            func.sum(case((and_(still_open, not_due), 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((Recommendation.status == RecommendationStatus.DROPPED, 1), else_=0)),
        )
        .join(Report, Report.id == Recommendation.report_id)
        .join(Application, Application.id == Report.application_id)
        .join(Cluster, Cluster.id == Application.cluster_id)
        .where(_in_agency(agency_id), Report.delivered_at.is_not(None))
    ).one()
    return {
        "done": int(done or 0),
        "on_schedule": int(on_schedule or 0),
        "overdue": int(overdue or 0),
        "dropped": int(dropped or 0),
    }
