"""The peer snapshot follows its sources: a delivered report puts the cluster's values
among the peers, the daily pass takes an expired Silver label's cluster out of the
excellence group, and what the incremental refreshes leave equals a full rebuild."""

from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Cluster, IndicatorValue, Label, Level, PeerCluster, PeerValue
from certtrack.services import peer_snapshot
from certtrack.services.clusters import update_cluster
from certtrack.services.peers import PeerGroup
from certtrack.services.report import build_report
from certtrack.services.settings import save_settings
from certtrack.services.time_events import run_time_events
from tests.builders import Journey, make_cast
from tests.peer_builders import benchmarked, build, peer_cluster


def snapshot_rows() -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    clusters = db.session.execute(select(PeerCluster.__table__).order_by("cluster_id")).all()
    values = db.session.execute(
        select(PeerValue.__table__).order_by("cluster_id", "indicator_id")
    ).all()
    return [tuple(r) for r in clusters], [tuple(r) for r in values]


def assert_equals_rebuild() -> None:
    incremental = snapshot_rows()
    peer_snapshot.rebuild()
    db.session.commit()
    assert snapshot_rows() == incremental


def test_delivering_a_report_puts_its_values_among_the_peers(ctx) -> None:  # type: ignore[no-untyped-def]
    cast = make_cast()
    other = benchmarked(peer_cluster(cast.agency, "Other"), {"B01": 10})
    assert build_report(other.id).groups[PeerGroup.ALL].clusters == 0
    journey = Journey(cast)
    journey.start()
    journey.to_review(date(2014, 10, 1))
    journey.review(cast.consultant, date(2014, 10, 20), date(2014, 10, 15))
    assert db.session.get(PeerCluster, cast.cluster.id) is None  # not before delivery

    journey.fire("deliver_report", cast.consultant, date(2014, 10, 20))

    db.session.expire_all()
    assert build_report(other.id).groups[PeerGroup.ALL].clusters == 1
    answered = dict(
        db.session.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.number).where(
                IndicatorValue.application_id == journey.application.id,
                IndicatorValue.number.is_not(None),
            )
        ).all()
    )
    stored = dict(
        db.session.execute(
            select(PeerValue.indicator_id, PeerValue.number).where(
                PeerValue.cluster_id == cast.cluster.id
            )
        ).all()
    )
    assert stored == answered and stored
    assert_equals_rebuild()


def test_an_expired_silver_label_leaves_the_excellence_group_after_the_daily_pass(ctx) -> None:  # type: ignore[no-untyped-def]
    own = build()[1]
    save_settings({"peer_group_minimum": "3"})
    p1_label = db.session.scalars(
        select(Label).join(Cluster).where(Cluster.name == "P1", Label.level == Level.SILVER)
    ).one()
    p1_label.valid_until = date(2026, 1, 31)  # its grace year ends on 2027-01-31
    db.session.commit()
    report = build_report(own.id)
    assert report.groups[PeerGroup.EXCELLENCE].clusters == 4  # P1-P4
    b01 = next(a for area in report.areas for a in area.indicators if a.code == "B01")
    assert b01.peers[PeerGroup.EXCELLENCE].n == 4

    run_time_events(date(2027, 3, 1))

    db.session.expire_all()
    report = build_report(own.id)
    assert report.groups[PeerGroup.EXCELLENCE].clusters == 3
    b01 = next(a for area in report.areas for a in area.indicators if a.code == "B01")
    assert b01.peers[PeerGroup.EXCELLENCE].n == 3
    assert_equals_rebuild()


def test_moving_a_cluster_to_another_country_moves_it_between_country_groups(ctx) -> None:  # type: ignore[no-untyped-def]
    cast, own = build()
    save_settings({"peer_group_minimum": "1"})
    moved = db.session.scalars(select(Cluster).where(Cluster.name == "P1")).one()
    assert build_report(own.id).groups[PeerGroup.COUNTRY].clusters == 5  # P1-P5 in Italy

    update_cluster(moved, cast.admin, {"country": "AT"})

    db.session.expire_all()
    assert build_report(own.id).groups[PeerGroup.COUNTRY].clusters == 4
    assert db.session.get(PeerCluster, moved.id).country == "AT"
    assert_equals_rebuild()
