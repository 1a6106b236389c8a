"""Where a cluster stands among its peers, indicator by indicator.

The peers of a report are the other clusters' latest delivered benchmarking (the 36
benchmarking indicators, recorded at Bronze and repeated at Silver): one application
per cluster, the most recently delivered, the report's own cluster left out. They fall
in four groups: all of them, the same country, the same sector, and the excellence
group (clusters holding a live Silver or Gold label).

Everything is aggregated in SQL, in a fixed number of statements whatever the number
of clusters: the database ranks the values (ROW_NUMBER / COUNT OVER PARTITION BY group
and indicator) and hands back only the few order statistics the quartiles need, the
answer counts of scale and yes/no indicators, and how many peers lie below and at the
cluster's own value. Individual values of other clusters never leave this module: a
group or an indicator with fewer than `peer_group_minimum` peers gets no figures."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    CTE,
    Select,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from certtrack.extensions import db
from certtrack.models import (
    LIVE_LABEL_STATUSES,
    Application,
    Cluster,
    Direction,
    IndicatorDefinition,
    IndicatorValue,
    Label,
    Level,
    Measure,
    Report,
)

# The levels whose assessment records the benchmarking indicators.
BENCHMARKED_LEVELS = (Level.BRONZE, Level.SILVER)
EXCELLENCE_LEVELS = (Level.SILVER, Level.GOLD)
# Answers counted step by step (the others are too varied to list).
STEPPED = (Measure.SCALE, Measure.YESNO)
QUARTERS = (1, 2, 3)


class PeerGroup(StrEnum):
    ALL = "all"
    COUNTRY = "country"
    SECTOR = "sector"
    EXCELLENCE = "excellence"


class Standing(StrEnum):
    """The cluster's value against the group's median."""

    ABOVE = "above"
    AT = "at"
    BELOW = "below"


class Shortfall(StrEnum):
    """Why a group or an indicator shows no figures."""

    FEW_PEERS = "not_enough_peers"  # the group has fewer clusters than the minimum
    FEW_ANSWERS = "not_enough_answers"  # too few peers answered this indicator


@dataclass(frozen=True)
class Position:
    """The cluster's own value read against the group."""

    # Percentage of peers below the value, ties counting half (0-100).
    percentile: Decimal
    standing: Standing
    # True better than the median, False worse, None at it or for a NEUTRAL indicator
    # (shown, never ranked).
    better: bool | None


@dataclass(frozen=True)
class IndicatorStats:
    """A group's figures for one indicator; `shortfall` set means no figures."""

    n: int
    first_quartile: Decimal | None = None
    median: Decimal | None = None
    third_quartile: Decimal | None = None
    # SCALE and YESNO: how many peers gave each step (every step listed, zeros too).
    distribution: dict[int, int] | None = None
    position: Position | None = None
    shortfall: Shortfall | None = None


@dataclass(frozen=True)
class GroupStats:
    """One peer group: how many clusters, and per indicator id its figures (empty
    when the group is too small)."""

    group: PeerGroup
    clusters: int
    minimum: int
    indicators: dict[int, IndicatorStats] = field(default_factory=dict)

    @property
    def shortfall(self) -> Shortfall | None:
        return Shortfall.FEW_PEERS if self.clusters < self.minimum else None


