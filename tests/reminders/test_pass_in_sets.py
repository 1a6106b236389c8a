"""The daily pass works in set operations: its statements do not grow with the labels,
running a day again writes nothing, and keys made in SQL are those Python made before
(messages already in the outbox are not sent again)."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import DateTime, func, literal, select

from certtrack.demo.scale import seed_scale
from certtrack.extensions import db
from certtrack.models import AuditEntry, OutboxMessage
from certtrack.services.reminders import PassResult, decide, run_daily_pass
from certtrack.services.sql import isoformat
from certtrack.statements import recorded
from certtrack.workflow.policy import load_policy
from tests.database import empty_tables
from tests.reminders.conftest import noon

SEEDED = date(2026, 11, 25)
# A pass that was down for over a year: labels lapse, expire and enter their renewal
# window, and reminders of every sort are due.
LATER = SEEDED + timedelta(days=400)


def catch_up(clusters: int) -> tuple[int, PassResult]:
    seed_scale(clusters, labels_per_cluster=2, agencies=2, today=SEEDED)
    with recorded(db.engine) as statements:
        result = run_daily_pass(LATER, now=noon(LATER))
    return len(statements), result


def next_day() -> tuple[int, PassResult]:
    """The pass of the day after the catch-up: a day like any other."""
    day = LATER + timedelta(days=1)
    with recorded(db.engine) as statements:
        result = run_daily_pass(day, now=noon(day))
    return len(statements), result


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_pass_runs_as_many_statements_for_ten_times_the_labels(ctx):
    small, few = catch_up(20)
    small_day, _ = next_day()
    db.session.remove()
    empty_tables()
    large, many = catch_up(200)
    large_day, _ = next_day()
    assert many.events > few.events > 0
    assert many.written > few.written > 0
    assert small == large
    assert small_day == large_day


def test_a_second_run_of_the_same_day_queues_nothing_new(ctx):
    seed_scale(150, labels_per_cluster=2, agencies=3, today=SEEDED)  # 300 labels
    first = run_daily_pass(LATER, now=noon(LATER))
    keys = set(db.session.scalars(select(OutboxMessage.key)))
    history = count(AuditEntry)
    again = run_daily_pass(LATER, now=noon(LATER) + timedelta(hours=1))
    assert first.events > 0 and first.written == len(keys) > 0
    assert again == PassResult(events=0, written=0)
    assert set(db.session.scalars(select(OutboxMessage.key))) == keys
    assert count(AuditEntry) == history
    assert decide(LATER, load_policy()) == []


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2016, 3, 1, 9, 30),
        datetime(2016, 3, 1, 9, 30, 5, 123456),
        datetime(2016, 3, 1, 9, 30, 5, 100),
    ],
)
def test_timestamps_in_keys_are_written_as_python_writes_them(ctx, moment):
    """review_stalled's key carries the assignment's time: written differently from the
    keys of rows already in the outbox, a reminder would go out twice."""
    written = db.session.scalar(select(isoformat(literal(moment, DateTime))))
    assert written == moment.isoformat()
