"""The consultant's dashboard: reviews under way, and those delivered under their own
heading with what became of them; every item is a link."""

import re

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Report, User
from tests.web.conftest import sign_in

CONSULTANT = "luis.ortega@experts.example"  # reviews Polo now, reviewed AREA's Silver


def test_delivered_reviews_are_under_their_heading_with_the_outcome(demo, client):
    with demo.app_context():
        luis = db.session.scalar(select(User).where(User.email == CONSULTANT))
        delivered = db.session.scalars(
            select(Application)
            .join(Application.report)
            .where(Application.consultant_id == luis.id, Report.delivered_at.is_not(None))
        ).all()
        expected = {a.id: "label_issued" if a.label else a.state.value for a in delivered}
        # The dashboard's order: the latest delivery first, ties broken by the report.
        by_delivery = sorted(delivered, key=lambda a: (a.report.delivered_at, a.report.id))
        latest_first = [a.id for a in reversed(by_delivery)]
    assert expected, "the demo has a delivered review of Luis"
    sign_in(client, CONSULTANT)
    page = client.get("/dashboard").get_data(as_text=True)
    section = re.search(r'<section[^>]*id="delivered-reviews".*?</section>', page, re.S)
    assert section and re.search(r"<h2[^>]*>Delivered ", section[0])
    shown = dict(re.findall(r'data-delivered="(\d+)".*?data-outcome="(\w+)"', section[0], re.S))
    assert {int(k): v for k, v in shown.items()} == expected
    assert [int(k) for k in shown] == latest_first
    assert "Label issued" in section[0]
    for app_id in expected:
        assert f'href="/applications/{app_id}"' in section[0]
    under_way = page[: section.start()]
    assert "Report delivered" not in under_way  # delivered ones left the list under way


def test_every_item_on_the_dashboards_is_a_link(demo, client):
    sign_in(client, "coordinator@informest.example")
    page = client.get("/dashboard").get_data(as_text=True)
    items = re.findall(r'<li class="list-group-item(?! text-muted)[^"]*">(.*?)</li>', page, re.S)
    assert items
    assert all("<a " in item for item in items)
    sign_in(client, CONSULTANT)
    page = client.get("/dashboard").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", page, re.S)
    assert rows and all(cell.startswith("<a href=") for cell in rows)
