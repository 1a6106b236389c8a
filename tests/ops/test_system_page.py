"""The admin's System page: the scheduler's leader and beat, its last daily pass and
dispatcher run, the outbox by status."""

from datetime import UTC, datetime, timedelta

import time_machine

from certtrack.models import Role
from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.invitations import request_password_reset
from certtrack.services.leadership import Candidate
from tests.builders import PASSWORD, add_user


def admin_client(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        add_user(Role.ADMIN, "admin@x.example")
        add_user(Role.CONSULTANT, "someone@x.example")
        request_password_reset("someone@x.example")
    client = app.test_client()
    client.post("/login", data={"email": "admin@x.example", "password": PASSWORD})
    return client


def test_before_any_scheduler_the_page_says_so(app):
    page = admin_client(app).get("/admin/system").get_data(as_text=True)
    assert "No scheduler has run against this database yet" in page
    assert "<code>pending</code></td><td>1</td>" in page


def test_the_page_shows_the_leader_and_the_last_runs(app):
    client = admin_client(app)
    # From now on: the admin's sign-in session is of now.
    start = datetime.now(UTC).replace(microsecond=0)
    with app.app_context(), time_machine.travel(start, tick=False) as clock:
        assert leadership.try_lead(Candidate("e" * 32, "sched-1.agency.example", 777), utcnow())
        leadership.pass_started(utcnow())
        clock.shift(timedelta(seconds=2))
        leadership.pass_ended(utcnow(), "ok: 3 events, 12 messages queued")
        leadership.dispatched(utcnow(), utcnow(), "Outcome(sent=12)")
        clock.shift(timedelta(seconds=5))
        page = client.get("/admin/system").get_data(as_text=True)
        assert "alive" in page and "sched-1.agency.example, process 777" in page
        assert "ok: 3 events, 12 messages queued" in page and "Outcome(sent=12)" in page
        assert "2 s" in page
        leadership.pass_started(utcnow())  # a pass that never ended
        clock.shift(timedelta(seconds=600))
        page = client.get("/admin/system").get_data(as_text=True)
    assert "The scheduler is silent" in page
    assert "running, or interrupted" in page
