"""Each kind of message, received by a real SMTP server: recipients, subject, language,
and the link to the page it is about."""

from datetime import date, timedelta

from babel.dates import format_date

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus
from certtrack.services.dispatch import send_due
from certtrack.services.reminders import run_daily_pass
from tests.builders import Journey, make_cast
from tests.mail_server import BASE_URL
from tests.reminders.conftest import noon, pass_and_send

INTERVIEW = date(2014, 10, 15)  # Bronze valid until 2016-10-31


def labelled(follow_up: bool = True) -> Journey:
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=INTERVIEW)
    send_due(now=noon(INTERVIEW + timedelta(days=7)))  # the notices of these steps
    if follow_up:
        journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    return journey


def test_label_expiry_goes_to_managers_with_a_copy_to_coordinators(mail_app, smtp):
    journey = labelled()
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 5, 4))  # 180 days before the end
    cast = journey.cast
    [to_manager] = [r for r in smtp.inbox.to(cast.manager.email) if "ends in" in r.subject]
    [to_coordinator] = [r for r in smtp.inbox.to(cast.coordinator.email) if "ends in" in r.subject]
    assert to_manager.subject == "DITENAVE: the Bronze label ends in 180 days"
    link = f"{BASE_URL}/clusters/{cast.cluster.id}"
    assert link in to_manager.part("text/plain") and f'href="{link}"' in to_manager.part(
        "text/html"
    )
    assert "valid until October 31, 2016" in to_manager.part("text/plain")
    assert "A copy for the agency" in to_coordinator.part("text/plain")
    assert "A copy for the agency" not in to_manager.part("text/plain")
    assert to_manager.message["Message-ID"].endswith("@certtrack.example>")


def test_recipients_read_their_own_language(mail_app, smtp):
    journey = labelled()
    journey.cast.manager.locale = "it"
    db.session.commit()
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 10, 1))  # 30 days before the end
    [italian] = [r for r in smtp.inbox.to(journey.cast.manager.email) if "scade" in r.subject]
    assert italian.subject == "DITENAVE: il label Bronze scade tra 30 giorni"
    assert "Ciao" in italian.part("text/plain")
    assert '<html lang="it">' in italian.part("text/html")
    # Dates inside the sentences are written the Italian way, not as ISO dates.
    assert "valido fino al 31 ottobre 2016" in italian.part("text/plain")
    assert "2016-10-31" not in italian.part("text/plain")
    [english] = [r for r in smtp.inbox.to(journey.cast.coordinator.email) if "ends in" in r.subject]
    assert english.subject == "DITENAVE: the Bronze label ends in 30 days"


def test_lapse_day_and_grace_reminders(mail_app, smtp):
    journey = labelled()
    manager = journey.cast.manager.email
    for day in (date(2016, 5, 4), date(2016, 10, 30)):
        pass_and_send(day)
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 11, 1))  # the day it lapses
    assert [r.subject for r in smtp.inbox.to(manager)] == ["DITENAVE: the Bronze label has lapsed"]
    assert "It can be renewed until October 31, 2017." in smtp.inbox.to(manager)[0].part(
        "text/plain"
    )
    smtp.inbox.received.clear()
    pass_and_send(date(2017, 8, 2))  # 90 days before the grace year ends
    assert [r.subject for r in smtp.inbox.to(manager)] == [
        "DITENAVE: 90 days left to renew the Bronze label"
    ]


def test_silver_window_opens_for_a_bronze_holder(mail_app, smtp):
    journey = labelled()
    pass_and_send(date(2016, 3, 31))  # 17 months after the interview: not yet
    assert not [r for r in smtp.inbox.to(journey.cast.manager.email) if "Silver" in r.subject]
    pass_and_send(date(2016, 4, 1))
    [message] = [r for r in smtp.inbox.to(journey.cast.manager.email) if "Silver" in r.subject]
    assert message.subject == "DITENAVE can go for the Silver label"
    assert "from April 1, 2016 to October 1, 2016" in message.part("text/plain")
    assert not [r for r in smtp.inbox.to(journey.cast.coordinator.email) if "Silver" in r.subject]


def test_recommendation_due_and_weekly_overdue_nags(mail_app, smtp):
    journey = labelled()
    manager = journey.cast.manager
    recommendation = journey.application.report.recommendations[0]
    due = recommendation.due_date  # 180 days after delivery
    pass_and_send(due - timedelta(days=15))
    assert not [r for r in smtp.inbox.to(manager.email) if "Recommendation due" in r.subject]
    pass_and_send(due - timedelta(days=14))
    [message] = [r for r in smtp.inbox.to(manager.email) if "Recommendation due" in r.subject]
    assert (
        message.subject
        == f"Recommendation due on {format_date(due, 'long', locale='en')}: {recommendation.title}"
    )
    link = f"{BASE_URL}/applications/{journey.application.id}#recommendation-{recommendation.id}"
    assert link in message.part("text/plain")
    # Overdue: once a week at most, listing what is overdue when it is sent.
    smtp.inbox.received.clear()
    for offset in range(1, 15):
        pass_and_send(due + timedelta(days=offset))
    nags = [r for r in smtp.inbox.to(manager.email) if "overdue" in r.subject]
    assert [r.subject for r in nags] == ["DITENAVE: 1 recommendations are overdue"] * 2
    assert recommendation.title in nags[0].part("text/plain")


