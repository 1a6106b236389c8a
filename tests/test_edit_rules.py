"""One rule answers "may this actor do this to this application now, and if not, why"
(workflow.permissions): for events it is exactly what the engine refuses with, for
edits it follows the definition's per-state table and the scope of services/access."""

from datetime import date

import pytest

from certtrack.services import applications
from certtrack.workflow import TRANSITIONS, allowed_transitions
from certtrack.workflow.errors import WorkflowError
from certtrack.workflow.permissions import allows, refusal
from certtrack.workflow.types import Thing
from tests.builders import Journey, make_cast

DAY = date(2014, 9, 1)
PEOPLE = (
    "manager",
    "coordinator",
    "consultant",
    "second_consultant",
    "admin",
    "other_manager",
    "other_coordinator",
)


def code(actor, subject, action) -> str | None:
    refused = refusal(actor, subject, action)
    return refused.code if refused else None


@pytest.mark.parametrize("stage", ["draft", "submitted", "review"])
def test_the_engine_refuses_exactly_what_the_rule_refuses(ctx, stage):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    if stage != "draft":
        journey.fire("submit", cast.manager, DAY)
    if stage == "review":
        journey.fire("assign_consultant", cast.coordinator, DAY, consultant_id=cast.consultant.id)
    application = journey.application
    for person in (None, *(getattr(cast, name) for name in PEOPLE)):
        expected = [t for t in TRANSITIONS if refusal(person, application, t.event) is None]
        assert allowed_transitions(application, person) == expected
        for t in TRANSITIONS:
            refused = refusal(person, application, t.event)
            if refused is None:
                continue
            with pytest.raises(WorkflowError) as raised:
                applications.fire(application, t.event, person, today=DAY, reason="x")
            assert (raised.value.code, raised.value.message) == (refused.code, refused.message)


def test_edits_follow_the_state_and_the_scope(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    app = journey.application
    assert code(cast.manager, app, Thing.IMPROVEMENT_AREAS) is None
    assert code(cast.consultant, app, Thing.IMPROVEMENT_AREAS) == "forbidden_for_role"
    assert code(cast.other_manager, app, Thing.IMPROVEMENT_AREAS) == "forbidden_for_role"
    assert code(cast.manager, app, Thing.RECOMMENDATIONS) == "not_allowed_in_state"
    # Documents and the thread: the people working on it, the consultant once assigned.
    for person in (cast.manager, cast.coordinator, cast.admin):
        assert allows(person, app, Thing.DOCUMENTS) and allows(person, app, Thing.THREAD)
    for outsider in (cast.consultant, cast.other_manager, cast.other_coordinator):
        assert code(outsider, app, Thing.THREAD) == "forbidden_for_role"

    journey.to_review(DAY)
    refused = refusal(cast.manager, app, Thing.IMPROVEMENT_AREAS)
    assert refused and refused.code == "not_allowed_in_state"
    assert "before the review" in refused.message
    assert allows(cast.consultant, app, Thing.BENCHMARKING)
    assert allows(cast.consultant, app, Thing.DOCUMENTS)
    assert code(cast.second_consultant, app, Thing.BENCHMARKING) == "forbidden_for_role"
    assert code(cast.second_consultant, app, Thing.DOCUMENTS) == "forbidden_for_role"
    assert code(cast.coordinator, app, Thing.BENCHMARKING) == "forbidden_for_role"

    journey.review(cast.consultant, date(2014, 10, 20), date(2014, 10, 15))
    journey.fire("deliver_report", cast.consultant, date(2014, 10, 20))
    refused = refusal(cast.consultant, app, Thing.BENCHMARKING)
    assert refused and refused.code == "not_allowed_in_state"
    assert "delivered" in refused.message

    journey.fire("reject", cast.coordinator, date(2014, 10, 21), reason="No.")
    for thing in (Thing.DOCUMENTS, Thing.THREAD):
        assert code(cast.manager, app, thing) == "not_allowed_in_state"


def test_a_cluster_profile_follows_its_open_application(ctx):
    cast = make_cast()
    cluster = cast.cluster
    for keeper in (cast.manager, cast.coordinator, cast.admin):
        assert allows(keeper, cluster, Thing.PROFILE)
    for outsider in (cast.consultant, cast.other_manager, cast.other_coordinator, None):
        assert code(outsider, cluster, Thing.PROFILE) == "forbidden_for_role"
    Journey(cast).start()
    assert allows(cast.manager, cluster, Thing.PROFILE)
    cast.manager.active = False
    assert code(cast.manager, cluster, Thing.PROFILE) == "forbidden_for_role"
