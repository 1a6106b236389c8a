"""A kind's condition holds only while its notice still means something: the pass does
not carry every lapsed label along forever, and a message left pending past its window
is cancelled at send time, not sent."""

from datetime import date, timedelta

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, State
from certtrack.services.dispatch import send_due
from certtrack.services.reminder_kinds import BY_NAME
from certtrack.services.reminders import decide, run_daily_pass
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, make_cast
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
