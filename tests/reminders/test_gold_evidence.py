"""Gold's evidence reminders, with the clock moved day by day: the cluster's managers
hear 14 and 3 days before the evidence due date and on it, once each, while some
quality indicator has no current document; moving the visit re-plans what is not sent
yet; a finished evidence set, a delivered report or a past date stops them."""

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Document,
    IndicatorDefinition,
    IndicatorKind,
    Level,
    OutboxMessage,
    OutboxStatus,
    Role,
    Setting,
)
from certtrack.services import evidence, visits
from certtrack.services.dispatch import send_due
from certtrack.services.reminders import run_daily_pass
from tests.builders import Journey, add_user, make_cast
from tests.mail_server import BASE_URL, Received, SmtpServer
from tests.reminders.conftest import noon, pass_and_send

VISIT = date(2026, 4, 20)
DUE = date(2026, 4, 6)  # 14 days before the visit
PLANNED_ON = date(2026, 3, 2)
STEPS = {date(2026, 3, 23): "in 14 days", date(2026, 4, 3): "in 3 days", DUE: "today"}


def gold_with_visit(start: date = VISIT, today: date = PLANNED_ON) -> Journey:
    """A Gold review (Gold open to anyone) whose consultant planned the visit on `today`;
    the cluster has an English and an Italian manager."""
    db.session.add(Setting(key="gold_prerequisite", value="none"))
    db.session.commit()
    journey = Journey(make_cast())
    add_user(
        Role.MANAGER, "direttrice@ditenave.example", cluster_id=journey.cluster.id, locale="it"
    )
    journey.start(Level.GOLD, date(2026, 2, 2))
    journey.to_review(date(2026, 2, 16))
    move_visit(journey, start, today)
    return journey


def move_visit(journey: Journey, start: date, today: date) -> None:
    visits.plan_visit(
        journey.application,
        journey.cast.consultant,
        starts_on=start,
        ends_on=start + timedelta(days=1),
        today=today,
    )


def quality() -> list[IndicatorDefinition]:
    query = select(IndicatorDefinition).where(IndicatorDefinition.kind == IndicatorKind.QUALITY)
    return list(db.session.scalars(query.order_by(IndicatorDefinition.position)))


def give_evidence(journey: Journey, indicators: Iterable[IndicatorDefinition]) -> list[Document]:
    documents = [
        Document(
            application_id=journey.application.id,
            indicator_id=indicator.id,
            title=f"Evidence for {indicator.code}",
            file_name=f"{indicator.code}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            storage_key=f"test/{uuid.uuid4().hex}",
            uploaded_by_id=journey.cast.manager.id,
        )
        for indicator in indicators
    ]
    db.session.add_all(documents)
    db.session.commit()
    return documents


def days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def reminders_to(smtp: SmtpServer, address: str) -> list[Received]:
    """The evidence reminders `address` received (not the workflow's notices)."""
    return [r for r in smtp.inbox.to(address) if "Gold" in r.subject]


def run_days(smtp: SmtpServer, first: date, last: date) -> dict[date, list[str]]:
    """The daily pass and the dispatcher on each day, the clock on that day; what the
    English manager received, by day."""
    inbox: dict[date, list[str]] = {}
    for day in days(first, last):
        with time_machine.travel(datetime.combine(day, time(11, 0), tzinfo=UTC), tick=False):
            before = len(smtp.inbox.to("manager@ditenave.example"))
            pass_and_send(day)
            new = smtp.inbox.to("manager@ditenave.example")[before:]
        subjects = [r.subject for r in new if "Gold evidence" in r.subject]
        if subjects:
            inbox[day] = subjects
    return inbox


def evidence_rows() -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.kind == "gold_evidence")
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def test_each_reminder_goes_once_on_its_day_in_each_managers_language(mail_app, smtp):
    journey = gold_with_visit()
    received = run_days(smtp, PLANNED_ON, DUE + timedelta(days=5))
    assert received == {
        day: [f"DITENAVE: the Gold evidence is due {when}"] for day, when in STEPS.items()
    }
    italian = reminders_to(smtp, "direttrice@ditenave.example")
    assert [r.subject for r in italian] == [
        "DITENAVE: le evidenze per il Gold vanno consegnate tra 14 giorni",
        "DITENAVE: le evidenze per il Gold vanno consegnate tra 3 giorni",
        "DITENAVE: le evidenze per il Gold vanno consegnate oggi",
    ]
    # Nobody else hears of it: the coordinator and the consultant see the checklist.
    assert {row.recipient.email for row in evidence_rows()} == {
        "manager@ditenave.example",
        "direttrice@ditenave.example",
    }
    assert {row.status for row in evidence_rows()} == {OutboxStatus.SENT}
    italian_text = italian[0].part("text/plain")
    assert "31 su 31 indicatori di qualità non hanno ancora evidenze" in italian_text
    assert "Carica le evidenze" in italian_text
    text = reminders_to(smtp, "manager@ditenave.example")[0].part("text/plain")
    assert "starts on April 20, 2026; its evidence is due by April 6, 2026" in text
    assert "31 of 31 quality indicators have no evidence yet" in text
    assert f"- {quality()[0].code} {quality()[0].name}" in text
    assert f"{BASE_URL}/applications/{journey.application.id}#evidence" in text
    # The HTML part lists every indicator, one a line (SMTP refuses lines over 998).
    html = reminders_to(smtp, "manager@ditenave.example")[0].part("text/html")
    assert html.count("<li>") == 31


