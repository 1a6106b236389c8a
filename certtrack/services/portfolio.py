"""What coordinators, consultants and admins watch: the pipeline board, consultant
workload, labels about to expire, reviews under way. Each is a fixed number of queries,
whatever the size of the portfolio."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, joinedload

from certtrack.clock import local_date
from certtrack.extensions import db
from certtrack.models import (
    CLOSED_STATES,
    LIVE_LABEL_STATUSES,
    Agency,
    Application,
    Cluster,
    Label,
    LabelStatus,
    Level,
    Report,
    Role,
    State,
    User,
)
from certtrack.services.access import application_filter, cluster_filter
from certtrack.services.sql import Day
from certtrack.workflow.dates import grace_cutoff, grace_end
from certtrack.workflow.deadlines import report_due, report_due_before
from certtrack.workflow.policy import Policy

# Board columns in the order of the path: drafts (still with the cluster) first.
OPEN_STATES = [
    State.DRAFT,
    State.SUBMITTED,
    State.CONSULTANT_REVIEW,
    State.LABEL_ISSUED,
    State.FOLLOW_UP,
    State.RENEWAL_DUE,
    State.LAPSED,
]
# The columns whose next date is the label's end (lapsed: the end of its grace).
LABELLED_STATES = frozenset({State.LABEL_ISSUED, State.FOLLOW_UP, State.RENEWAL_DUE})


class BoardSort(StrEnum):
    """The orders of the board's cards inside each column."""

    STAGE = "stage"  # the longest in its stage first
    DUE = "due"  # the next due date first (cards without one last)
    NAME = "name"  # by cluster name


@dataclass(frozen=True)
class BoardFilters:
    level: Level | None = None
    region: str | None = None
    sector: str | None = None
    consultant_id: int | None = None
    search: str | None = None


@dataclass(frozen=True)
class Card:
    """A board card: the application, how long it is in its stage, its next due date
    (what falls due: `due_kind`) and whether that day has passed."""

    application: Application
    days_in_stage: int
    due: date | None
    due_kind: str | None
    overdue: bool


def _filtered(user: User, filters: BoardFilters) -> Select[Application]:
    query = select(Application).join(Application.cluster).where(application_filter(user))
    return _narrowed(query, filters)


Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


def _narrowed(query: Q, filters: BoardFilters) -> Q:
    """`query` (on Application, joined to Cluster when a filter names the cluster) with
    the board's filters."""
    return query.where(*_on_application(filters), *_on_cluster(filters))


def _on_application(filters: BoardFilters) -> list[ColumnElement[bool]]:
    """The board's filters on the application itself."""
    conditions = []
    if filters.level:
        conditions.append(Application.level == filters.level)
    if filters.consultant_id:
        conditions.append(Application.consultant_id == filters.consultant_id)
    return conditions


def _on_cluster(filters: BoardFilters) -> list[ColumnElement[bool]]:
    """The board's filters that name the cluster. The search is an ILIKE on the columns
    themselves, so that PostgreSQL estimates how many clusters match from the columns'
    statistics (it has none for lower(name)) and reads a column in order when most do."""
    conditions = []
    if filters.region:
        conditions.append(Cluster.region == filters.region)
    if filters.sector:
        conditions.append(Cluster.sector == filters.sector)
    if filters.search:
        pattern = f"%{filters.search.strip().lower()}%"
        conditions.append(or_(Cluster.name.ilike(pattern), Cluster.region.ilike(pattern)))
    return conditions


def _board_order(sort: BoardSort) -> list[ColumnElement[Any]]:
    """The ORDER BY of a column (needs Cluster, Report and Label joined). The next due
    date is the report's for a review without a delivered report (in the order of the
    assignment, as report_due counts from it), else the label's end (for a lapsed label
    its grace ends in the same order)."""
    if sort == BoardSort.NAME:
        keys: list[ColumnElement[Any]] = [func.lower(Cluster.name), Cluster.name.expression]
    elif sort == BoardSort.DUE:
        report_pending = and_(
            Application.state == State.CONSULTANT_REVIEW, Report.delivered_at.is_(None)
        )
        keys = [
            case((report_pending, Application.assigned_at)).nulls_last(),
            case((Application.state != State.CONSULTANT_REVIEW, Label.valid_until)).nulls_last(),
        ]
    else:
        keys = [Application.state_entered_at.expression]
    return [*keys, Application.id.expression]


