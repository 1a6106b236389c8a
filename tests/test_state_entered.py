"""When an application entered its state: set by the engine on every change of state
(not by a step that keeps it) and by the daily pass's time events."""

from datetime import date

import time_machine
from sqlalchemy import select

from certtrack.demo.story import at
from certtrack.extensions import db
from certtrack.models import Application, State
from certtrack.services.time_events import fire_time_events
from tests.builders import Journey, make_cast


def test_the_engine_sets_it_when_the_state_changes_only(ctx):
    journey = Journey(make_cast())
    application = journey.start(day=date(2014, 6, 2))
    assert application.state_entered_at == at(date(2014, 6, 2))
    journey.fire("submit", journey.manager, date(2014, 6, 5))
    assert application.state_entered_at == at(date(2014, 6, 5))
    cast = journey.cast
    journey.fire(
        "assign_consultant", cast.coordinator, date(2014, 6, 9), consultant_id=cast.consultant.id
    )
    assert application.state_entered_at == at(date(2014, 6, 9))
    journey.fire(
        "reassign_consultant",
        cast.coordinator,
        date(2014, 6, 20),
        consultant_id=cast.second_consultant.id,
    )
    assert application.state == State.CONSULTANT_REVIEW
    assert application.state_entered_at == at(date(2014, 6, 9))  # the same stage


def test_the_daily_pass_sets_it_with_the_time_events(ctx):
    journey = Journey(make_cast())
    journey.start(day=date(2014, 1, 2))
    journey.to_label(date(2014, 3, 1))
    journey.fire("start_follow_up", journey.manager, date(2014, 3, 20))
    label = journey.application.label
    application_id = journey.application.id
    with time_machine.travel(at(date(2017, 6, 1)), tick=False):
        fire_time_events(date(2017, 6, 1), now=at(date(2017, 6, 1)))
    db.session.expire_all()
    moved = db.session.scalar(select(Application).where(Application.id == application_id))
    assert moved.state != State.FOLLOW_UP and label is not None
    assert moved.state_entered_at == at(date(2017, 6, 1))
