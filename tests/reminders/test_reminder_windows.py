"""A kind's condition holds only while its notice still means something: the pass does
not carry every lapsed label along forever, and a message left pending past its window
is cancelled at send time, not sent."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from certtrack import scheduler
from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, Role, State
from certtrack.services.dispatch import send_due
from certtrack.services.reminder_kinds import BY_NAME
from certtrack.services.reminder_kinds.labels import silver_opened_since, silver_window_opens
from certtrack.services.reminders import decide, run_daily_pass
from certtrack.workflow.policy import Policy, load_policy
from tests.builders import Cast, Journey, add_cluster, add_user, make_cast
from tests.reminders.conftest import noon

LAPSED_ON = date(2016, 11, 1)  # DITENAVE's Bronze is valid until 2016-10-31
GRACE_END = date(2017, 10, 31)


def test_label_lapsed_no_longer_holds_after_the_grace_year(mail_app, smtp):
    """ "Renewable until <grace end>" is wrong the day after: the lapse notice written and
    still pending then is cancelled, even before the pass's expire event moved the
    application on (the dispatcher may run first that day)."""
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    journey.advance(LAPSED_ON)
    run_daily_pass(LAPSED_ON, now=noon(LAPSED_ON))
    lapse = BY_NAME["label_lapsed"]
    written = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == lapse.name))
    )
    policy = load_policy()
    assert written and all(lapse.holds(message, GRACE_END, policy) for message in written)
    after = date(2017, 11, 1)
    assert journey.application.state is State.LAPSED  # no pass has run since
    assert not any(lapse.holds(message, after, policy) for message in written)
    assert not [draft for draft in decide(after, policy) if draft.kind == lapse.name]
    while send_due(now=noon(after)).sent:
        pass
    db.session.expire_all()
    assert {message.status for message in written} == {OutboxStatus.CANCELLED}


def lapsed_journey() -> Journey:
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    return journey


def test_a_notice_more_than_two_weeks_late_is_not_sent(mail_app):
    """A pass started long after a notice's day (say, on a scheme that existed before
    certtrack) does not send it: the lapse notice 20 days late, the 90-day notice of
    the label's end 20 days late. Within LATE days they still go out."""
    journey = lapsed_journey()
    policy = load_policy()
    end = date(2016, 10, 31)
    assert 90 in policy.reminder_days and 60 not in policy.reminder_days
    kinds = {draft.kind for draft in decide(end - timedelta(days=90 - 10), policy)}
    assert "label_expiry" in kinds  # ten days late
    kinds = {draft.kind for draft in decide(end - timedelta(days=90 - 20), policy)}
    assert "label_expiry" not in kinds  # twenty days late, and the next one is not due
    journey.advance(LAPSED_ON + timedelta(days=20))
    kinds = {draft.kind for draft in decide(LAPSED_ON + timedelta(days=20), policy)}
    assert "label_lapsed" not in kinds
    kinds = {draft.kind for draft in decide(LAPSED_ON + timedelta(days=10), policy)}
    assert "label_lapsed" in kinds


def test_silver_opened_since_is_the_window_rule_for_every_day():
    """The earliest interview month whose Silver window opens on or after a day, checked
    against the window's own rule (the first of the month min months after the
    interview month) for every day of four years, month ends and a leap day included,
    and for short and long windows."""
    months = [date(2013 + n // 12, n % 12 + 1, 1) for n in range(72)]
    for minimum in (0, 1, 13, 18):
        policy = replace(Policy(), silver_window_min_months=minimum)
        day = date(2015, 1, 1)
        while day < date(2019, 1, 1):
            since = silver_opened_since(day, policy)
            for month in months:
                assert (month >= since) == (silver_window_opens(month, policy) >= day), (
                    minimum,
                    day,
                    month,
                )
            day += timedelta(days=1)


def silver_cluster(cast: Cast, name: str, interview: date) -> Journey:
    journey = Journey(cast)
    journey.cluster = add_cluster(cast.agency, name)
    email = f"manager@{name.lower()}.example"
    journey.manager = add_user(Role.MANAGER, email, cluster_id=journey.cluster.id)
    journey.start(day=interview - timedelta(days=60))
    journey.to_label(interview=interview)
    journey.fire("start_follow_up", journey.manager, interview + timedelta(days=20))
    return journey


def test_the_silver_window_is_told_at_most_two_weeks_after_it_opens(mail_app, smtp):
    """Like a label's notices, the Silver window's goes out at most LATE days after its
    day: a scheduler first started on 11 May 2016 tells the cluster whose window opened
    on 1 May, not the one whose window opened on 1 April (still open, but the page and
    the calendar feed say so). Fourteen days late is still on time, fifteen is not."""
    cast = make_cast()
    policy = load_policy()
    assert policy.silver_window_min_months == 18
    may = silver_cluster(cast, "Mayopens", date(2014, 11, 12))  # window opens 2016-05-01
    april = silver_cluster(cast, "Aprilopens", date(2014, 10, 20))  # opens 2016-04-01
    db.session.commit()
    start = datetime(2016, 5, 11, 7, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        process = scheduler.Process(mail_app)
        process.lead()
        process.daily_pass()
    told = {(r.to[0], r.subject) for r in smtp.inbox.received if "Silver" in r.subject}
    assert told == {(may.manager.email, "Mayopens can go for the Silver label")}
    assert april.application.label is not None

    def silver_due(day: date) -> set[int | None]:
        return {d.label_id for d in decide(day, policy) if d.kind == "silver_window"}

    label = april.application.label
    assert silver_due(date(2016, 4, 15)) == {label.id}  # 14 days late
    assert silver_due(date(2016, 4, 16)) == set()
