"""The report's due date is counted from the local day of assignment, the same
everywhere: an assignment at 23:30 UTC on 31 October is made on 1 November in Rome, so
the report is due 35 days after 1 November (6 December), not after 31 October."""

from datetime import UTC, date, datetime, time

import time_machine

from certtrack.clock import day_start
from certtrack.extensions import db
from certtrack.models import OutboxMessage
from certtrack.services import applications, calendar, path, portfolio
from certtrack.services.dispatch import send_due
from certtrack.services.reminders import decide, run_daily_pass
from certtrack.workflow.deadlines import report_due
from certtrack.workflow.policy import load_policy
from certtrack.workflow.requirements import interview_date_problems
from tests.builders import Journey, make_cast
from tests.reminders.conftest import noon
from tests.reminders.test_web_side import sign_in

LATE_ON_31_OCTOBER = datetime(2025, 10, 31, 23, 30)  # UTC: 00:30 on 1 November in Rome
DUE = date(2025, 12, 6)  # 1 November + 35 days


def assigned_late_at_night() -> Journey:
    journey = Journey(make_cast())
    cast = journey.cast
    journey.start(day=date(2025, 10, 1))
    journey.fire("submit", cast.manager, date(2025, 10, 20))
    applications.fire(
        journey.application,
        "assign_consultant",
        cast.coordinator,
        today=date(2025, 11, 1),
        now=LATE_ON_31_OCTOBER,
        consultant_id=cast.consultant.id,
    )
    return journey


def test_local_day_boundaries_in_utc(mail_app):
    assert day_start(date(2025, 11, 1)) == datetime(2025, 10, 31, 23, 0)  # CET
    assert day_start(date(2025, 7, 1)) == datetime(2025, 6, 30, 22, 0)  # CEST


def test_report_assigned_late_at_night_is_due_35_days_after_the_local_day(mail_app, smtp):
    journey = assigned_late_at_night()
    cast, application, policy = journey.cast, journey.application, load_policy()
    assert report_due(application, policy) == DUE

    # The cluster's next step, the calendar feed, the consultant's reviews.
    assert "the report is due by December 6, 2025" in path.next_step(application, DUE, policy)
    [review] = [e for e in calendar.entries(cast.consultant, policy) if e.uid.startswith("review")]
    assert review.start == DUE
    assigned = db.session.scalars(portfolio.assigned_query(cast.consultant)).unique()
    assert portfolio.with_due_dates(assigned, policy) == [(application, DUE)]

    # Overdue only from the day after: coordinator's stalled reviews, the reminder.
    assert portfolio.stalled_reviews(cast.coordinator, DUE, policy) == []
    assert portfolio.stalled_reviews(cast.coordinator, date(2025, 12, 7), policy) == [application]
    assert not [d for d in decide(DUE, policy) if d.kind == "review_stalled"]
    stalled = [d for d in decide(date(2025, 12, 7), policy) if d.kind == "review_stalled"]
    assert sorted(d.recipient_id for d in stalled) == sorted(
        [cast.consultant.id, cast.coordinator.id]
    )

    # The interview cannot precede the assignment's local day.
    assert interview_date_problems(application, date(2025, 11, 1), DUE) == {}
    refused = interview_date_problems(application, date(2025, 10, 31), DUE)
    assert "(November 1, 2025)" in refused["interview_date"]


def test_consultant_dashboard_marks_the_report_overdue_from_the_day_after(mail_app, smtp):
    journey = assigned_late_at_night()
    client = mail_app.test_client()
    for day, overdue in ((DUE, False), (date(2025, 12, 7), True)):
        with time_machine.travel(datetime.combine(day, time(11, 0), tzinfo=UTC), tick=False):
            sign_in(client, journey.cast.consultant.email)
            page = client.get("/dashboard").get_data(as_text=True)
            assert "Dec 6, 2025" in page  # the report's due date, in English's medium style
            assert ("overdue</span>" in page) is overdue


def test_overdue_report_reminder_names_the_local_days(mail_app, smtp):
    journey = assigned_late_at_night()
    run_daily_pass(DUE, now=noon(DUE))
    assert db.session.query(OutboxMessage).filter_by(kind="review_stalled").count() == 0
    day = date(2025, 12, 7)
    run_daily_pass(day, now=noon(day))
    send_due(now=noon(day))
    [message] = [r for r in smtp.inbox.to(journey.cast.consultant.email) if "overdue" in r.subject]
    assert (
        "was assigned the review on November 1, 2025; the report was due by December 6, 2025"
        in message.part("text/plain")
    )
