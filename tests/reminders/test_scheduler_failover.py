"""Two real `flask scheduler run` processes on one PostgreSQL: the leader is killed
with SIGKILL in the middle of its catch-up pass, the other takes over within
CERTTRACK_SCHEDULER_TAKEOVER_SECONDS and every message arrives exactly once.

The pass is held in its middle by the test itself: it locks the outbox table, so the
leader's pass waits on it (a legitimate slow pass: a busy database). This test
waits on real processes, with bounded timeouts; everything else is time-machine."""

import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models import Cluster, OutboxMessage, OutboxStatus, Role
from certtrack.services import leadership
from certtrack.services.dispatch import send_due
from tests.builders import ELIGIBLE_PROFILE, Journey, add_user, make_cast
from tests.conftest import BACKEND
from tests.reminders.conftest import flask_env

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="failover needs PostgreSQL")

TAKEOVER_SECONDS = 5
CLUSTERS = 6


def clusters_with_labels_ending_this_month(count: int) -> None:
    """Labels end at the end of their interview month two years later: this month."""
    today = local_today()
    interview = date(today.year - 2, today.month, 1)
    cast = make_cast()
    for i in range(count):
        cluster = Cluster(agency_id=cast.agency.id, name=f"Cluster {i}", **ELIGIBLE_PROFILE)
        db.session.add(cluster)
        db.session.commit()
        manager = add_user(Role.MANAGER, f"manager{i}@x.example", cluster_id=cluster.id)
        journey = Journey(cast)
        journey.cluster, journey.manager = cluster, manager
        journey.start(day=interview - timedelta(days=60))
        journey.to_label(interview=interview, consultant=cast.consultant)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)  # waiting for other processes, not for the clock


def heartbeat():  # type: ignore[no-untyped-def]
    db.session.rollback()  # a fresh snapshot each time
    return leadership.current()


def scheduler(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_killed_leader_mid_pass_is_replaced_within_the_setting_and_nothing_is_lost_or_doubled(
    mail_app, smtp, migrated
):
    clusters_with_labels_ending_this_month(CLUSTERS)
    send_due()  # the notices of the steps above; the test is about the pass's messages
    smtp.inbox.received.clear()
    before = set(db.session.scalars(select(OutboxMessage.message_id)))
    env = flask_env(migrated, smtp, CERTTRACK_SCHEDULER_TAKEOVER_SECONDS=str(TAKEOVER_SECONDS))
    locker = db.engine.connect()
    locker.execute(text("LOCK TABLE outbox_message IN EXCLUSIVE MODE"))  # reads still pass
    first = second = None
    try:
        first = scheduler(env)
        wait_for(lambda: getattr(heartbeat(), "pid", None) == first.pid, 30, "a leader")
        second = scheduler(env)

        def pass_waits_on_the_outbox() -> bool:
            # Dispatchers wait on their first statement, the stale-claims UPDATE; any
            # other statement waiting on the outbox is the pass's.
            waiting = locker.execute(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE NOT l.granted AND l.relation = 'outbox_message'::regclass"
                    " AND a.query NOT ILIKE 'UPDATE outbox_message SET status%'"
                )
            ).scalar_one()
            return bool(waiting)

        wait_for(pass_waits_on_the_outbox, 30, "the leader's pass to reach the outbox")
        beat = heartbeat()
        assert beat.pid == first.pid and beat.pass_started_at and beat.pass_ended_at is None
        first.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        locker.rollback()  # the dead leader's transaction is rolled back, never committed
        wait_for(lambda: heartbeat().pid == second.pid, 3 * TAKEOVER_SECONDS, "a takeover")
        took_over_after = time.monotonic() - killed_at
        wait_for(
            lambda: (
                heartbeat().pass_ended_at is not None
                and not db.session.scalar(
                    select(OutboxMessage.id).where(
                        OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                    )
                )
            ),
            60,
            "the new leader's pass and its messages",
        )
        second.send_signal(signal.SIGTERM)
        second_output, _ = second.communicate(timeout=30)
        first_output, _ = first.communicate(timeout=30)
    finally:
        locker.close()
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert second.returncode == 0, second_output
    assert took_over_after < TAKEOVER_SECONDS, took_over_after
    assert "scheduler: leading" in first_output
    assert "scheduler: leading" in second_output

    db.session.rollback()
    rows = db.session.execute(select(OutboxMessage.message_id, OutboxMessage.status)).all()
    # Sent, or cancelled at send time because its reason went away meanwhile.
    assert {status for _, status in rows} <= {OutboxStatus.SENT, OutboxStatus.CANCELLED}
    expected = Counter(
        message_id
        for message_id, status in rows
        if status == OutboxStatus.SENT and message_id not in before
    )
    assert len(expected) >= 2 * CLUSTERS  # a notice to each manager, a copy to coordinators
    arrived = Counter(str(r.message["Message-ID"]) for r in smtp.inbox.received)
    assert arrived == expected  # every message, each exactly once
    label_notices = [r for r in smtp.inbox.received if any(t.startswith("manager") for t in r.to)]
    assert len({r.to[0] for r in label_notices}) == CLUSTERS  # every manager heard
    assert heartbeat().pass_outcome.startswith("ok: ")
