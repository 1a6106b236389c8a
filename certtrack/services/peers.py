"""Where a cluster stands among its peers, indicator by indicator.

The peers of a report are the other clusters' latest delivered benchmarking (the 36
benchmarking indicators, recorded at Bronze and repeated at Silver): one application
per cluster, the most recently delivered, the report's own cluster left out. They fall
in four groups: all of them, the same country, the same sector, and the excellence
group (clusters holding a live Silver or Gold label).

The figures are read from the peer snapshot (models/peer.py), where every value
already carries its rank within each group: an order statistic is an index lookup by
rank, how many peers lie below or at a value is the rank of the first value at or
above it, and a scale's answer counts are the same lookups for each step. The own
cluster is left out arithmetically: its row of rank r shifts the peers' ranks from r
on by one. Four statements whatever the number of clusters. Individual values of
other clusters never leave this module: a group or an indicator with fewer than
`peer_group_minimum` peers gets no figures."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Integer,
    Numeric,
    ScalarSelect,
    String,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.types import TypeEngine

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Cluster,
    Direction,
    IndicatorDefinition,
    Measure,
    PeerCluster,
    PeerValue,
)
from certtrack.services.peer_snapshot import BENCHMARKED_LEVELS, EXCELLENCE_LEVELS

__all__ = ["BENCHMARKED_LEVELS", "EXCELLENCE_LEVELS"]  # re-exported for the report
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
    sizes = _sizes(cluster)
    own_rows = {
        row.indicator_id: row
        for row in db.session.scalars(select(PeerValue).where(PeerValue.cluster_id == cluster.id))
    }
    groups = [
        _Partition(group, cluster, own_rows)
        for group in PeerGroup
        if sizes.get(group, 0) >= minimum and _conditions(group, cluster) is not None
    ]
    ids = [d.id for d in definitions]
    probes = {d.id: _probe_values(d, own_values.get(d.id)) for d in definitions}
    counts = _counts(groups, probes) if groups and ids else {}

    wanted: dict[tuple[PeerGroup, int], dict[int, int]] = {}  # rank -> peer position
    for partition in groups:
        for indicator_id in ids:
            n = partition.peers(indicator_id, counts.get((partition.group, indicator_id), (0,))[0])
            if n >= minimum:
                positions = {p for q in QUARTERS for p in _around(n, q)}
                wanted[(partition.group, indicator_id)] = {
                    partition.rank_of(indicator_id, p): p for p in positions
                }
    numbers = _order_statistics(groups, wanted) if wanted else {}

    result = {}
    for group in PeerGroup:
        stats = GroupStats(group, sizes.get(group, 0), minimum)
        chosen = next((p for p in groups if p.group == group), None)
        if stats.shortfall is None and chosen is not None:
            for definition in definitions:
                key = (group, definition.id)
                n_all, by_value = counts.get(key, (0, {}))
                below_at = {
                    v: chosen.below_at(definition.id, v, n_all, ge, gt)
                    for v, (ge, gt) in by_value.items()
                }
                picked = {
                    position: numbers[(group, definition.id, rank)]
                    for rank, position in wanted.get(key, {}).items()
                }
                steps = {int(v): at for v, (_below, at) in below_at.items() if v % 1 == 0}
                own = own_values.get(definition.id)
                stats.indicators[definition.id] = _indicator_stats(
                    definition,
                    chosen.peers(definition.id, n_all),
                    picked,
                    steps,
                    below_at.get(own) if own is not None else None,
                    own,
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


RANK_COLUMNS = {
    PeerGroup.ALL: PeerValue.rank_all,
    PeerGroup.COUNTRY: PeerValue.rank_country,
    PeerGroup.SECTOR: PeerValue.rank_sector,
    PeerGroup.EXCELLENCE: PeerValue.rank_excellent,
}


def _conditions(group: PeerGroup, cluster: Cluster) -> list[ColumnElement[bool]] | None:
    """What puts a snapshot row in the cluster's `group`; None: the group is empty (a
    cluster without a sector has no sector peers)."""
    if group == PeerGroup.COUNTRY:
        return [PeerValue.country == cluster.country]
    if group == PeerGroup.SECTOR:
        return [PeerValue.sector == cluster.sector] if cluster.sector else None
    if group == PeerGroup.EXCELLENCE:
        return [PeerValue.excellent == literal(True)]  # "= true": PostgreSQL's index applies
    return []


@dataclass(frozen=True)
class _Partition:
    """One group of the snapshot as the own cluster sees it: its rows may include the
    cluster's own, which every count and rank here leaves out."""

    group: PeerGroup
    cluster: Cluster
    own_rows: dict[int, PeerValue]

    @property
    def conditions(self) -> list[ColumnElement[bool]]:
        return _conditions(self.group, self.cluster) or []

    @property
    def rank(self) -> ColumnElement[int | None]:
        return RANK_COLUMNS[self.group]  # type: ignore[return-value]

    def own(self, indicator_id: int) -> PeerValue | None:
        """The own cluster's snapshot row for the indicator, if it lies in the group."""
        row = self.own_rows.get(indicator_id)
        if row is None:
            return None
        inside = {
            PeerGroup.ALL: True,
            PeerGroup.COUNTRY: row.country == self.cluster.country,
            PeerGroup.SECTOR: row.sector == self.cluster.sector,
            PeerGroup.EXCELLENCE: row.excellent,
        }
        return row if inside[self.group] else None

    def peers(self, indicator_id: int, n_all: int) -> int:
        return n_all - (1 if self.own(indicator_id) else 0)

    def rank_of(self, indicator_id: int, position: int) -> int:
        """The group rank (from 1) of the peer at `position` (from 0)."""
        row = self.own(indicator_id)
        own_rank = getattr(row, str(self.rank.key)) if row is not None else None
        return position + 1 if own_rank is None or position + 1 < own_rank else position + 2

    def below_at(
        self, indicator_id: int, value: Decimal, n_all: int, ge: int | None, gt: int | None
    ) -> tuple[int, int]:
        """Peers below and at `value`, from the ranks of the first rows at or above and
        above it (None: no such row)."""
        first_ge = ge if ge is not None else n_all + 1
        first_gt = gt if gt is not None else n_all + 1
        below, at = first_ge - 1, first_gt - first_ge
        row = self.own(indicator_id)
        if row is not None:
            below -= row.number < value
            at -= row.number == value
        return below, at


