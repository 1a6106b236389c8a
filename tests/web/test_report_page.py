"""The report page: the hand-made peers' figures, the group tabs, groups below the
minimum, NEUTRAL indicators, the preview, who may open it, and a fixed number of
statements."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, State, User
from certtrack.services.settings import save_settings
from certtrack.statements import recorded
from tests.builders import PASSWORD
from tests.database import empty_tables
from tests.peer_builders import PEER_BUDGETS, PEER_COMMENT, build
from tests.web.conftest import sign_in

MANAGER = "manager@ditenave.example"


@pytest.fixture
def own_id(app: Flask) -> int:
    with app.app_context():
        return build()[1].id


def page(
    client: FlaskClient,
    own_id: int,
    email: str = MANAGER,
    query: str = "",
    locale: str | None = "en",
) -> str:
    sign_in(client, email, PASSWORD, locale=locale)
    response = client.get(f"/applications/{own_id}/report{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row(html: str, code: str) -> str:
    found = re.search(rf'<tr data-indicator="{code}">(.*?)</tr>', html, re.S)
    assert found, code
    return found.group(1)


def test_the_page_shows_the_peer_figures(client, own_id) -> None:
    html = page(client, own_id)
    b01 = row(html, "B01")
    for figure in ("22.5", "35", "47.5", "<td>6</td>", "<td>67</td>", "above the median"):
        assert figure in b01
    assert "better" in b01
    assert "Counted from the member register" in b01
    assert "Answers: 0: 1 · 1: 2 · 2: 1 · 3: 1 · 4: 1" in row(html, "B08")
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "data-preview" not in html


def test_the_group_tabs(client, own_id) -> None:
    html = page(client, own_id, query="?group=country")
    assert re.search(r'aria-current="page" href="[^"]*group=country"', html)
    assert html.count('aria-current="page"') == 2  # the tab and the breadcrumb
    b01 = row(html, "B01")
    assert "<td>20</td><td>30</td><td>40</td>" in b01 and "<td>80</td>" in b01
    # An unknown group falls back to all clusters.
    assert re.search(
        r'aria-current="page" href="[^"]*group=all"', page(client, own_id, query="?group=x")
    )


def test_a_group_below_the_minimum_shows_no_figures(client, own_id) -> None:
    html = page(client, own_id, query="?group=excellence")
    assert "data-not-enough" in html
    assert "data-position" not in html
    assert "not enough peers" in row(html, "B01")


def test_a_neutral_indicator_is_never_called_better_or_worse(client, own_id) -> None:
    b03 = row(page(client, own_id), "B03")
    assert "below the median" in b03
    assert "better" not in b03 and "worse" not in b03


def test_no_peer_value_leaves_the_server(app, client, own_id) -> None:
    with app.app_context():
        save_settings({"peer_group_minimum": "7"})  # no group reaches it
    for group in ("all", "country", "sector", "excellence"):
        html = page(client, own_id, query=f"?group={group}")
        assert "data-position" not in html
        for budget in PEER_BUDGETS:
            assert str(budget) not in html and f"{budget:,}" not in html
        assert PEER_COMMENT not in html


def test_the_changes_since_the_previous_benchmarking(client, own_id) -> None:
    html = page(client, own_id)
    assert 'data-change="B01"' in html and 'data-change="B08"' not in html
    change = re.search(r'<tr data-change="B03">(.*?)</tr>', html, re.S)
    assert change and "down" in change.group(1) and "worse" not in change.group(1)


def test_italian_readers(app, client, own_id) -> None:
    with app.app_context():
        db.session.execute(db.update(User).where(User.email == MANAGER).values(locale="it"))
        db.session.commit()
    html = page(client, own_id, locale=None)  # the account's language
    assert "Mediana" in html and "22,5" in row(html, "B01")


WHO = {
    "manager@ditenave.example": 200,
    "coord@informest.example": 200,
    "anna@experts.example": 200,  # the assigned consultant
    "admin@certtrack.example": 200,
    "luis@experts.example": 403,
    "manager@moravian.example": 403,
    "coord@czechinvest.example": 403,
}


def test_who_may_open_the_report(client, own_id) -> None:
    client.post("/logout")
    response = client.get(f"/applications/{own_id}/report")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    for email, status in WHO.items():
        sign_in(client, email, PASSWORD)
        assert client.get(f"/applications/{own_id}/report").status_code == status, email


def test_the_consultant_previews_a_draft(app, client, own_id) -> None:
    with app.app_context():
        application = db.session.get(Application, own_id)
        application.state = State.CONSULTANT_REVIEW
        application.report.delivered_at = None
        db.session.commit()
    html = page(client, own_id, "anna@experts.example")
    assert "data-preview" in html and "22.5" in row(html, "B01")
    for email in ("manager@ditenave.example", "coord@informest.example", "admin@certtrack.example"):
        sign_in(client, email, PASSWORD)
        assert client.get(f"/applications/{own_id}/report").status_code == 404, email


def test_the_application_and_cluster_pages_link_to_the_report(app, client, own_id) -> None:
    sign_in(client, MANAGER, PASSWORD)
    link = f'href="/applications/{own_id}/report"'
    assert link in client.get(f"/applications/{own_id}").get_data(as_text=True)
    with app.app_context():
        cluster = db.session.scalar(select(Application.cluster_id).where(Application.id == own_id))
    assert link in client.get(f"/clusters/{cluster}").get_data(as_text=True)
    sign_in(client, "luis@experts.example", PASSWORD)
    assert link not in client.get("/dashboard").get_data(as_text=True)


def test_the_page_runs_the_same_statements_with_ten_times_the_peers(app) -> None:
    counts = []
    for extra in (3, 30):
        with app.app_context():
            own = build(extra)[1].id
        client = sign_in(app.test_client(), MANAGER, PASSWORD)
        with app.app_context():
            engine = db.engine
        with recorded(engine) as statements:
            assert client.get(f"/applications/{own}/report").status_code == 200
        counts.append(len(statements))
        with app.app_context():
            db.session.remove()
            empty_tables()
    assert counts[0] == counts[1]
