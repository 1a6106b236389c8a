"""Claims are leases: the rows of a dispatcher that died go out within the lease, a live
dispatcher's slow batch is never taken from it, and nothing is sent twice. The clock is
moved with time-machine; one test kills a real `flask outbox send` with SIGKILL."""

import asyncio
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, Role
from certtrack.models.base import utcnow
from certtrack.services.claims import Lease, claim
from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.invitations import request_password_reset
from tests.builders import add_user, make_cast
from tests.reminders.conftest import flask_env

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=120)  # the default OUTBOX_CLAIM_LEASE_SECONDS


def queue_resets(count: int) -> list[str]:
    """`count` password resets, to as many people; their addresses."""
    addresses = [f"person{i}@x.example" for i in range(count)]
    for address in addresses:
        add_user(Role.CONSULTANT, address)
        request_password_reset(address)
    return addresses


def statuses() -> Counter[OutboxStatus]:
    db.session.expire_all()
    return Counter(db.session.scalars(select(OutboxMessage.status)))


def test_rows_of_a_dead_dispatcher_go_out_within_the_lease(mail_app, smtp):
    with time_machine.travel(START, tick=False) as clock:
        addresses = queue_resets(3)
        assert len(claim(utcnow(), 10, "died-mid-batch")) == 3  # and never renews
        clock.shift(LEASE - timedelta(seconds=1))
        assert send_due() == Outcome()  # still theirs
        clock.shift(timedelta(seconds=2))
        assert send_due().sent == 3
    assert sorted(r.to[0] for r in smtp.inbox.received) == addresses


def test_a_live_slow_batch_renews_its_lease_and_is_never_taken(mail_app, smtp):
    """Each message takes 50 seconds of clock; after each, a rival dispatcher runs. The
    batch takes 5 minutes, more than twice the lease, and the rival gets nothing."""
    accept = smtp.inbox.handle_DATA
    rival_outcomes: list[Outcome] = []
    in_rival = threading.Event()

    def rival() -> None:
        in_rival.set()
        try:
            with mail_app.app_context():
                rival_outcomes.append(send_due())
        finally:
            in_rival.clear()

    with time_machine.travel(START, tick=False) as clock:
        addresses = queue_resets(6)

        async def slow_accept(server, session, envelope):  # type: ignore[no-untyped-def]
            reply = await accept(server, session, envelope)
            if not in_rival.is_set():
                clock.shift(timedelta(seconds=50))
                # In a worker thread: the rival may need this SMTP server itself.
                await asyncio.get_running_loop().run_in_executor(None, rival)
            return reply

        smtp.inbox.handle_DATA = slow_accept  # type: ignore[method-assign]
        outcome = send_due()
        assert utcnow() - START.replace(tzinfo=None) == timedelta(minutes=5)
    assert outcome.sent == 6
    assert rival_outcomes == [Outcome()] * 6
    assert Counter(r.to[0] for r in smtp.inbox.received) == dict.fromkeys(addresses, 1)


def test_a_stalled_dispatcher_sends_nothing_that_was_taken_from_it(mail_app, smtp):
    with time_machine.travel(START, tick=False) as clock:
        queue_resets(2)
        ids = claim(utcnow(), 10, "stalled")
        lease = Lease("stalled", ids, utcnow())
        clock.shift(LEASE + timedelta(seconds=1))  # stuck far longer than any SMTP timeout
        assert send_due().sent == 2
        assert not any(lease.holds(row_id) for row_id in ids)
    assert len(smtp.inbox.received) == 2


def test_rows_of_a_killed_dispatcher_process_are_sent_once_after_the_lease(
    mail_app, smtp, migrated
):
    make_cast()
    addresses = queue_resets(4)
    arrived, answer = threading.Event(), threading.Event()
    accept = smtp.inbox.handle_DATA

    async def hang_on_the_first(server, session, envelope):  # type: ignore[no-untyped-def]
        if not arrived.is_set():
            arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, answer.wait, 30)
            return "451 4.3.0 Try again later"  # never accepted: the sender died meanwhile
        return await accept(server, session, envelope)

    smtp.inbox.handle_DATA = hang_on_the_first  # type: ignore[method-assign]
    env = flask_env(migrated, smtp)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "outbox", "send"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert arrived.wait(30), "the dispatcher never reached the SMTP server"
        process.send_signal(signal.SIGKILL)
        output, _ = process.communicate(timeout=30)
    finally:
        answer.set()
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL, output
    assert statuses() == {OutboxStatus.SENDING: 4}  # claimed by the dead process
    assert send_due() == Outcome()  # within the lease: still the dead one's
    with time_machine.travel(datetime.now(UTC) + LEASE + timedelta(seconds=1)):
        assert send_due().sent == 4
    assert statuses() == {OutboxStatus.SENT: 4}
    assert Counter(r.to[0] for r in smtp.inbox.received) == dict.fromkeys(addresses, 1)