def _sizes(cluster: Cluster) -> dict[PeerGroup, int]:
    """How many peers each group holds."""

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    total, country, sector, excellent = db.session.execute(
        select(
            func.count(),
            count(PeerCluster.country == cluster.country),
            count(PeerCluster.sector == cluster.sector),
            count(PeerCluster.excellent == literal(True)),
        ).where(PeerCluster.cluster_id != cluster.id)
    ).one()
    return {
        PeerGroup.ALL: total,
        PeerGroup.COUNTRY: country,
        PeerGroup.SECTOR: sector if cluster.sector else 0,
        PeerGroup.EXCELLENCE: excellent,
    }


def _probe_values(definition: IndicatorDefinition, own: Decimal | None) -> set[Decimal]:
    """The values whose standing among the peers is needed: the own value and, for
    stepped indicators, every step (its count is the peers at it). At least one, since
    the same lookup also counts the group."""
    wanted = (
        {Decimal(step) for step in _steps(definition)} if definition.measure in STEPPED else set()
    )
    if own is not None:
        wanted.add(own)
    return wanted or {Decimal(0)}


def _around(n: int, quarter: int) -> set[int]:
    """The positions (from 0) the quarter's quantile of n values reads."""
    low, remainder = divmod((n - 1) * quarter, 4)
    return {low, low + 1} if remainder else {low}


