"""Bounded pages: the dashboard's first few with a way to the whole list, the board's
columns and /expiring's lists paging on their own, one accessible, translated pager."""

import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import sign_in

COORDINATOR = "coordinator@informest.example"


def text(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def links(page: str, rel: str) -> list[str]:
    return [unescape(href) for href in re.findall(rf'href="([^"]+)" rel="{rel}"', page)]


def small_pages(app: Flask, size: int = 1) -> None:
    app.config.update(
        CERTTRACK_PAGE_SIZE=size,
        CERTTRACK_BOARD_PAGE_SIZE=size,
        CERTTRACK_DASHBOARD_LIST_SIZE=size,
    )


def test_dashboard_shows_the_first_few_with_counts_and_a_link_to_the_whole_list(
    demo: Flask, client: FlaskClient
) -> None:
    small_pages(demo)
    page = text(sign_in(client, COORDINATOR).get("/dashboard"))
    # Two labels end within 180 days: the count is the whole, the list its first one.
    assert 'data-expiring="180">2<' in page
    section = page.split('id="todo-expiring"')[1].split("<h2")[0]
    assert section.count('class="list-group-item') == 1
    assert '<a href="/expiring">See all 2</a>' in section


def test_board_columns_page_on_their_own_keeping_filters_and_other_pages(
    demo: Flask, client: FlaskClient
) -> None:
    small_pages(demo, 2)
    sign_in(client, "admin@certtrack.example")  # six Bronze follow-ups, one of the rest
    page = text(client.get("/board?level=bronze&draft_page=2"))
    assert 'data-count="follow_up">6<' in page and 'data-count="draft">1<' in page
    [following] = links(page, "next")  # the only column longer than a page
    assert following.startswith("/board?") and following.endswith("#col-follow_up")
    assert "level=bronze" in following and "follow_up_page=2" in following
    assert "draft_page=2" in following  # the other column stays where it was
    after = text(client.get(following))
    assert 'data-count="follow_up">6<' in after and "Page 2 of 3" in after
    before, now = column_cards(page, "follow_up"), column_cards(after, "follow_up")
    assert len(before) == len(now) == 2 and set(before).isdisjoint(now)
    assert column_cards(after, "draft") == []  # still on its (empty) second page
    assert len(column_cards(after, "submitted")) == 1


def column_cards(page: str, state: str) -> list[str]:
    column = page.split(f'id="col-{state}"')[1].split("</section>")[0]
    return re.findall(r'data-application="(\d+)"', column)


def test_expiring_pages_each_list_with_an_accessible_pager(
    demo: Flask, client: FlaskClient
) -> None:
    small_pages(demo)
    sign_in(client, COORDINATOR)
    page = text(client.get("/expiring"))
    assert '<nav aria-label="Pages of the labels ending within 180 days">' in page
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in page
    [following] = links(page, "next")
    assert "within=180" in following and "page=2" in following
    second = text(client.get(following))
    assert "Page 2 of 2" in second and links(second, "prev")
    first_rows = re.findall(r"<td>([BSG]-[A-Z]{2}-\d{4}-\d{5})</td>", page)
    second_rows = re.findall(r"<td>([BSG]-[A-Z]{2}-\d{4}-\d{5})</td>", second)
    assert len(first_rows) == len(second_rows) == 1 and first_rows != second_rows


def test_pager_speaks_italian(demo: Flask, client: FlaskClient) -> None:
    small_pages(demo)
    sign_in(client, COORDINATOR)
    client.post("/locale", data={"locale": "it"})
    page = text(client.get("/expiring"))
    assert "Pagina 1 di 2" in page and "Successiva" in page and "Precedente" in page
    assert 'aria-label="Pagine dei label in scadenza entro 180 giorni"' in page


def test_a_page_number_that_is_not_one_is_refused(demo: Flask, client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    for url in ["/board?submitted_page=x", "/expiring?lapsed_page=0", "/clusters?page=²"]:
        assert client.get(url).status_code == 422, url
