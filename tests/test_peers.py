"""The cluster against its peers: quartiles, percentile ranks, the four groups, the
privacy minimum and a fixed number of statements, on hand-made clusters with known
answers (figures worked out by hand in the comments)."""

from decimal import Decimal

import pytest

from certtrack.extensions import db
from certtrack.models import Direction, Level
from certtrack.services.peers import (
    PeerGroup,
    Shortfall,
    Standing,
    percentile_rank,
    quartile,
    standing,
)
from certtrack.services.report import build_report
from certtrack.services.settings import save_settings
from certtrack.statements import recorded
from tests.database import empty_tables
from tests.peer_builders import build


@pytest.fixture
def own(ctx):  # type: ignore[no-untyped-def]
    return build()[1]


def stats_of(report, group: PeerGroup, code: str):  # type: ignore[no-untyped-def]
    line = next(line for area in report.areas for line in area.indicators if line.code == code)
    return line, line.peers[group]


def test_quartiles_by_linear_interpolation() -> None:
    values = {i: Decimal(v) for i, v in enumerate([10, 20, 30, 40, 50, 60])}
    # numpy.percentile([10..60], [25, 50, 75]) == [22.5, 35, 47.5]
    assert [quartile(values, 6, q) for q in (1, 2, 3)] == [
        Decimal("22.5"),
        Decimal(35),
        Decimal("47.5"),
    ]
    assert quartile({0: Decimal(7)}, 1, 2) == 7
    assert percentile_rank(4, 0, 6).quantize(Decimal("0.01")) == Decimal("66.67")
    assert percentile_rank(2, 1, 6).quantize(Decimal("0.01")) == Decimal("41.67")


def test_all_clusters_group_of_hand_made_peers(own) -> None:  # type: ignore[no-untyped-def]
    report = build_report(own.id)
    assert report.groups[PeerGroup.ALL].clusters == 6
    line, b01 = stats_of(report, PeerGroup.ALL, "B01")
    assert line.value == 45 and line.comment == "Counted from the member register"
    # Only each peer's latest delivered benchmarking: not P1's older 1000 nor P2's draft.
    assert b01.n == 6
    assert (b01.first_quartile, b01.median, b01.third_quartile) == (
        Decimal("22.5"),
        Decimal(35),
        Decimal("47.5"),
    )
    assert b01.position is not None
    assert b01.position.percentile.quantize(Decimal("0.01")) == Decimal("66.67")
    assert b01.position.standing == Standing.ABOVE and b01.position.better is True
    assert b01.distribution is None

    _line, b08 = stats_of(report, PeerGroup.ALL, "B08")  # 0, 1, 1, 2, 3, 4
    assert (b08.first_quartile, b08.median, b08.third_quartile) == (
        Decimal(1),
        Decimal("1.5"),
        Decimal("2.75"),
    )
    assert b08.distribution == {0: 1, 1: 2, 2: 1, 3: 1, 4: 1}
    assert b08.position is not None
    assert b08.position.percentile.quantize(Decimal("0.01")) == Decimal("58.33")


def test_country_and_sector_groups(own) -> None:  # type: ignore[no-untyped-def]
    report = build_report(own.id)
    assert report.groups[PeerGroup.COUNTRY].clusters == 5  # P1-P5
    assert report.groups[PeerGroup.SECTOR].clusters == 5  # P1-P4 and P6
    _line, country = stats_of(report, PeerGroup.COUNTRY, "B01")  # 10, 20, 30, 40, 50
    assert (country.first_quartile, country.median, country.third_quartile) == (20, 30, 40)
    assert country.position is not None and country.position.percentile == 80
    _line, sector = stats_of(report, PeerGroup.SECTOR, "B01")  # 10, 20, 30, 40, 60
    assert (sector.first_quartile, sector.median, sector.third_quartile) == (20, 30, 40)


def test_a_group_below_the_minimum_shows_no_figures(own) -> None:  # type: ignore[no-untyped-def]
    report = build_report(own.id)
    # Live Silver or Gold: P1-P3 valid, P4 lapsed (grace year); P5's expired label no.
    excellence = report.groups[PeerGroup.EXCELLENCE]
    assert excellence.clusters == 4 and excellence.shortfall == Shortfall.FEW_PEERS
    _line, b01 = stats_of(report, PeerGroup.EXCELLENCE, "B01")
    assert b01.shortfall == Shortfall.FEW_PEERS
    assert b01.median is None and b01.position is None and b01.distribution is None


def test_an_indicator_few_peers_answered_shows_no_figures(own) -> None:  # type: ignore[no-untyped-def]
    _line, b07 = stats_of(build_report(own.id), PeerGroup.ALL, "B07")
    assert b07.shortfall == Shortfall.FEW_ANSWERS
    assert b07.median is None and b07.first_quartile is None and b07.position is None


def test_the_minimum_is_a_setting(own) -> None:  # type: ignore[no-untyped-def]
    save_settings({"peer_group_minimum": "7"})
    report = build_report(own.id)
    assert report.peer_minimum == 7
    assert all(group.shortfall == Shortfall.FEW_PEERS for group in report.groups.values())
    save_settings({"peer_group_minimum": "4"})
    assert build_report(own.id).groups[PeerGroup.EXCELLENCE].shortfall is None


def test_a_neutral_indicator_is_never_better_or_worse(own) -> None:  # type: ignore[no-untyped-def]
    line, b03 = stats_of(build_report(own.id), PeerGroup.ALL, "B03")
    assert line.direction == Direction.NEUTRAL
    assert b03.median == 75 and b03.position is not None
    assert b03.position.standing == Standing.BELOW and b03.position.better is None
    assert standing(Decimal(9), Decimal(1), Direction.NEUTRAL) == (Standing.ABOVE, None)
    assert standing(Decimal(0), Decimal(1), Direction.UP) == (Standing.BELOW, False)
    assert standing(Decimal(1), Decimal(1), Direction.UP) == (Standing.AT, None)


def test_the_change_since_the_previous_benchmarking(own) -> None:  # type: ignore[no-untyped-def]
    report = build_report(own.id)
    assert report.previous is not None and report.previous.level == Level.BRONZE
    changes = {change.code: change for change in report.changes}
    assert set(changes) == {"B01", "B03"}  # B08 stayed at 2
    assert changes["B01"].rose and changes["B01"].better is True
    assert changes["B01"].delta == 40
    assert not changes["B03"].rose and changes["B03"].better is None  # neutral


def test_the_same_statements_with_ten_times_the_clusters(app) -> None:  # type: ignore[no-untyped-def]
    counts = []
    for extra in (3, 30):
        with app.app_context():
            own_id = build(extra)[1].id
            db.session.expunge_all()
            with recorded(db.engine) as statements:
                report = build_report(own_id)
            assert report.groups[PeerGroup.ALL].clusters == 6 + extra
            counts.append(len(statements))
            db.session.remove()
            empty_tables()
    assert counts[0] == counts[1]