def _with_due_columns(query: Q) -> Q:
    return query.outerjoin(Application.report).outerjoin(
        Label, Label.application_id == Application.id
    )


def board_page(
    user: User,
    filters: BoardFilters,
    pages: Mapping[State, int],
    size: int,
    sort: BoardSort = BoardSort.STAGE,
) -> dict[State, list[Application]]:
    """Each open column's page `pages[state]` (from 1) of `size` cards, in the order
    `sort`: one statement for all columns (one limited SELECT per column, which in the
    default order reads the index on state and time in stage from the page's offset),
    so the board stays the same size and speed however many applications a column holds."""
    columns = [
        _column_ids(user, filters, state, sort)
        .limit(size)
        .offset((pages.get(state, 1) - 1) * size)
        .subquery()
        for state in OPEN_STATES
    ]
    shown = union_all(*(select(column.c.id) for column in columns))
    query = (
        _with_due_columns(select(Application).join(Application.cluster))
        .where(Application.id.in_(shown))
        .options(
            contains_eager(Application.cluster),
            contains_eager(Application.report),
            contains_eager(Application.label),
            joinedload(Application.consultant),
        )
        .order_by(*_board_order(sort))
    )
    cards: dict[State, list[Application]] = {state: [] for state in OPEN_STATES}
    for application in db.session.scalars(query):
        cards[application.state].append(application)
    return cards


def _column_ids(user: User, filters: BoardFilters, state: State, sort: BoardSort) -> Select[int]:
    """The ids of one board column in the order `sort` (the report and label joined for
    the due order). In the default order the page is read from the index on state and
    time in stage, each row's scope and filters checked as it comes, up to the page's end."""
    query = _shown(select(Application.id), user, filters, cluster=True)
    if sort == BoardSort.DUE:
        query = _with_due_columns(query)
    return query.where(Application.state == state).order_by(*_board_order(sort))


def _shown(query: Q, user: User, filters: BoardFilters, cluster: bool = False) -> Q:
    """`query` on Application narrowed to what the board shows `user`: the user's scope
    and the filters, checked on each application and its cluster, a coordinator's
    agency included (the cluster is joined unless the user is an admin and no filter
    names it, or `cluster` asks for it)."""
    named = _on_cluster(filters)
    joined = cluster or bool(named) or user.role != Role.ADMIN
    if joined:
        query = query.join(Application.cluster)
    scope = application_filter(user, cluster_joined=joined)
    return query.where(scope, *_on_application(filters), *named)


def board_query(
    user: User, filters: BoardFilters, state: State, sort: BoardSort = BoardSort.STAGE
) -> Select[Application]:
    """One board column's applications in the board's order `sort`."""
    return (
        _with_due_columns(_filtered(user, filters))
        .where(Application.state == state)
        .options(contains_eager(Application.cluster), joinedload(Application.consultant))
        .order_by(*_board_order(sort))
    )


def card(application: Application, today: date, policy: Policy) -> Card:
    """What the board shows of an application besides its name (its report and label
    loaded, as board_page does)."""
    state = application.state
    due, kind = None, None
    if state == State.CONSULTANT_REVIEW and not application.report_delivered:
        due, kind = report_due(application, policy), "report"
    elif application.label is not None and state in LABELLED_STATES:
        due, kind = application.label.valid_until, "label"
    elif application.label is not None and state == State.LAPSED:
        due, kind = grace_end(application.label.valid_until, policy.grace_months), "renewal"
    entered = local_date(application.state_entered_at)
    return Card(
        application=application,
        days_in_stage=max((today - entered).days, 0),
        due=due,
        due_kind=kind if due else None,
        overdue=due is not None and due < today,
    )


def state_counts(user: User, filters: BoardFilters, states: Iterable[State]) -> dict[State, int]:
    """How many applications the user sees in each of `states`, counted in SQL from an
    index on state (the open ones' partial index, migration 0025, for the open states),
    with each application's cluster when the user's scope or a filter names it."""
    wanted = list(states)
    query = _shown(select(Application.state, func.count()), user, filters)
    return _counts(wanted, query.where(Application.state.in_(wanted)).group_by(Application.state))