def peer_statistics(
    application: Application,
    definitions: Sequence[IndicatorDefinition],
    own_values: dict[int, Decimal],
    minimum: int,
) -> dict[PeerGroup, GroupStats]:
    """Every group's figures for `definitions` (benchmarking indicators), the cluster of
    `application` placed by `own_values` (indicator id -> number). Four statements."""
    cluster = application.cluster
    ids = [d.id for d in definitions]
    members = _members(cluster)
    sizes: dict[str, int] = dict(
        db.session.execute(select(members.c.grp, func.count()).group_by(members.c.grp)).all()
    )
    order_stats = _order_statistics(members, ids) if ids else []
    stepped_ids = [d.id for d in definitions if d.measure in STEPPED]
    counts = _step_counts(members, stepped_ids) if stepped_ids else []
    ranks = _ranks(members, application.id) if own_values else []

    picked: dict[tuple[str, int], dict[int, Decimal]] = {}
    answered: dict[tuple[str, int], int] = {}
    for grp, indicator_id, idx, n, number in order_stats:
        picked.setdefault((grp, indicator_id), {})[idx] = number
        answered[(grp, indicator_id)] = n
    steps: dict[tuple[str, int], dict[int, int]] = {}
    for grp, indicator_id, number, count in counts:
        steps.setdefault((grp, indicator_id), {})[int(number)] = count
    below_at = {(grp, indicator_id): (below, at) for grp, indicator_id, below, at in ranks}

    result = {}
    for group in PeerGroup:
        stats = GroupStats(group, sizes.get(group.value, 0), minimum)
        if stats.shortfall is None:
            for definition in definitions:
                key = (group.value, definition.id)
                stats.indicators[definition.id] = _indicator_stats(
                    definition,
                    answered.get(key, 0),
                    picked.get(key, {}),
                    steps.get(key, {}),
                    below_at.get(key),
                    own_values.get(definition.id),
                    minimum,
                )
        result[group] = stats
    return result


def quartile(sorted_values: dict[int, Decimal], n: int, quarter: int) -> Decimal:
    """The `quarter`/4 quantile of n sorted values by linear interpolation between the
    closest ranks (numpy's default, "linear"; Excel's QUARTILE.INC): position
    h = (n - 1) * quarter / 4 counted from 0, value x[floor h] + (h - floor h) *
    (x[floor h + 1] - x[floor h]). `sorted_values` maps positions to values and needs
    only the two around h."""
    low, remainder = divmod((n - 1) * quarter, 4)
    value = sorted_values[low]
    if remainder:
        value += (sorted_values[low + 1] - value) * remainder / 4
    return value


def percentile_rank(below: int, at: int, n: int) -> Decimal:
    """The share of peers below a value, a tie counting half, in percent (scipy's
    percentileofscore with kind="mean")."""
    return (Decimal(below) + Decimal(at) / 2) * 100 / n


def standing(
    value: Decimal, median: Decimal, direction: Direction | None
) -> tuple[Standing, bool | None]:
    """Above, at or below the median, and whether that is better (None: at the median
    or an indicator that is not UP, which is never called better or worse)."""
    if value == median:
        return Standing.AT, None
    above = value > median
    better = above if direction == Direction.UP else None
    return (Standing.ABOVE if above else Standing.BELOW), better


def _indicator_stats(
    definition: IndicatorDefinition,
    n: int,
    picked: dict[int, Decimal],
    steps: dict[int, int],
    below_at: tuple[int, int] | None,
    own: Decimal | None,
    minimum: int,
) -> IndicatorStats:
    if n < minimum:
        return IndicatorStats(n, shortfall=Shortfall.FEW_ANSWERS)
    first, median, third = (quartile(picked, n, q) for q in QUARTERS)
    distribution = None
    if definition.measure in STEPPED:
        distribution = {step: steps.get(step, 0) for step in _steps(definition)}
    position = None
    if own is not None and below_at is not None:
        reading, better = standing(own, median, definition.direction)
        position = Position(percentile_rank(*below_at, n), reading, better)
    return IndicatorStats(n, first, median, third, distribution, position)


def _steps(definition: IndicatorDefinition) -> Iterable[int]:
    if definition.measure == Measure.YESNO:
        return (0, 1)
    low = int(definition.minimum) if definition.minimum is not None else 0
    high = int(definition.maximum) if definition.maximum is not None else 4
    return range(low, high + 1)


