"""Markup the accessibility sweep relies on, checked page by page with the test client:
valid `<time datetime>` values, the current page in the navigation, forms with an
address to post to."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine

from certtrack.web import machine_datetime
from tests.web.conftest import open_application_id, sign_in

# A valid global date and time string, to the second (the HTML standard's datetime).
DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def test_machine_datetime_drops_the_microseconds_and_says_utc() -> None:
    assert machine_datetime(datetime(2026, 11, 25, 9, 5, 7, 123456)) == "2026-11-25T09:05:07Z"
    rome = datetime(2026, 11, 25, 10, 5, 7, 999, tzinfo=ZoneInfo("Europe/Rome"))
    assert machine_datetime(rome) == "2026-11-25T09:05:07Z"
    assert machine_datetime(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00Z"


def test_history_entries_recorded_at_runtime_carry_valid_datetimes(demo, client) -> None:
    parco = open_application_id(demo, "Parco Agroalimentare di San Daniele")
    sign_in(client, "manager@parco.example")
    # A moment with microseconds, as every event fired at runtime has.
    with time_machine.travel(datetime(2026, 11, 25, 9, 30, 1, 654321, tzinfo=UTC), tick=False):
        assert client.post(f"/applications/{parco}/events/submit").status_code == 302
        page = client.get(f"/applications/{parco}").get_data(as_text=True)
    values = re.findall(r'<time[^>]*datetime="([^"]*)"', page)
    assert "2026-11-25T09:30:01Z" in values
    assert [v for v in values if not DATETIME.fullmatch(v)] == []


def test_the_navigation_marks_the_current_page_only(demo, client) -> None:
    sign_in(client, "coordinator@informest.example")
    board = client.get("/board").get_data(as_text=True)
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>', board) == [
        '<a class="nav-link active" href="/board" aria-current="page">'
    ]
    clusters = client.get("/clusters").get_data(as_text=True)
    assert re.findall(r'href="(/[a-z]*)" aria-current="page"', clusters) == ["/clusters"]


def test_the_sign_in_form_posts_to_its_own_address(demo, client) -> None:
    bare = client.get("/login").get_data(as_text=True)
    assert '<form action="/login" method="post"' in bare
    onward = client.get("/login?next=/board").get_data(as_text=True)
    assert '<form action="/login?next=/board" method="post"' in onward
    assert 'action=""' not in bare + onward