def board_counts(
    user: User, filters: BoardFilters, closed: Iterable[State], limit: int
) -> dict[State, int]:
    """The board's counts in one statement: each open column's total, and the closed
    tally with each of `closed` counted up to `limit` + 1 (more than `limit` is all it
    says beyond). An open column holds at most one application per cluster, but the
    closed states grow with every renewal: so each reads at most `limit` + 1 rows of
    the index on state, however long the agency's history."""
    shown = _shown(select(Application.state), user, filters)

    def counted(states: ColumnElement[bool], up_to: int | None = None) -> Select[State, int]:
        rows = shown.where(states).limit(up_to).subquery()
        return select(rows.c.state, func.count()).group_by(rows.c.state)

    tally = list(closed)
    counts = union_all(
        counted(Application.state.in_(OPEN_STATES)),
        *(counted(Application.state == state, limit + 1) for state in tally),
    )
    return _counts([*OPEN_STATES, *tally], counts)


def _counts(states: list[State], query: Any) -> dict[State, int]:
    counts = dict.fromkeys(states, 0)
    counts.update({State(state): int(count) for state, count in db.session.execute(query)})
    return counts


def closed_states() -> list[State]:
    """The closed states in the definition's order (the board's closed tally)."""
    return [state for state in State if state in CLOSED_STATES]


def filter_choices(user: User) -> dict[str, list[str]]:
    """Regions and sectors present among the clusters the user sees (for the filters)."""
    rows = db.session.execute(
        select(Cluster.region, Cluster.sector).where(cluster_filter(user)).distinct()
    )
    regions, sectors = set(), set()
    for region, sector in rows:
        regions.add(region)
        sectors.add(sector)
    return {
        "regions": sorted(r for r in regions if r),
        "sectors": sorted(s for s in sectors if s),
    }


def _by_workload(*shown: Any) -> Select[Any]:
    """`shown` (User, or some of its columns) of the active consultants and how many
    reviews each has under way, lightest first."""
    open_reviews = (
        select(Application.consultant_id, func.count().label("reviews"))
        .where(Application.state == State.CONSULTANT_REVIEW)
        .group_by(Application.consultant_id)
        .subquery()
    )
    workload = func.coalesce(open_reviews.c.reviews, 0)
    return (
        select(*shown, workload)
        .outerjoin(open_reviews, open_reviews.c.consultant_id == User.id)
        .where(User.role == Role.CONSULTANT, User.active.is_(True))
        .order_by(workload, User.name)
    )


def consultants_with_workload() -> list[tuple[User, int]]:
    """Active consultants and how many reviews each has under way, lightest first, with
    their declared conflicts (the assignment checks them)."""
    query = _by_workload(User).options(joinedload(User.conflicts))
    return [(user, int(count)) for user, count in db.session.execute(query).unique()]


def consultants_by_workload() -> list[tuple[int, str]]:
    """The same consultants' ids and names in the same order (the board's filter names
    them only: no user is loaded)."""
    query = _by_workload(User.id, User.name)
    return [(user_id, name) for user_id, name, _count in db.session.execute(query)]


@dataclass(frozen=True)
class LabelFilters:
    level: Level | None = None
    status: LabelStatus | None = None
    agency: str | None = None  # short name
    country: str | None = None
    expiring_within: int | None = None  # days: valid labels ending that soon


def labels_query(user: User, filters: LabelFilters, today: date) -> Select[Label]:
    """Labels of the clusters `user` sees, filtered; the API and the CSV export share it."""
    query = (
        select(Label)
        .join(Label.cluster)
        .where(cluster_filter(user))
        .options(contains_eager(Label.cluster))
    )
    if filters.level:
        query = query.where(Label.level == filters.level)
    if filters.status:
        query = query.where(Label.status == filters.status)
    if filters.agency:
        agency = select(Agency.id).where(Agency.short_name == filters.agency)
        query = query.where(Cluster.agency_id.in_(agency))
    if filters.country:
        query = query.where(Cluster.country == filters.country.upper())
    if filters.expiring_within is not None:
        query = query.where(
            Label.status == LabelStatus.VALID,
            Label.valid_until >= today,
            Label.valid_until <= today + timedelta(days=filters.expiring_within),
        )
    return query