def _members(cluster: Cluster) -> CTE:
    """(grp, application_id): the peers' latest delivered benchmarking, per group."""
    recency = func.row_number().over(
        partition_by=Application.cluster_id,
        order_by=(Report.delivered_at.desc(), Application.id.desc()),
    )
    ranked = (
        select(Application.id.label("application_id"), Application.cluster_id, recency.label("r"))
        .join(Report, Report.application_id == Application.id)
        .where(
            Report.delivered_at.is_not(None),
            Application.level.in_(BENCHMARKED_LEVELS),
            Application.cluster_id != cluster.id,
        )
        .subquery("ranked")
    )
    excellent = exists().where(
        Label.cluster_id == Cluster.id,
        Label.level.in_(EXCELLENCE_LEVELS),
        Label.status.in_(LIVE_LABEL_STATUSES),
    )
    peer = (
        select(ranked.c.application_id, Cluster.country, Cluster.sector, excellent.label("ex"))
        .join(Cluster, Cluster.id == ranked.c.cluster_id)
        .where(ranked.c.r == 1)
        .cte("peer")
    )

    def group(name: PeerGroup, *where: object) -> Select[tuple[str, int]]:
        return select(literal(name.value).label("grp"), peer.c.application_id).where(*where)  # type: ignore[arg-type]

    parts = [group(PeerGroup.ALL), group(PeerGroup.COUNTRY, peer.c.country == cluster.country)]
    # A cluster without a sector has no sector peers.
    sector = peer.c.sector == cluster.sector if cluster.sector else literal(False)
    parts += [group(PeerGroup.SECTOR, sector), group(PeerGroup.EXCELLENCE, peer.c.ex)]
    return union_all(*parts).cte("member")


def _values(members: CTE, indicator_ids: list[int]) -> Select[tuple[str, int, Decimal]]:
    return (
        select(members.c.grp, IndicatorValue.indicator_id, IndicatorValue.number)
        .join(IndicatorValue, IndicatorValue.application_id == members.c.application_id)
        .where(IndicatorValue.indicator_id.in_(indicator_ids), IndicatorValue.number.is_not(None))
    )


def _order_statistics(
    members: CTE, indicator_ids: list[int]
) -> list[tuple[str, int, int, int, Decimal]]:
    """(grp, indicator, position, n, value) for the positions the quartiles read: at
    most six rows per group and indicator, whatever the number of peers."""
    values = _values(members, indicator_ids).subquery("v")
    partition = (values.c.grp, values.c.indicator_id)
    ranked = select(
        values.c.grp,
        values.c.indicator_id,
        (func.row_number().over(partition_by=partition, order_by=values.c.number) - 1).label("idx"),
        func.count().over(partition_by=partition).label("n"),
        values.c.number,
    ).subquery("ranked_values")
    wanted = []
    for quarter in QUARTERS:
        low = (ranked.c.n - 1) * quarter // 4  # integer division: floor of the position
        wanted += [ranked.c.idx == low, ranked.c.idx == low + 1]
    query = select(
        ranked.c.grp, ranked.c.indicator_id, ranked.c.idx, ranked.c.n, ranked.c.number
    ).where(or_(*wanted))
    return [tuple(row) for row in db.session.execute(query)]


def _step_counts(members: CTE, indicator_ids: list[int]) -> list[tuple[str, int, Decimal, int]]:
    values = _values(members, indicator_ids).subquery("v")
    query = select(values.c.grp, values.c.indicator_id, values.c.number, func.count()).group_by(
        values.c.grp, values.c.indicator_id, values.c.number
    )
    return [tuple(row) for row in db.session.execute(query)]


def _ranks(members: CTE, application_id: int) -> list[tuple[str, int, int, int]]:
    """(grp, indicator, peers below, peers equal) for the cluster's own values."""
    own = (
        select(IndicatorValue.indicator_id, IndicatorValue.number.label("own"))
        .where(IndicatorValue.application_id == application_id, IndicatorValue.number.is_not(None))
        .subquery("own")
    )
    peer_value = (
        select(members.c.grp, IndicatorValue.indicator_id, IndicatorValue.number, own.c.own)
        .join(IndicatorValue, IndicatorValue.application_id == members.c.application_id)
        .join(own, own.c.indicator_id == IndicatorValue.indicator_id)
        .where(IndicatorValue.number.is_not(None))
        .subquery("pv")
    )
    below = func.sum(case((peer_value.c.number < peer_value.c.own, 1), else_=0))
    equal = func.sum(case((peer_value.c.number == peer_value.c.own, 1), else_=0))
    query = select(peer_value.c.grp, peer_value.c.indicator_id, below, equal).group_by(
        peer_value.c.grp, peer_value.c.indicator_id
    )
    return [(g, i, int(b), int(e)) for g, i, b, e in db.session.execute(query)]