def _rows(name: str, rows: list[dict[str, object]], types: dict[str, TypeEngine[Any]]) -> Any:
    """`rows` as a table in the FROM clause, sent as one JSON parameter: the statement
    keeps the same text whatever the number of rows, so it is compiled once and cached
    (a VALUES list is compiled anew on every request)."""
    payload = bindparam(name, [{k: str(v) for k, v in row.items()} for row in rows], type_=JSON)
    if db.session.get_bind().dialect.name == "postgresql":
        columns = (column(key, type_) for key, type_ in types.items())
        return (
            func.json_to_recordset(payload)
            .table_valued(*columns)
            .render_derived(name=name, with_types=True)
        )
    each = func.json_each(payload).table_valued("value")
    fields = (
        cast(func.json_extract(each.c.value, f"$.{key}"), type_).label(key)
        for key, type_ in types.items()
    )
    return select(*fields).subquery(name)


def _counts(
    groups: list[_Partition], probes: dict[int, set[Decimal]]
) -> dict[tuple[PeerGroup, int], tuple[int, dict[Decimal, tuple[int | None, int | None]]]]:
    """Per group and indicator, the rows in the partition (own included) and, for each
    probe value, the ranks of the first rows at or above and above it: index lookups."""
    rows: list[dict[str, object]] = [
        {"indicator_id": indicator_id, "v": v}
        for indicator_id, vs in probes.items()
        for v in sorted(vs)
    ]
    probe = _rows("probe", rows, {"indicator_id": Integer(), "v": Numeric(16, 2)})
    parts = []
    for partition in groups:
        rank = partition.rank
        where = [PeerValue.indicator_id == probe.c.indicator_id, *partition.conditions]
        parts.append(
            select(
                literal(partition.group.value).label("grp"),
                probe.c.indicator_id,
                probe.c.v,
                _first(rank, where, last=True).label("n"),
                _first(rank, where, PeerValue.number >= probe.c.v).label("ge"),
                _first(rank, where, PeerValue.number > probe.c.v).label("gt"),
            )
        )
    result: dict[
        tuple[PeerGroup, int], tuple[int, dict[Decimal, tuple[int | None, int | None]]]
    ] = {}
    for grp, indicator_id, v, n, ge, gt in db.session.execute(union_all(*parts)):
        key = (PeerGroup(grp), indicator_id)
        result.setdefault(key, (n or 0, {}))[1][Decimal(v)] = (ge, gt)
    return result


def _first(
    rank: ColumnElement[int | None],
    where: list[ColumnElement[bool]],
    *condition: ColumnElement[bool],
    last: bool = False,
) -> ScalarSelect[int | None]:
    """The rank of the partition's first row (last: its last) meeting `condition`, read
    from the (indicator, group key, number, rank) index."""
    order = (PeerValue.number.desc(), rank.desc()) if last else (PeerValue.number, rank)
    return select(rank).where(*where, *condition).order_by(*order).limit(1).scalar_subquery()


def _order_statistics(
    groups: list[_Partition], wanted: dict[tuple[PeerGroup, int], dict[int, int]]
) -> dict[tuple[PeerGroup, int, int], Decimal]:
    """(group, indicator, rank) -> value for the ranks the quartiles read: at most six
    rows per group and indicator, whatever the number of peers; each one an index
    lookup by rank."""
    rows: list[dict[str, object]] = [
        {"grp": group.value, "indicator_id": indicator_id, "r": rank}
        for (group, indicator_id), ranks in wanted.items()
        for rank in ranks
    ]
    want = _rows("want", rows, {"grp": String(), "indicator_id": Integer(), "r": Integer()})
    parts = []
    for partition in groups:
        rank = partition.rank
        number = (
            select(PeerValue.number)
            .where(
                PeerValue.indicator_id == want.c.indicator_id,
                rank == want.c.r,
                *partition.conditions,
            )
            .limit(1)
            .scalar_subquery()
        )
        parts.append(
            select(want.c.grp, want.c.indicator_id, want.c.r, number).where(
                want.c.grp == partition.group.value
            )
        )
    return {
        (PeerGroup(grp), indicator_id, rank): number
        for grp, indicator_id, rank, number in db.session.execute(union_all(*parts))
    }
