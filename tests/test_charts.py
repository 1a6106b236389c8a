"""The report's SVG charts: well-formed images with a title and a description, the
cluster's dot on every answered row, a box and a median only where the group has
figures, each row on its own scale."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from certtrack.charts import area_chart, scale_of
from certtrack.services.peers import PeerGroup
from certtrack.services.report import build_report
from tests.peer_builders import build

SVG = "{http://www.w3.org/2000/svg}"


def chart(report, group: PeerGroup):  # type: ignore[no-untyped-def]
    area = next(a for a in report.areas if any(i.code == "B01" for i in a.indicators))
    return area, ET.fromstring(str(area_chart(area, group, "c1")))  # noqa: S314  (our own SVG)


def test_a_chart_is_an_accessible_image(ctx) -> None:
    report = build_report(build()[1].id)
    area, svg = chart(report, PeerGroup.ALL)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    assert svg.find(f"{SVG}desc").get("id") == "c1-desc"
    answered = sum(1 for line in area.indicators if line.value is not None)
    with_figures = sum(
        1 for line in area.indicators if line.peers[PeerGroup.ALL].median is not None
    )
    rows = svg.findall(f"{SVG}g")[:-1]  # the last group is the legend
    assert len(rows) == len(area.indicators)
    assert sum(len(row.findall(f"{SVG}circle")) for row in rows) == answered
    assert sum(len(row.findall(f"{SVG}rect")) for row in rows) == with_figures >= 1


def test_a_group_without_figures_draws_no_box(ctx) -> None:
    report = build_report(build()[1].id)
    _area, svg = chart(report, PeerGroup.EXCELLENCE)  # four clusters: below the minimum
    assert not any(row.findall(f"{SVG}rect") for row in svg.findall(f"{SVG}g")[:-1])


def test_each_row_has_its_own_scale(ctx) -> None:
    report = build_report(build()[1].id)
    lines = {line.code: line for area in report.areas for line in area.indicators}
    assert scale_of(lines["B08"], PeerGroup.ALL) == (0, 4)  # the scale's range
    assert scale_of(lines["B03"], PeerGroup.ALL) == (0, 100)  # a percentage
    low, high = scale_of(lines["B01"], PeerGroup.ALL)  # a count: quartiles and the value
    assert low == 0 and high > Decimal("47.5")
