"""The consultant's review: saved as a draft, validated field by field, closed on delivery."""

from datetime import date
from decimal import Decimal

import pytest

from certtrack.extensions import db
from certtrack.models import Level, Priority, Setting
from certtrack.services.benchmarking import save_benchmarking, set_improvement_areas
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams, NotAllowedInState
from tests.builders import Journey, make_cast, sample_review, snapshot

DAY = date(2014, 10, 20)


@pytest.fixture
def review(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(date(2014, 10, 1))
    return journey


def test_draft_saves_partially_and_updates(review):
    app, consultant = review.application, review.cast.consultant
    save_benchmarking(
        app, consultant, today=DAY, values={"B01": {"number": 42, "comment": "members"}, "B02": 7}
    )
    save_benchmarking(app, consultant, today=DAY, values={"B02": {"number": 5}, "B03": None})
    recorded = {v.indicator.code: (v.number, v.comment) for v in app.indicator_values}
    assert recorded == {"B01": (42, "members"), "B02": (5, None), "B03": (None, None)}
    save_benchmarking(
        app,
        consultant,
        today=DAY,
        interview_date=date(2014, 10, 15),
        summary="  Good start.  ",
        recommendations=[
            {"title": "Hire a second manager", "due_date": "2015-06-30", "priority": "high"}
        ],
    )
    assert app.interview_date == date(2014, 10, 15)
    assert app.report.summary == "Good start."
    [rec] = app.report.recommendations
    assert (rec.title, rec.due_date, rec.priority) == (
        "Hire a second manager",
        date(2015, 6, 30),
        Priority.HIGH,
    )
    # a second save replaces the recommendation list
    save_benchmarking(app, consultant, today=DAY, recommendations=[{"title": "A"}, {"title": "B"}])
    assert [r.title for r in app.report.recommendations] == ["A", "B"]


def test_invalid_fields_are_all_named_and_nothing_is_saved(review):
    app, consultant = review.application, review.cast.consultant
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        save_benchmarking(
            app,
            consultant,
            today=DAY,
            interview_date=date(2014, 11, 1),
            values={"B01": 12, "Q01": 3, "ZZ": 1, "B02": True},
            recommendations=[
                {"title": ""},
                {"title": "x", "due_date": "2014-01-01", "priority": "urgent", "colour": 1},
            ],
        )
    assert refused.value.fields == {
        "interview_date": "The interview date lies in the future.",
        "values.Q01": "Q01 is not an indicator of this level.",
        "values.ZZ": "ZZ is not an indicator of this level.",
        "values.B02": "Must be a number.",
        "recommendations.0.title": "This field is required.",
        "recommendations.1.colour": "Unknown field.",
        "recommendations.1.priority": "Must be one of: high, medium, low.",
        "recommendations.1.due_date": "The due date lies in the past.",
    }
    assert snapshot() == before


def test_gold_scores_and_silver_baseline_are_typed(ctx):
    cast = make_cast()
    journey = Journey(cast)
    db.session.add(Setting(key="gold_prerequisite", value="none"))
    db.session.commit()
    journey.start(Level.GOLD)
    journey.to_review(date(2014, 10, 1))
    app = journey.application
    with pytest.raises(InvalidParams) as refused:
        save_benchmarking(
            app,
            cast.consultant,
            today=DAY,
            values={"Q01": 6, "Q02": "a lot", "Q03": True, "B01": "x"},
        )
    assert refused.value.fields == {
        "values.Q01": "Must be between 0 and 5.00.",
        "values.Q02": "Must be a number.",
        "values.Q03": "Must be a number.",
        "values.B01": "B01 is not an indicator of this level.",
    }
    save_benchmarking(app, cast.consultant, today=DAY, values={"Q01": "4.5", "Q02": 0})
    assert sorted((v.indicator.code, v.score) for v in app.indicator_values) == [
        ("Q01", Decimal("4.5")),
        ("Q02", Decimal("0")),
    ]


def test_only_the_assigned_consultant_during_review(review):
    app, cast = review.application, review.cast
    for outsider in (cast.second_consultant, cast.coordinator, cast.manager, cast.admin):
        with pytest.raises(ForbiddenForRole, match="Only the consultant assigned"):
            save_benchmarking(app, outsider, today=DAY, values={"B01": 1})
    review.review(review.cast.consultant, DAY, date(2014, 10, 15))
    review.fire("deliver_report", cast.consultant, DAY)
    with pytest.raises(NotAllowedInState, match="The report was delivered"):
        save_benchmarking(app, cast.consultant, today=DAY, values={"B01": 2})


def test_not_before_review(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    with pytest.raises(ForbiddenForRole):
        save_benchmarking(journey.application, cast.consultant, today=DAY, values={"B01": 1})


def test_complete_review_passes_the_delivery_guard(review):
    review.review(review.cast.consultant, DAY, date(2014, 10, 15))
    entry = review.fire("deliver_report", review.cast.consultant, DAY)
    assert entry.event == "deliver_report"
    assert review.application.report.delivered_by_id == review.cast.consultant.id


def test_improvement_areas_only_for_silver_and_only_three(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start(Level.SILVER)
    app = journey.application
    areas = [{"title": f"A{i}", "effect": "E"} for i in range(4)]
    with pytest.raises(InvalidParams) as refused:
        set_improvement_areas(
            app, cast.manager, [*areas[:2], {"title": " ", "effect": "E"}, areas[3]]
        )
    assert refused.value.fields == {
        "improvement_areas": "At most 3 improvement areas.",
        "improvement_areas.2.title": "This field is required.",
    }
    with pytest.raises(ForbiddenForRole):
        set_improvement_areas(app, cast.other_manager, areas[:3])
    set_improvement_areas(app, cast.manager, areas[:3])
    assert [a.title for a in app.improvement_areas] == ["A0", "A1", "A2"]


def test_improvement_areas_refused_for_bronze(review):
    with pytest.raises(InvalidParams, match="Some fields"):
        save_benchmarking(
            review.application,
            review.cast.consultant,
            today=DAY,
            improvement_areas=sample_review(Level.SILVER, DAY)["improvement_areas"],
        )