def test_opting_out_of_nudges_but_not_of_expiry_notices(mail_app, smtp):
    journey = labelled()
    manager = journey.cast.manager
    manager.wants_recommendation_reminders = False
    db.session.commit()
    due = journey.application.report.recommendations[0].due_date
    pass_and_send(due - timedelta(days=14))
    pass_and_send(date(2016, 10, 1))
    subjects = [r.subject for r in smtp.inbox.to(manager.email)]
    assert not [s for s in subjects if "Recommendation" in s or "overdue" in s]
    assert "DITENAVE: the Bronze label ends in 30 days" in subjects


def test_stalled_review_goes_to_consultant_and_coordinator(mail_app, smtp):
    journey = Journey(make_cast())
    journey.start()
    journey.to_review(date(2015, 1, 5))
    cast = journey.cast
    pass_and_send(date(2015, 2, 9))  # 35 days: still on time
    assert not [r for r in smtp.inbox.received if "overdue" in r.subject]
    pass_and_send(date(2015, 2, 10))
    stalled = [r for r in smtp.inbox.received if "report is overdue" in r.subject]
    assert sorted(r.to[0] for r in stalled) == sorted(
        [cast.consultant.email, cast.coordinator.email]
    )
    assert stalled[0].subject == "DITENAVE: the Bronze report is overdue"
    assert f"{BASE_URL}/applications/{journey.application.id}" in stalled[0].part("text/plain")


def test_workflow_notices_reach_whoever_gets_the_work(mail_app, smtp):
    journey = Journey(make_cast())
    cast = journey.cast
    journey.start()
    journey.fire("submit", cast.manager, date(2015, 1, 5))
    journey.fire(
        "return_for_changes", cast.coordinator, date(2015, 1, 6), reason="List the members"
    )
    send_due(now=noon(date(2015, 1, 6)))
    assert [r.subject for r in smtp.inbox.to(cast.manager.email)] == [
        "The Bronze application of DITENAVE was returned for changes"
    ]
    assert "Reason: List the members" in smtp.inbox.to(cast.manager.email)[0].part("text/plain")
    # The submit notice was overtaken before it went out: never sent about a past state.
    assert smtp.inbox.to(cast.coordinator.email) == []
    smtp.inbox.received.clear()
    journey.fire("submit", cast.manager, date(2015, 1, 7))
    send_due(now=noon(date(2015, 1, 7)))
    assert [r.subject for r in smtp.inbox.to(cast.coordinator.email)] == [
        "DITENAVE submitted a Bronze application"
    ]
    journey.fire(
        "assign_consultant", cast.coordinator, date(2015, 1, 8), consultant_id=cast.consultant.id
    )
    send_due(now=noon(date(2015, 1, 8)))
    assert [r.subject for r in smtp.inbox.to(cast.consultant.email)] == [
        "Anna will assess DITENAVE"
    ]
    assert f"{BASE_URL}/applications/{journey.application.id}" in smtp.inbox.to(
        cast.consultant.email
    )[0].part("text/plain")
    assert "Anna will assess DITENAVE" in [r.subject for r in smtp.inbox.to(cast.manager.email)]
    journey.review(cast.consultant, date(2015, 2, 1), date(2015, 1, 20))
    journey.fire("deliver_report", cast.consultant, date(2015, 2, 1))
    journey.fire("issue_label", cast.coordinator, date(2015, 2, 2))
    send_due(now=noon(date(2015, 2, 2)))
    assert "DITENAVE holds the Bronze label" in [
        r.subject for r in smtp.inbox.to(cast.manager.email)
    ]


def test_weekly_digest_is_one_message(mail_app, smtp):
    journey = labelled()
    other = Journey(journey.cast)
    other.cluster = journey.cast.other_cluster  # another agency: not in this digest
    coordinator = journey.cast.coordinator
    day = date(2016, 9, 5)  # a Monday; the label ends within 90 days
    run_daily_pass(day, now=noon(day))
    run_daily_pass(day + timedelta(days=1), now=noon(day + timedelta(days=1)))
    send_due(now=noon(day + timedelta(days=1)))
    digests = [
        r for r in smtp.inbox.to(coordinator.email) if r.subject.startswith("certtrack weekly")
    ]
    assert [r.subject for r in digests] == ["certtrack weekly: 1 items need attention"]
    assert "Label ending on October 31, 2016: DITENAVE (Bronze)" in digests[0].part("text/plain")
    assert f"{BASE_URL}/dashboard" in digests[0].part("text/plain")
    # Nothing to report: no digest at all.
    assert (
        db.session.query(OutboxMessage)
        .filter_by(kind="coordinator_digest", status=OutboxStatus.CANCELLED)
        .count()
        == 1
    )
