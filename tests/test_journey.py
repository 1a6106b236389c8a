"""Whole paths through the workflow with the real engine and database."""

from datetime import date

import pytest

from certtrack.models import LabelStatus, Level, State
from certtrack.services.benchmarking import set_improvement_areas
from certtrack.services.time_events import run_time_events
from certtrack.workflow.errors import GuardFailed, NotAllowedInState
from tests.builders import Journey, make_cast


def history(application):
    return [(e.event, e.from_state, e.to_state) for e in application.history]


ISSUE_PATH = [
    ("create", None, State.DRAFT),
    ("submit", State.DRAFT, State.SUBMITTED),
    ("assign_consultant", State.SUBMITTED, State.CONSULTANT_REVIEW),
    ("deliver_report", State.CONSULTANT_REVIEW, State.CONSULTANT_REVIEW),
    ("issue_label", State.CONSULTANT_REVIEW, State.LABEL_ISSUED),
    ("start_follow_up", State.LABEL_ISSUED, State.FOLLOW_UP),
]


def test_bronze_to_silver_to_gold(ctx):
    cast = make_cast()
    journey = Journey(cast)

    # Bronze: interview in October 2014, valid until the end of October 2016.
    bronze_app = journey.start(Level.BRONZE, date(2014, 6, 2))
    bronze = journey.to_label(interview=date(2014, 10, 15), issued=date(2014, 11, 20))
    assert (bronze.level, bronze.valid_until, bronze.status) == (
        Level.BRONZE,
        date(2016, 10, 31),
        LabelStatus.VALID,
    )
    assert bronze.interview_month == date(2014, 10, 1)
    assert bronze.number == f"B-IT-2014-{bronze.id:05d}"
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 21))

    # The renewal window opens 180 days before the end.
    assert run_time_events(date(2016, 5, 3)) == []
    [opened] = run_time_events(date(2016, 5, 4))
    assert (opened.event, opened.actor_id) == ("open_renewal", None)
    assert journey.application.state == State.RENEWAL_DUE

    # Upgrade: 19 months after the Bronze interview, inside the 18-24 month window.
    journey.fire("upgrade", cast.manager, date(2016, 5, 10))
    assert bronze_app.state == State.UPGRADED
    silver_app = journey.application
    assert (silver_app.level, silver_app.state, silver_app.previous_id) == (
        Level.SILVER,
        State.DRAFT,
        bronze_app.id,
    )

    # Silver: the cluster names its improvement areas; a new expert audits.
    set_improvement_areas(
        silver_app,
        cast.manager,
        [{"title": f"Area {i}", "effect": f"Effect {i}"} for i in (1, 2, 3)],
    )
    journey.fire("submit", cast.manager, date(2016, 5, 12))
    with pytest.raises(GuardFailed, match="twice in a row"):
        journey.fire(
            "assign_consultant",
            cast.coordinator,
            date(2016, 5, 13),
            consultant_id=cast.consultant.id,
        )
    journey.fire(
        "assign_consultant",
        cast.coordinator,
        date(2016, 5, 13),
        consultant_id=cast.second_consultant.id,
    )
    journey.review(cast.second_consultant, date(2016, 6, 30), date(2016, 6, 20))
    journey.fire("deliver_report", cast.second_consultant, date(2016, 6, 30))
    journey.fire("issue_label", cast.coordinator, date(2016, 7, 1))
    silver = silver_app.label
    assert (silver.level, silver.valid_until) == (Level.SILVER, date(2018, 6, 30))
    assert (bronze.status, bronze.superseded_by_id) == (LabelStatus.SUPERSEDED, silver.id)
    journey.fire("start_follow_up", cast.manager, date(2016, 7, 2))

    # Gold: open_renewal on 2018-01-01, then the upgrade.
    [opened] = run_time_events(date(2018, 1, 1))
    assert opened.application_id == silver_app.id
    journey.fire("upgrade", cast.manager, date(2018, 1, 15))
    gold_app = journey.application
    assert (gold_app.level, gold_app.previous_id) == (Level.GOLD, silver_app.id)
    journey.to_label(interview=date(2018, 4, 10), consultant=cast.consultant)
    gold = gold_app.label
    assert (gold.level, gold.valid_until, gold.status) == (
        Level.GOLD,
        date(2020, 4, 30),
        LabelStatus.VALID,
    )
    assert (silver.status, silver.superseded_by_id) == (LabelStatus.SUPERSEDED, gold.id)
    journey.fire("start_follow_up", cast.manager, date(2018, 5, 1))

    # The audit trail tells the whole story, step by step.
    assert history(bronze_app) == [
        *ISSUE_PATH,
        ("open_renewal", State.FOLLOW_UP, State.RENEWAL_DUE),
        ("upgrade", State.RENEWAL_DUE, State.UPGRADED),
    ]
    assert history(silver_app) == [
        *ISSUE_PATH,
        ("open_renewal", State.FOLLOW_UP, State.RENEWAL_DUE),
        ("upgrade", State.RENEWAL_DUE, State.UPGRADED),
    ]
    assert history(gold_app) == ISSUE_PATH
    actors = {e.event: e.actor_id for e in silver_app.history}
    assert actors["assign_consultant"] == cast.coordinator.id
    assert actors["deliver_report"] == cast.second_consultant.id
    assert actors["open_renewal"] is None
    assigned = next(e for e in silver_app.history if e.event == "assign_consultant")
    assert assigned.data == {"consultant_id": cast.second_consultant.id}
    assert [e.at.date() for e in gold_app.history][-1] == date(2018, 5, 1)


