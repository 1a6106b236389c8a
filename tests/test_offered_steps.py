"""The steps a page offers: those the state and role allow, each with its guards'
refusal as things stand (shown disabled with the reason); a step refused for good is
not offered. engine.offered_steps is the one place."""

from datetime import date

from certtrack.workflow.engine import offered_steps
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, make_cast

ASSIGNED = date(2014, 6, 10)


def offers(application, user, day=ASSIGNED):  # type: ignore[no-untyped-def]
    """event -> the refusal's message (None: can be taken now)."""
    return {
        o.transition.event: o.refusal.message if o.refusal else None
        for o in offered_steps(application, user, today=day, policy=load_policy())
    }


def test_after_the_assignment_the_steps_that_cannot_succeed_yet_say_why(ctx):
    journey = Journey(make_cast())
    journey.start()
    journey.to_review(ASSIGNED)
    cast, application = journey.cast, journey.application
    coordinator = offers(application, cast.coordinator)
    assert "assign_consultant" not in coordinator
    assert coordinator["reassign_consultant"] is None  # its guards judge the choice made
    assert coordinator["issue_label"] == "The consultant has not delivered the report yet."
    assert coordinator["reject"] is None and coordinator["withdraw"] is None
    consultant = offers(application, cast.consultant)
    assert consultant["deliver_report"].startswith("The report is not complete")
    assert consultant["reject"] is None


def test_steps_refused_for_good_are_not_offered(ctx):
    journey = Journey(make_cast())
    journey.start()
    journey.to_review(ASSIGNED)
    cast = journey.cast
    journey.review(cast.consultant, date(2014, 7, 1), date(2014, 6, 28))
    assert offers(journey.application, cast.consultant, date(2014, 7, 1))["deliver_report"] is None
    journey.fire("deliver_report", cast.consultant, date(2014, 7, 1))
    consultant = offers(journey.application, cast.consultant, date(2014, 7, 1))
    assert "deliver_report" not in consultant  # delivered: it never comes back
    coordinator = offers(journey.application, cast.coordinator, date(2014, 7, 1))
    assert "reassign_consultant" not in coordinator
    assert coordinator["issue_label"] is None
