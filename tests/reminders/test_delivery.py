"""Exactly once, never lost: concurrent passes and dispatchers, an SMTP server that goes
away mid-dispatch, a refused address, a week without a pass."""

import threading
from collections import Counter
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Cluster, OutboxMessage, OutboxStatus, Role
from certtrack.services.dispatch import send_due
from certtrack.services.reminders import run_daily_pass
from tests.builders import ELIGIBLE_PROFILE, Journey, add_user, make_cast
from tests.reminders.conftest import noon, pass_and_send

DAY = date(2016, 10, 1)  # 30 days before the labels end


def clusters_with_labels(count: int) -> None:
    """`count` clusters of one agency, each holding a Bronze ending on 2016-10-31."""
    cast = make_cast()
    for i in range(count):
        cluster = Cluster(agency_id=cast.agency.id, name=f"Cluster {i}", **ELIGIBLE_PROFILE)
        db.session.add(cluster)
        db.session.commit()
        manager = add_user(Role.MANAGER, f"manager{i}@x.example", cluster_id=cluster.id)
        journey = Journey(cast)
        journey.cluster, journey.manager = cluster, manager
        journey.start()
        journey.to_label(interview=date(2014, 10, 15), consultant=cast.consultant)
        journey.fire("start_follow_up", manager, date(2014, 11, 1))
    send_due(now=noon(date(2014, 11, 1)))  # the workflow notices of those steps


def count(*conditions):  # type: ignore[no-untyped-def]
    return select(func.count()).select_from(OutboxMessage).where(*conditions)


def run_together(app: Flask, *jobs) -> None:  # type: ignore[no-untyped-def]
    """Start the jobs at the same moment, each in its own thread and app context."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:  # type: ignore[no-untyped-def]
        with app.app_context():
            barrier.wait()
            try:
                job()
            except BaseException as error:  # surfaced below
                errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_concurrent_passes_and_dispatchers_deliver_each_message_once(mail_app, smtp):
    clusters_with_labels(12)
    smtp.inbox.received.clear()
    one_pass = lambda: run_daily_pass(DAY, now=noon(DAY))  # noqa: E731
    run_together(mail_app, one_pass, one_pass)
    assert db.session.scalar(count(OutboxMessage.kind == "label_expiry")) == 24  # 12 + copies
    one_dispatch = lambda: send_due(now=noon(DAY), limit=5)  # noqa: E731
    run_together(mail_app, one_dispatch, one_dispatch)
    while send_due(now=noon(DAY), limit=5).sent:
        pass
    copies = Counter((r.to[0], r.subject) for r in smtp.inbox.received)
    assert set(copies.values()) == {1}
    sent = db.session.scalar(count(OutboxMessage.status == OutboxStatus.SENT))
    assert len(copies) == sent > 24
    waiting = (OutboxStatus.PENDING, OutboxStatus.SENDING)
    assert db.session.scalar(count(OutboxMessage.status.in_(waiting))) == 0


def test_smtp_server_going_away_mid_dispatch_loses_and_doubles_nothing(mail_app, smtp):
    clusters_with_labels(3)
    run_daily_pass(DAY, now=noon(DAY))
    smtp.inbox.received.clear()
    # Keep to messages that hold: the other agency's digest has nothing to say.
    for digest in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "coordinator_digest")
    ):
        digest.status = OutboxStatus.CANCELLED
    db.session.commit()
    queued = db.session.scalar(count(OutboxMessage.status == OutboxStatus.PENDING))
    shutting_down = threading.Event()
    accept = smtp.inbox.handle_DATA

    async def accept_two_then_go_away(server, session, envelope):  # type: ignore[no-untyped-def]
        if len(smtp.inbox.received) >= 2:
            shutting_down.set()
            return "421 4.3.2 Service shutting down"
        return await accept(server, session, envelope)

    smtp.inbox.handle_DATA = accept_two_then_go_away  # type: ignore[method-assign]
    stopper = threading.Thread(target=lambda: shutting_down.wait(10) and smtp.stop())
    stopper.start()
    outcome = send_due(now=noon(DAY))
    stopper.join()
    assert (outcome.sent, outcome.retried) == (2, queued - 2)
    # While the server is down the rest stays queued and is retried later (backoff).
    assert send_due(now=noon(DAY) + timedelta(minutes=5)).retried == queued - 2
    smtp.inbox.handle_DATA = accept  # type: ignore[method-assign]
    smtp.start()
    assert send_due(now=noon(DAY) + timedelta(minutes=6)).sent == 0  # not due yet
    assert send_due(now=noon(DAY) + timedelta(hours=1)).sent == queued - 2
    copies = Counter((r.to[0], r.subject) for r in smtp.inbox.received)
    assert len(copies) == queued and set(copies.values()) == {1}
    attempts = db.session.scalars(
        select(OutboxMessage.attempts).where(OutboxMessage.status == OutboxStatus.SENT)
    )
    assert max(attempts) == 2


def test_refused_address_fails_at_once_and_stays_visible(mail_app, smtp):
    clusters_with_labels(1)
    smtp.inbox.refuse.add("manager0@x.example")
    outcome = pass_and_send(DAY)
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).all()
    assert outcome.failed == len(failed) > 0 and outcome.sent > 0
    assert {m.recipient.email for m in failed} == {"manager0@x.example"}
    assert all(m.attempts == 0 and "Address refused" in m.last_error for m in failed)
    assert "manager0@x.example" not in {r.to[0] for r in smtp.inbox.received}
    assert send_due(now=noon(DAY) + timedelta(days=1)).failed == 0  # not retried


def test_temporary_failures_give_up_after_the_limit(mail_app, smtp):
    clusters_with_labels(1)
    run_daily_pass(DAY, now=noon(DAY))
    smtp.stop()
    moment = noon(DAY)
    for _ in range(mail_app.config["OUTBOX_MAX_ATTEMPTS"]):
        send_due(now=moment)
        moment += timedelta(days=1)
    statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert OutboxStatus.PENDING not in statuses and OutboxStatus.FAILED in statuses
    failed = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).all()
    assert all(m.attempts == mail_app.config["OUTBOX_MAX_ATTEMPTS"] for m in failed)
    assert all("SMTP server unreachable" in m.last_error for m in failed)


def test_a_missed_week_is_caught_up(mail_app, smtp):
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    journey.cast.manager.wants_recommendation_reminders = False  # expiry notices only
    db.session.commit()
    manager = journey.cast.manager.email
    pass_and_send(date(2016, 9, 26))  # 35 days before the end
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 10, 3))  # a week later: the 30-day notice, late but once
    assert [r.subject for r in smtp.inbox.to(manager)] == [
        "DITENAVE: the Bronze label ends in 28 days"
    ]
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 10, 27))  # missed the 7-day mark by three days
    pass_and_send(date(2016, 10, 28))
    assert [r.subject for r in smtp.inbox.to(manager)] == [
        "DITENAVE: the Bronze label ends in 4 days"
    ]
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 11, 8))  # down over the end: lapses now, and says so once
    assert [r.subject for r in smtp.inbox.to(manager)] == ["DITENAVE: the Bronze label has lapsed"]
    assert journey.application.state.value == "lapsed"