def test_label_lapses_and_is_renewed_in_grace_year(ctx):
    cast = make_cast()
    journey = Journey(cast)
    first_app = journey.start()
    first = journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))

    events = [e.event for e in run_time_events(date(2016, 10, 31))]
    assert events == ["open_renewal"]
    assert first.status == LabelStatus.VALID  # still valid on its last day
    [lapsed] = run_time_events(date(2016, 11, 1))
    assert lapsed.event == "lapse"
    assert (first_app.state, first.status) == (State.LAPSED, LabelStatus.LAPSED)

    journey.fire("renew", cast.manager, date(2017, 3, 1), comment="Renewing late")
    assert first_app.state == State.RENEWED
    renewal = journey.application
    assert (renewal.level, renewal.state, renewal.previous_id) == (
        Level.BRONZE,
        State.DRAFT,
        first_app.id,
    )
    second = journey.to_label(interview=date(2017, 4, 12), consultant=cast.second_consultant)
    # A renewal holds renewal_validity_months (24) from the new interview.
    assert second.valid_until == date(2019, 4, 30)
    assert (first.status, first.superseded_by_id) == (LabelStatus.SUPERSEDED, second.id)
    assert history(first_app)[-3:] == [
        ("open_renewal", State.FOLLOW_UP, State.RENEWAL_DUE),
        ("lapse", State.RENEWAL_DUE, State.LAPSED),
        ("renew", State.LAPSED, State.RENEWED),
    ]
    assert first_app.history[-1].comment == "Renewing late"


def test_label_expires_for_good_after_grace_year(ctx):
    cast = make_cast()
    journey = Journey(cast)
    app = journey.start()
    label = journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))

    # A pass that never ran during the label's life catches up in one go.
    assert [e.event for e in run_time_events(date(2016, 12, 1))] == ["lapse"]
    assert run_time_events(date(2017, 10, 31)) == []  # last day of the grace year
    [expired] = run_time_events(date(2017, 11, 1))
    assert expired.event == "expire"
    assert (app.state, label.status) == (State.EXPIRED, LabelStatus.EXPIRED)

    with pytest.raises(NotAllowedInState):
        journey.fire("renew", cast.manager, date(2017, 11, 2))
    # The cluster starts again from Bronze.
    fresh = journey.start(Level.BRONZE, date(2017, 11, 2))
    assert (fresh.state, fresh.previous_id) == (State.DRAFT, None)
    assert [e[0] for e in history(app)][-2:] == ["lapse", "expire"]
