"""The scheduler lease, with the clock moved by time-machine: one leader, a follower
that takes over once the lease ran out, a clean stop that hands over at once."""

from datetime import UTC, datetime, timedelta

import time_machine

from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.leadership import Candidate

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
A = Candidate("a" * 32, "host-a", 101)
B = Candidate("b" * 32, "host-b", 202)


def test_one_leader_and_the_other_takes_over_within_the_setting(ctx):
    ctx.config["CERTTRACK_SCHEDULER_TAKEOVER_SECONDS"] = 60
    with time_machine.travel(START, tick=False) as clock:
        assert leadership.try_lead(A, utcnow())
        assert not leadership.try_lead(B, utcnow())
        clock.shift(timedelta(seconds=15))  # A renews every quarter of the setting
        assert leadership.try_lead(A, utcnow())
        clock.shift(timedelta(seconds=29))  # A died just after renewing
        assert not leadership.try_lead(B, utcnow())  # its lease still holds
        clock.shift(timedelta(seconds=2))
        assert leadership.try_lead(B, utcnow())  # 31 s after A's last beat: well within 60
        assert not leadership.try_lead(A, utcnow())  # a leader come back waits its turn
    row = leadership.current()
    assert (row.holder, row.host, row.pid) == (B.holder, "host-b", 202)


def test_a_clean_stop_hands_the_lease_over_at_once(ctx):
    with time_machine.travel(START, tick=False) as clock:
        assert leadership.try_lead(A, utcnow())
        leadership.release(B, utcnow())  # not B's to give
        assert not leadership.try_lead(B, utcnow())
        leadership.release(A, utcnow())
        clock.shift(timedelta(microseconds=1))
        assert leadership.try_lead(B, utcnow())


def test_forced_lead_on_a_single_process_ignores_a_dead_predecessor(ctx):
    with time_machine.travel(START, tick=False):
        assert leadership.try_lead(A, utcnow())
        assert leadership.try_lead(B, utcnow(), force=True)
        assert leadership.current().holder == B.holder


def test_pass_and_dispatch_are_recorded_on_the_heartbeat(ctx):
    with time_machine.travel(START, tick=False) as clock:
        assert leadership.current() is None
        leadership.pass_started(utcnow())
        clock.shift(timedelta(seconds=3))
        leadership.pass_ended(utcnow(), "ok: " + "x" * 500)
        leadership.dispatched(utcnow(), utcnow(), "Outcome(sent=2)")
    row = leadership.current()
    assert row.pass_ended_at - row.pass_started_at == timedelta(seconds=3)
    assert len(row.pass_outcome) == leadership.OUTCOME_LENGTH
    assert row.dispatch_outcome == "Outcome(sent=2)"