def expiring_labels(user: User, today: date, days: int) -> list[Label]:
    """Valid labels of the user's clusters that end within `days` days, soonest first."""
    return list(db.session.scalars(expiring_query(user, today, days)))


def expiring_query(user: User, today: date, days: int) -> Select[Label]:
    """The query of `expiring_labels`, for a page of it."""
    query = labels_query(user, LabelFilters(expiring_within=days), today)
    return query.order_by(Label.valid_until, Label.id)


def _renewable(today: date, policy: Policy) -> ColumnElement[bool]:
    """Lapsed labels still in their grace period (grace_cutoff's rule)."""
    return and_(
        Label.status == LabelStatus.LAPSED,
        Label.valid_until >= grace_cutoff(today, policy.grace_months),
    )


def label_counts(user: User, today: date, policy: Policy, windows: Sequence[int]) -> dict[str, int]:
    """In one statement: how many valid labels end within each window (`within-<days>`)
    and how many lapsed labels are still renewable (`lapsed`)."""
    valid = and_(Label.status == LabelStatus.VALID, Label.valid_until >= today)
    columns = {
        f"within-{days}": func.count(
            case((and_(valid, Label.valid_until <= today + timedelta(days=days)), 1))
        )
        for days in windows
    }
    columns["lapsed"] = func.count(case((_renewable(today, policy), 1)))
    # Only valid or lapsed labels ending between the grace cutoff and the widest window
    # can count: the index on status and end day reads those, not the whole portfolio.
    ending = and_(
        Label.status.in_([LabelStatus.VALID, LabelStatus.LAPSED]),
        Label.valid_until.between(
            grace_cutoff(today, policy.grace_months), today + timedelta(days=max(windows))
        ),
    )
    query = select(*(column.label(name.replace("-", "_")) for name, column in columns.items()))
    row = db.session.execute(
        query.select_from(Label).join(Label.cluster).where(cluster_filter(user), ending)
    ).one()
    return {name: int(value) for name, value in zip(columns, row, strict=True)}


def held_label(labels: Iterable[Label]) -> Label | None:
    """The label a cluster holds: its highest live one, so a lower label issued while a
    higher one is still live does not hide it; between labels of one level the latest."""
    live = [label for label in labels if label.status in LIVE_LABEL_STATUSES]
    return max(live, key=lambda label: (label.level.rank, label.id), default=None)


def standing(cluster_ids: list[int]) -> tuple[dict[int, Label], dict[int, Application]]:
    """For each cluster: the label it holds (held_label) and its open application. Two
    queries for any number of clusters."""
    live: dict[int, list[Label]] = {}
    for label in db.session.scalars(
        select(Label).where(
            Label.cluster_id.in_(cluster_ids), Label.status.in_(LIVE_LABEL_STATUSES)
        )
    ):
        live.setdefault(label.cluster_id, []).append(label)
    held = {
        cluster_id: top
        for cluster_id, labels in live.items()
        if (top := held_label(labels)) is not None
    }
    current = {
        app.cluster_id: app
        for app in db.session.scalars(
            select(Application).where(
                Application.cluster_id.in_(cluster_ids), Application.state.not_in(CLOSED_STATES)
            )
        )
    }
    return held, current


def lapsed_in_grace(user: User, today: date, policy: Policy) -> list[tuple[Label, date]]:
    """Lapsed labels that can still be renewed, with the last day to do so."""
    return with_grace_end(db.session.scalars(lapsed_query(user, today, policy)), policy)


def lapsed_query(user: User, today: date, policy: Policy) -> Select[Label]:
    """Lapsed labels that can still be renewed, soonest ending first."""
    return (
        select(Label)
        .join(Label.cluster)
        .where(cluster_filter(user), _renewable(today, policy))
        .options(contains_eager(Label.cluster))
        .order_by(Label.valid_until, Label.id)
    )


def with_grace_end(labels: Iterable[Label], policy: Policy) -> list[tuple[Label, date]]:
    """Each lapsed label with the last day on which it can be renewed."""
    return [(label, grace_end(label.valid_until, policy.grace_months)) for label in labels]


