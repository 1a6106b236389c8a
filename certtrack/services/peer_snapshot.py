"""Keeps the peer snapshot (models/peer.py) in step with what it derives from: a
delivered benchmarking replaces its cluster's rows, a change of label status moves
clusters in or out of the excellence group, and `rebuild` recomputes everything from
scratch (the migration, `flask peers rebuild`, the bulk seeder). The functions run in
the caller's transaction, so the snapshot changes together with its source."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from certtrack.extensions import db
from certtrack.models import (
    LIVE_LABEL_STATUSES,
    Application,
    Cluster,
    IndicatorValue,
    Label,
    Level,
    PeerCluster,
    PeerValue,
    Report,
)

# The levels whose assessment records the benchmarking indicators.
BENCHMARKED_LEVELS = (Level.BRONZE, Level.SILVER)
EXCELLENCE_LEVELS = (Level.SILVER, Level.GOLD)
VALUE_COLUMNS = ("cluster_id", "indicator_id", "number", "country", "sector", "excellent")
RANK_COLUMNS = ("rank_all", "rank_country", "rank_sector", "rank_excellent")


def rebuild() -> None:
    """Recompute the whole snapshot from the delivered reports and the labels."""
    db.session.execute(delete(PeerValue))
    db.session.execute(delete(PeerCluster))
    _insert_clusters(None)
    source = _values_of(None).subquery("source")
    db.session.execute(
        insert(PeerValue).from_select(
            VALUE_COLUMNS + RANK_COLUMNS, select(*source.c, *_ranks(source.c))
        )
    )


def refresh_cluster(cluster_id: int) -> None:
    """Replace one cluster's rows (its latest delivered benchmarking, its country and
    sector) and re-rank the indicators it answers, before and after."""
    before = set(
        db.session.scalars(select(PeerValue.indicator_id).where(PeerValue.cluster_id == cluster_id))
    )
    db.session.execute(delete(PeerValue).where(PeerValue.cluster_id == cluster_id))
    db.session.execute(delete(PeerCluster).where(PeerCluster.cluster_id == cluster_id))
    _insert_clusters(cluster_id)
    db.session.execute(insert(PeerValue).from_select(VALUE_COLUMNS, _values_of(cluster_id)))
    after = set(
        db.session.scalars(select(PeerValue.indicator_id).where(PeerValue.cluster_id == cluster_id))
    )
    _rerank(before | after)


def refresh_excellence() -> int:
    """Bring the excellence flag in line with the live labels (after the daily pass
    lapses or expires them, a label is issued or revoked); returns how many clusters
    moved in or out of the group."""
    changed = list(
        db.session.scalars(
            select(PeerCluster.cluster_id).where(
                PeerCluster.excellent != _excellent(PeerCluster.cluster_id)
            )
        )
    )
    if not changed:
        return 0
    flipped = {"excellent": ~PeerCluster.excellent}
    db.session.execute(
        update(PeerCluster).where(PeerCluster.cluster_id.in_(changed)).values(flipped)
    )
    db.session.execute(
        update(PeerValue)
        .where(PeerValue.cluster_id.in_(changed))
        .values(excellent=~PeerValue.excellent)
    )
    # Only the excellence group changed: the other ranks stay as they are.
    indicators = select(PeerValue.indicator_id).where(PeerValue.cluster_id.in_(changed)).distinct()
    _rerank(set(db.session.scalars(indicators)), ("rank_excellent",))
    return len(changed)


def _excellent(cluster_id: Any) -> ColumnElement[bool]:
    """Whether the cluster holds a live Silver or Gold label."""
    return exists().where(
        Label.cluster_id == cluster_id,
        Label.level.in_(EXCELLENCE_LEVELS),
        Label.status.in_(LIVE_LABEL_STATUSES),
    )


def _insert_clusters(cluster_id: int | None) -> None:
    """Each cluster's latest delivered Bronze or Silver benchmarking (one cluster or
    all of them)."""
    recency = func.row_number().over(
        partition_by=Application.cluster_id,
        order_by=(Report.delivered_at.desc(), Application.id.desc()),
    )
    ranked = (
        select(Application.id.label("application_id"), Application.cluster_id, recency.label("r"))
        .join(Report, Report.application_id == Application.id)
        .where(Report.delivered_at.is_not(None), Application.level.in_(BENCHMARKED_LEVELS))
    )
    if cluster_id is not None:
        ranked = ranked.where(Application.cluster_id == cluster_id)
    latest = ranked.subquery("ranked")
    rows = (
        select(
            Cluster.id,
            latest.c.application_id,
            Cluster.country,
            Cluster.sector,
            _excellent(Cluster.id),
        )
        .join(latest, latest.c.cluster_id == Cluster.id)
        .where(latest.c.r == 1)
    )
    db.session.execute(
        insert(PeerCluster).from_select(
            ("cluster_id", "application_id", "country", "sector", "excellent"), rows
        )
    )


def _values_of(cluster_id: int | None) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            PeerCluster.cluster_id,
            IndicatorValue.indicator_id,
            IndicatorValue.number,
            PeerCluster.country,
            PeerCluster.sector,
            PeerCluster.excellent,
        )
        .join(IndicatorValue, IndicatorValue.application_id == PeerCluster.application_id)
        .where(IndicatorValue.number.is_not(None))
    )
    if cluster_id is not None:
        query = query.where(PeerCluster.cluster_id == cluster_id)
    return query


def _ranks(c: Any, names: Sequence[str] = RANK_COLUMNS) -> list[ColumnElement[int]]:
    """ROW_NUMBER within each grouping named in `names`, ordered by number then
    cluster id; the excellence rank only for excellent clusters."""
    order = (c.number, c.cluster_id)
    indicator = c.indicator_id

    def rank(*partition: Any) -> ColumnElement[int]:
        return func.row_number().over(partition_by=(indicator, *partition), order_by=order)

    ranks = {
        "rank_all": rank(),
        "rank_country": rank(c.country),
        "rank_sector": rank(c.sector),
        "rank_excellent": case((c.excellent, rank(c.excellent))),
    }
    return [ranks[name].label(name) for name in names]


def _rerank(indicator_ids: Iterable[int], names: Sequence[str] = RANK_COLUMNS) -> None:
    """Recompute the ranks `names` of `indicator_ids`, writing only the rows whose rank
    moved."""
    ids = sorted(indicator_ids)
    if not ids:
        return
    fresh = (
        select(PeerValue.cluster_id, PeerValue.indicator_id, *_ranks(PeerValue, names))
        .where(PeerValue.indicator_id.in_(ids))
        .subquery("fresh")
    )
    moved = [getattr(PeerValue, name).is_distinct_from(fresh.c[name]) for name in names]
    db.session.execute(
        update(PeerValue)
        .where(
            PeerValue.cluster_id == fresh.c.cluster_id,
            PeerValue.indicator_id == fresh.c.indicator_id,
            or_(*moved),
        )
        .values({name: fresh.c[name] for name in names})
    )
