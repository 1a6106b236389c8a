"""The manager works off the report's recommendations during the follow-up."""

from datetime import date

import pytest

from certtrack.models import RecommendationStatus
from certtrack.services.recommendations import update_recommendation
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams, NotAllowedInState
from tests.builders import Journey, at, make_cast, snapshot


@pytest.fixture
def journey(ctx):
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))
    return journey


def test_follow_up_must_have_started(journey):
    rec = journey.application.report.recommendations[0]
    with pytest.raises(NotAllowedInState, match="once the follow-up has started"):
        update_recommendation(rec, journey.cast.manager, today=date(2014, 11, 1), status="done")


def test_progress_status_evidence_and_notes(journey):
    cast = journey.cast
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    rec = journey.application.report.recommendations[0]
    update_recommendation(
        rec,
        cast.manager,
        today=date(2015, 2, 1),
        now=at(date(2015, 2, 1)),
        status="in_progress",
        note="Board workshop held",
    )
    update_recommendation(
        rec,
        cast.manager,
        today=date(2015, 5, 4),
        status=RecommendationStatus.DONE,
        evidence="Strategy 2015-2018 adopted",
    )
    assert (rec.status, rec.completed_on, rec.evidence) == (
        RecommendationStatus.DONE,
        date(2015, 5, 4),
        "Strategy 2015-2018 adopted",
    )
    assert [(n.text, n.author_id, n.created_at.date()) for n in rec.notes] == [
        ("Board workshop held", cast.manager.id, date(2015, 2, 1))
    ]
    update_recommendation(rec, cast.manager, today=date(2015, 6, 1), status="in_progress")
    assert rec.completed_on is None


def test_refusals_change_nothing(journey):
    cast = journey.cast
    journey.fire("start_follow_up", cast.manager, date(2014, 11, 1))
    rec = journey.application.report.recommendations[0]
    before = snapshot()
    for outsider in (cast.other_manager, cast.coordinator, cast.consultant):
        with pytest.raises(ForbiddenForRole):
            update_recommendation(rec, outsider, today=date(2015, 1, 1), status="done")
    with pytest.raises(InvalidParams) as refused:
        update_recommendation(rec, cast.manager, today=date(2015, 1, 1), status="dropped")
    assert refused.value.fields == {"note": "Say why the recommendation is dropped."}
    with pytest.raises(InvalidParams) as refused:
        update_recommendation(rec, cast.manager, today=date(2015, 1, 1), status="finished")
    assert "status" in refused.value.fields
    assert snapshot() == before
