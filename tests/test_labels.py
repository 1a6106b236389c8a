"""Label numbers, validity, superseding and the calendar sweep of statuses."""

from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Label, LabelStatus, Level, State
from certtrack.services.labels import refresh_label_statuses
from certtrack.services.time_events import run_time_events
from certtrack.workflow import Policy
from tests.builders import Journey, make_cast


def test_leap_year_interview_validity(ctx):
    journey = Journey(make_cast())
    journey.start(day=date(2024, 1, 10))
    label = journey.to_label(interview=date(2024, 2, 29), issued=date(2024, 3, 20))
    assert (label.interview_month, label.valid_until, label.issued_on) == (
        date(2024, 2, 1),
        date(2026, 2, 28),
        date(2024, 3, 20),
    )
    assert label.number == f"B-IT-2024-{label.id:05d}"


def test_labels_of_closed_applications_follow_the_calendar(ctx):
    """A Bronze whose Silver successor was rejected keeps its own life: it lapses and
    expires by date although its application closed as upgraded."""
    cast = make_cast()
    journey = Journey(cast)
    bronze_app = journey.start()
    bronze = journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    journey.fire("upgrade", cast.manager, date(2016, 4, 10))
    assert bronze_app.state == State.UPGRADED
    assert journey.application.level == Level.SILVER
    journey.fire("withdraw", cast.manager, date(2016, 4, 11))

    policy = Policy()
    assert refresh_label_statuses(date(2016, 10, 31), policy) == 0
    assert refresh_label_statuses(date(2016, 11, 1), policy) == 1
    db.session.refresh(bronze)
    assert bronze.status == LabelStatus.LAPSED
    assert refresh_label_statuses(date(2017, 10, 31), policy) == 0
    assert refresh_label_statuses(date(2017, 11, 1), policy) == 1
    db.session.refresh(bronze)
    assert bronze.status == LabelStatus.EXPIRED


def test_sweep_leaves_superseded_and_revoked_alone(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    old = journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    run_time_events(date(2016, 5, 4))
    journey.fire("renew", cast.manager, date(2016, 5, 5))
    new = journey.to_label(interview=date(2016, 6, 15), consultant=cast.second_consultant)
    assert old.status == LabelStatus.SUPERSEDED
    new.status = LabelStatus.REVOKED
    db.session.commit()
    assert refresh_label_statuses(date(2030, 1, 1), Policy()) == 0
    statuses = db.session.scalars(select(Label.status).order_by(Label.id)).all()
    assert statuses == [LabelStatus.SUPERSEDED, LabelStatus.REVOKED]


def test_time_events_are_idempotent_and_leave_other_states(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))  # label_issued, follow-up not started
    assert run_time_events(date(2016, 12, 1)) == []  # lapse is for follow_up / renewal_due
    journey.fire("start_follow_up", cast.manager, date(2016, 12, 2))
    assert [e.event for e in run_time_events(date(2016, 12, 2))] == ["lapse"]
    assert run_time_events(date(2016, 12, 2)) == []