def test_the_message_lists_only_what_is_missing_when_sent(mail_app, smtp):
    journey = gold_with_visit()
    indicators = quality()
    give_evidence(journey, indicators[1:])
    assert run_days(smtp, date(2026, 3, 23), date(2026, 3, 23))
    text = reminders_to(smtp, "manager@ditenave.example")[0].part("text/plain")
    assert "1 of 31 quality indicators have no evidence yet" in text
    assert f"- {indicators[0].code} {indicators[0].name}" in text
    assert indicators[1].name not in text


def test_no_reminder_once_the_evidence_is_complete(mail_app, smtp):
    journey = gold_with_visit()
    assert run_days(smtp, PLANNED_ON, date(2026, 3, 23)) == {
        date(2026, 3, 23): ["DITENAVE: the Gold evidence is due in 14 days"]
    }
    give_evidence(journey, quality())
    assert run_days(smtp, date(2026, 3, 24), DUE + timedelta(days=3)) == {}


def test_a_reminder_written_before_the_evidence_was_completed_is_cancelled(mail_app, smtp):
    journey = gold_with_visit()
    day = date(2026, 4, 3)
    run_daily_pass(day, now=noon(day))
    assert {row.status for row in evidence_rows()} == {OutboxStatus.PENDING}
    give_evidence(journey, quality())
    send_due(now=noon(day))
    assert {row.status for row in evidence_rows()} == {OutboxStatus.CANCELLED}
    assert reminders_to(smtp, "manager@ditenave.example") == []


def test_a_deleted_document_is_no_evidence_and_a_replaced_one_counts_once(mail_app, smtp):
    journey = gold_with_visit()
    first, second, *_rest = give_evidence(journey, quality())
    first.deleted_at = datetime(2026, 3, 20, 9, 0)
    [newer] = give_evidence(journey, [second.indicator])
    newer.replaces_id = second.id
    db.session.commit()
    checklist = evidence.checklist(journey.application)
    assert checklist is not None
    assert checklist.missing == [first.indicator]
    assert checklist.items[1].documents == [newer]
    run_days(smtp, date(2026, 3, 23), date(2026, 3, 23))
    text = reminders_to(smtp, "manager@ditenave.example")[0].part("text/plain")
    assert "1 of 31 quality indicators have no evidence yet" in text
    assert f"- {first.indicator.code} {first.indicator.name}" in text


def test_moving_the_visit_replans_the_steps_not_sent_yet(mail_app, smtp):
    journey = gold_with_visit()
    assert list(run_days(smtp, PLANNED_ON, date(2026, 3, 24))) == [date(2026, 3, 23)]
    # Two weeks later: the evidence is now due on 20 April.
    move_visit(journey, date(2026, 5, 4), date(2026, 3, 25))
    received = run_days(smtp, date(2026, 3, 25), date(2026, 4, 25))
    # The 14-day step went out already (for the old date) and is not repeated.
    assert received == {
        date(2026, 4, 17): ["DITENAVE: the Gold evidence is due in 3 days"],
        date(2026, 4, 20): ["DITENAVE: the Gold evidence is due today"],
    }
    text = reminders_to(smtp, "manager@ditenave.example")[-1].part("text/plain")
    assert "starts on May 4, 2026; its evidence is due by April 20, 2026" in text


def test_a_reminder_written_for_the_old_date_is_cancelled_and_replanned(mail_app, smtp):
    journey = gold_with_visit()
    day = date(2026, 4, 3)  # the 3-day step of the old date is written...
    run_daily_pass(day, now=noon(day))
    move_visit(journey, date(2026, 4, 27), day)  # ...and the visit moves a week on
    send_due(now=noon(day))
    assert {row.status for row in evidence_rows()} == {OutboxStatus.CANCELLED}
    received = run_days(smtp, day, date(2026, 4, 20))
    assert received == {
        day: ["DITENAVE: the Gold evidence is due in 10 days"],  # the 14-day step, late
        date(2026, 4, 10): ["DITENAVE: the Gold evidence is due in 3 days"],
        date(2026, 4, 13): ["DITENAVE: the Gold evidence is due today"],
    }


def test_no_reminder_for_a_due_date_already_past(mail_app, smtp):
    # Planned ten days ahead: its evidence date (four days ago) is gone.
    gold_with_visit(start=PLANNED_ON + timedelta(days=10))
    assert run_days(smtp, PLANNED_ON, PLANNED_ON + timedelta(days=12)) == {}
    assert evidence_rows() == []


def test_no_reminder_once_the_application_leaves_the_evidence_stage(mail_app, smtp):
    journey = gold_with_visit()
    run_days(smtp, PLANNED_ON, date(2026, 3, 23))
    journey.fire("withdraw", journey.cast.manager, date(2026, 3, 24))
    assert run_days(smtp, date(2026, 3, 24), DUE) == {}


def test_no_reminder_after_the_report_is_delivered(mail_app, smtp):
    journey = gold_with_visit()
    assert run_days(smtp, PLANNED_ON, date(2026, 3, 30))  # the 14-day step
    day = date(2026, 3, 31)  # the visit came early
    journey.review(journey.cast.consultant, day, date(2026, 3, 30))
    journey.fire("deliver_report", journey.cast.consultant, day)
    assert run_days(smtp, day, DUE) == {}