def assigned_query(consultant: User) -> Select[Application]:
    """The consultant's reviews under way whose report is not delivered yet, most urgent
    first: the report is due a fixed number of days after the assignment, so the
    earliest assigned is due first."""
    return (
        select(Application)
        .outerjoin(Application.report)
        .where(
            Application.consultant_id == consultant.id,
            Application.state == State.CONSULTANT_REVIEW,
            Report.delivered_at.is_(None),
        )
        .options(
            joinedload(Application.cluster).joinedload(Cluster.agency),
            contains_eager(Application.report),
        )
        .order_by(Application.assigned_at, Application.id)
    )


def delivered_query(consultant: User) -> Select[Application]:
    """The applications whose report the consultant delivered, the latest first, with
    what became of them (review_outcome). Read from the index on who delivered when:
    a page and its count touch the consultant's reports only, not every report."""
    return (
        select(Application)
        .join(Application.report)
        .where(Report.delivered_by_id == consultant.id, Report.delivered_at.is_not(None))
        .options(
            joinedload(Application.cluster).joinedload(Cluster.agency),
            contains_eager(Application.report),
            joinedload(Application.label),
        )
        .order_by(Report.delivered_at.desc(), Report.id.desc())
    )


class Outcome(StrEnum):
    """What became of a delivered review."""

    PENDING = "pending"  # the agency has yet to decide on the label
    LABEL_ISSUED = "label_issued"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


def review_outcome(application: Application) -> Outcome:
    """The outcome of a review whose report was delivered."""
    if application.label is not None:
        return Outcome.LABEL_ISSUED
    if application.state == State.REJECTED:
        return Outcome.REJECTED
    if application.state == State.WITHDRAWN:
        return Outcome.WITHDRAWN
    return Outcome.PENDING


def with_due_dates(
    applications: Iterable[Application], policy: Policy
) -> list[tuple[Application, date | None]]:
    """Each review with its report's due date."""
    return [(app, report_due(app, policy)) for app in applications]


def _in_review(user: User) -> Select[Application]:
    """Reviews under way in the board column's order, the longest in review first: the
    dashboard's first few are the column's first ones, read in order from the index on
    state and time in stage."""
    return (
        select(Application)
        .join(Application.cluster)
        .outerjoin(Application.report)
        .where(
            application_filter(user, cluster_joined=True),
            Application.state == State.CONSULTANT_REVIEW,
        )
        .options(
            contains_eager(Application.cluster),
            contains_eager(Application.report),
            joinedload(Application.consultant),
        )
        .order_by(*_board_order(BoardSort.STAGE))
    )


def _delivered() -> ColumnElement[bool]:
    """Whether the application's report is delivered: a look-up of its one report,
    which keeps PostgreSQL from hashing every report to count a page's reviews."""
    report = aliased(Report)  # its own, also where the page joins the report to show it
    return (
        select(report.id)
        .where(report.application_id == Application.id, report.delivered_at.is_not(None))
        .exists()
    )


def _stalled(today: date, policy: Policy) -> ColumnElement[bool]:
    """report_overdue's rule in SQL: past the due day, no delivered report."""
    return and_(report_due_before(Day(today), policy), ~_delivered())


def awaiting_decision_query(user: User) -> Select[Application]:
    """Reviews whose report is delivered: the agency decides on the label."""
    return _in_review(user).where(_delivered())


def stalled_query(user: User, today: date, policy: Policy) -> Select[Application]:
    """stalled_reviews as a query, for the first few of them."""
    return _in_review(user).where(_stalled(today, policy))


def review_counts(user: User, today: date, policy: Policy) -> tuple[int, int]:
    """How many reviews await the decision and how many are stalled, in one statement."""
    query = (
        select(
            func.count(case((_delivered(), 1))),
            func.count(case((_stalled(today, policy), 1))),
        )
        .select_from(Application)
        .join(Application.cluster)
        .where(
            application_filter(user, cluster_joined=True),
            Application.state == State.CONSULTANT_REVIEW,
        )
    )
    decide, stalled = db.session.execute(query).one()
    return int(decide), int(stalled)


def stalled_reviews(user: User, today: date, policy: Policy) -> list[Application]:
    """Reviews still without a delivered report `review_due_days` after the assignment,
    selected in SQL (stalled_query)."""
    return list(db.session.scalars(stalled_query(user, today, policy)).unique())


def agencies() -> list[Agency]:
    return list(db.session.scalars(select(Agency).order_by(Agency.name)))
