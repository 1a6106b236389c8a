"""The pipeline board helps decide: columns in the path's order, and on each card the
time in its stage, the next due date with an overdue marker in words, the consultant;
the cards sorted in SQL, the order kept across pages like the filters."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Level, Role, User
from certtrack.services import applications, portfolio
from certtrack.workflow.guards import impartiality_problem, previous_consultant_id
from certtrack.workflow.policy import load_policy
from tests.web.conftest import TODAY, open_application_id, sign_in

ROME = ZoneInfo("Europe/Rome")
COORDINATOR = "coordinator@informest.example"


def columns(page: str) -> dict[str, str]:
    """Each column's HTML by state."""
    found = re.findall(
        r'<section class="board-column[^"]*" id="col-(\w+)".*?</section>', page, re.S
    )
    bodies = re.split(r'<section class="board-column', page)[1:]
    return dict(zip(found, bodies, strict=True))


def card(page: str, application_id: int) -> str:
    found = re.search(rf'<article[^>]*data-application="{application_id}".*?</article>', page, re.S)
    assert found, f"no card for {application_id}"
    return found.group(0)


def assign_sedia(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """The coordinator gives ASDI Sedia's review to an impartial consultant, now."""
    sedia = open_application_id(app, "ASDI Sedia")
    with app.app_context():
        application = db.session.get(Application, sedia)
        coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
        policy, previous = load_policy(), previous_consultant_id(application)
        consultant = next(
            c
            for c in db.session.scalars(select(User).where(User.role == Role.CONSULTANT))
            if impartiality_problem(application, c, policy, previous) is None
        )
        applications.fire(
            application, "assign_consultant", coordinator, today=TODAY, consultant_id=consultant.id
        )
        return sedia, consultant.name


def test_columns_follow_the_path_from_draft(demo, client):
    sign_in(client, COORDINATOR)
    page = client.get("/board").get_data(as_text=True)
    assert list(columns(page)) == [state.value for state in portfolio.OPEN_STATES]
    assert list(columns(page))[:3] == ["draft", "submitted", "consultant_review"]


def test_card_shows_time_in_stage_due_date_consultant_and_overdue(demo, client):
    sedia, consultant = assign_sedia(demo)
    with demo.app_context():
        due = TODAY + timedelta(days=load_policy().review_due_days)
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=ROME), tick=False):
        sign_in(client, COORDINATOR)  # a session of its own, the clock moved on
        shown = card(client.get("/board?q=sedia").get_data(as_text=True), sedia)
    assert "12 days in this stage" in shown
    assert f'data-due="{due.isoformat()}"' in shown and "Report due" in shown
    assert consultant in shown
    assert "Overdue" not in shown and "data-overdue" not in shown
    day_after = datetime.combine(due + timedelta(days=1), datetime.min.time(), tzinfo=ROME)
    with time_machine.travel(day_after + timedelta(hours=10), tick=False):
        sign_in(client, COORDINATOR)
        late = card(client.get("/board?q=sedia").get_data(as_text=True), sedia)
    assert "36 days in this stage" in late
    # In words, not only in colour.
    assert re.search(r"<strong[^>]*data-overdue>Overdue</strong>", late)


def test_a_labelled_card_shows_the_end_of_its_label(demo, client):
    sign_in(client, COORDINATOR)
    page = client.get("/board").get_data(as_text=True)
    follow_up = columns(page)["follow_up"]
    assert "Label ends" in follow_up and "data-due=" in follow_up


def cards_in(column: str) -> list[str]:
    return re.findall(r"<article.*?</article>", column, re.S)


def test_sorting_is_done_per_column_and_kept_across_pages(demo, client):
    sign_in(client, "admin@certtrack.example")
    by_name = columns(client.get("/board?sort=name").get_data(as_text=True))
    sorted_any = False
    for column in by_name.values():
        names = re.findall(r'class="stretched-link[^"]*" href="[^"]+">([^<]+)</a>', column)
        assert names == sorted(names, key=str.lower)
        sorted_any = sorted_any or len(names) > 1
    assert sorted_any, "the demo has a column of several cards"
    by_stage = columns(client.get("/board?sort=stage").get_data(as_text=True))
    for column in by_stage.values():
        days = [int(d) for d in re.findall(r'data-days-in-stage="(\d+)"', column)]
        assert days == sorted(days, reverse=True)
    by_due = columns(client.get("/board?sort=due").get_data(as_text=True))
    for column in by_due.values():
        dues = [date.fromisoformat(d) for d in re.findall(r'data-due="([\d-]+)"', column)]
        assert dues == sorted(dues)
    demo.config["CERTTRACK_BOARD_PAGE_SIZE"] = 1
    page = client.get("/board?sort=name&level=bronze").get_data(as_text=True)
    pager_links = re.findall(r'href="(/board\?[^"]*_page=\d[^"]*)"', page)
    assert pager_links and all(
        "sort=name" in link and "level=bronze" in link for link in pager_links
    )
    assert '<option value="name" selected>' in page


def test_an_unknown_sort_is_the_default_order(demo, client):
    sign_in(client, COORDINATOR)
    response = client.get("/board?sort=%27;drop")
    assert response.status_code == 200
    assert '<option value="stage" selected>' in response.get_data(as_text=True)


def test_filters_apply_as_they_change_with_a_script_and_keep_their_button(demo, client):
    sign_in(client, COORDINATOR)
    page = client.get("/board").get_data(as_text=True)
    assert re.search(r"<form[^>]*data-submit-on-change", page)
    assert '<script src="/static/board.js"></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script (CSP)
    assert '<button class="btn btn-primary" type="submit">Filter</button>' in page
    response = client.get("/static/board.js", buffered=True)
    assert "requestSubmit" in response.get_data(as_text=True)
    response.close()


def test_the_closed_tally_counts_each_closed_state_and_says_more_than_its_limit(demo, client):
    """Exact up to the limit (CERTTRACK_BOARD_TALLY_LIMIT), "more than" it beyond; the
    filters apply to the tally as to the columns."""
    with demo.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
        closed = portfolio.closed_states()
        expected = portfolio.state_counts(coordinator, portfolio.BoardFilters(), closed)
        silver = portfolio.state_counts(
            coordinator, portfolio.BoardFilters(level=Level.SILVER), closed
        )
    sign_in(client, COORDINATOR)
    assert tally(client.get("/board").get_data(as_text=True)) == {
        state.value: str(count) for state, count in expected.items()
    }
    limit = max(expected.values()) - 1
    beyond = {state for state, count in expected.items() if count > limit}
    assert beyond and beyond != set(closed), "the demo has states on both sides of it"
    demo.config["CERTTRACK_BOARD_TALLY_LIMIT"] = limit
    shown = tally(client.get("/board").get_data(as_text=True))
    assert shown == {
        state.value: f"more than {limit}" if count > limit else str(count)
        for state, count in expected.items()
    }
    filtered = tally(client.get("/board?level=silver").get_data(as_text=True))
    assert filtered == {
        state.value: f"more than {limit}" if count > limit else str(count)
        for state, count in silver.items()
    }
    assert filtered != shown


def tally(page: str) -> dict[str, str]:
    return dict(re.findall(r'<strong data-closed="(\w+)">([^<]+)</strong>', page))
