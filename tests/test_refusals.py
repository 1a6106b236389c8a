# ruff: noqa: E501  (the case table reads best one case per line)
"""Every event refused for each reason that can apply to it: wrong state, wrong role,
failed guard, bad parameters. Each refusal carries its code and a message naming the
reason, and leaves the database exactly as it was."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from certtrack.extensions import db
from certtrack.models import Application, Level, Setting
from certtrack.services import applications
from certtrack.services.benchmarking import save_benchmarking, set_improvement_areas
from certtrack.services.time_events import run_time_events
from certtrack.workflow.errors import WorkflowError
from tests.builders import Cast, Journey, at, make_cast, sample_review, snapshot

INTERVIEW = date(2014, 10, 15)


def draft(j: Journey) -> None:
    j.start()


def submitted(j: Journey) -> None:
    j.start()
    j.fire("submit", j.cast.manager, date(2014, 10, 1))


def in_review(j: Journey) -> None:
    submitted(j)
    j.fire(
        "assign_consultant",
        j.cast.coordinator,
        date(2014, 10, 1),
        consultant_id=j.cast.consultant.id,
    )


def reviewed(j: Journey) -> None:
    in_review(j)
    j.review(j.cast.consultant, INTERVIEW, INTERVIEW)


def delivered(j: Journey) -> None:
    reviewed(j)
    j.fire("deliver_report", j.cast.consultant, INTERVIEW)


def issued(j: Journey) -> None:
    j.start()
    j.to_label(interview=INTERVIEW)


def following(j: Journey) -> None:
    issued(j)
    j.fire("start_follow_up", j.cast.manager, date(2014, 11, 1))


def renewal_due(j: Journey) -> None:
    following(j)
    run_time_events(date(2016, 5, 4))


def lapsed(j: Journey) -> None:
    following(j)
    run_time_events(date(2016, 11, 1))


def silver_delivered_failing_baseline(j: Journey) -> None:
    following(j)
    j.fire("upgrade", j.cast.manager, date(2016, 5, 10))
    areas = [{"title": f"Area {i}", "effect": "Effect"} for i in (1, 2, 3)]
    set_improvement_areas(j.application, j.cast.manager, areas)
    j.fire("submit", j.cast.manager, date(2016, 5, 12))
    j.fire(
        "assign_consultant",
        j.cast.coordinator,
        date(2016, 5, 12),
        consultant_id=j.cast.second_consultant.id,
    )
    j.review(j.cast.second_consultant, date(2016, 6, 1), date(2016, 5, 30), passing=False)
    j.fire("deliver_report", j.cast.second_consultant, date(2016, 6, 1))


def gold_delivered(passing: bool, **scores: int) -> Callable[[Journey], None]:
    """A delivered Gold review (Gold open to anyone): every score at its maximum when
    `passing`, else at its threshold; `scores` overrides single indicators."""

    def build(j: Journey) -> None:
        db.session.add(Setting(key="gold_prerequisite", value="none"))
        db.session.commit()
        j.start(Level.GOLD, date(2014, 9, 1))
        j.to_review(date(2014, 9, 1))
        data = sample_review(Level.GOLD, INTERVIEW, passing=passing)
        data["values"].update(scores)
        save_benchmarking(
            j.application, j.cast.consultant, today=INTERVIEW, interview_date=INTERVIEW, **data
        )
        j.fire("deliver_report", j.cast.consultant, INTERVIEW)

    return build


def incomplete_profile(j: Journey) -> None:
    j.cast.cluster.sector = None
    j.cast.cluster.staff_fte = None
    db.session.commit()
    j.start()


def ineligible_profile(j: Journey) -> None:
    j.cast.cluster.committed_members = 12
    j.cast.cluster.eccp_listed = False
    db.session.commit()
    j.start()


def silver_without_bronze(j: Journey) -> None:
    j.start(Level.SILVER)


def with_conflict(j: Journey) -> None:
    j.cast.consultant.conflicts.append(j.cast.cluster)
    db.session.commit()
    submitted(j)


def with_affiliated_consultant(j: Journey) -> None:
    j.cast.consultant.affiliation = "  ditenave "
    db.session.commit()
    submitted(j)


def renewal_after_previous_review(j: Journey) -> None:
    """Second process of the cluster, the first one reviewed by `consultant`."""
    lapsed(j)
    j.fire("renew", j.cast.manager, date(2017, 1, 10))
    j.fire("submit", j.cast.manager, date(2017, 1, 11))


def gold_following(j: Journey) -> None:
    db.session.add(Setting(key="gold_prerequisite", value="none"))
    db.session.commit()
    j.start(Level.GOLD, date(2014, 9, 1))
    j.to_label(interview=INTERVIEW)
    j.fire("start_follow_up", j.cast.manager, date(2014, 11, 1))


@dataclass
class Case:
    name: str
    build: Callable[[Journey], None]
    event: str
    actor: str | None  # attribute of Cast, or None for the system
    code: str
    message: str
    day: date = date(2015, 1, 10)
    params: dict[str, Any] = field(default_factory=dict)


CASES = [
    # submit
    Case("submit/state", submitted, "submit", "manager", "not_allowed_in_state", "submit is not possible while the application is submitted"),
    Case("submit/role", draft, "submit", "coordinator", "forbidden_for_role", "submit is done by: manager; you are a coordinator"),
    Case("submit/other-cluster", draft, "submit", "other_manager", "forbidden_for_role", "You manage another cluster"),
    Case("submit/system", draft, "submit", None, "forbidden_for_role", "submit must be done by a person"),
    Case("submit/profile", incomplete_profile, "submit", "manager", "guard_failed", "The cluster profile is incomplete: sector, staff_fte"),
    Case("submit/eligibility", ineligible_profile, "submit", "manager", "guard_failed", "12 committed members; at least 15 are required"),
    Case("submit/silver-prerequisite", silver_without_bronze, "submit", "manager", "guard_failed", "Silver needs a Bronze label"),
    Case("submit/params", draft, "submit", "manager", "invalid_params", "foo: Unknown parameter", params={"foo": 1}),
    # return_for_changes
    Case("return/state", draft, "return_for_changes", "coordinator", "not_allowed_in_state", "while the application is draft", params={"reason": "x"}),
    Case("return/role", submitted, "return_for_changes", "manager", "forbidden_for_role", "you are a manager", params={"reason": "x"}),
    Case("return/other-agency", submitted, "return_for_changes", "other_coordinator", "forbidden_for_role", "belongs to another agency", params={"reason": "x"}),
    Case("return/params", submitted, "return_for_changes", "coordinator", "invalid_params", "reason: This field is required", params={"reason": "   "}),
    Case("return/params-type", submitted, "return_for_changes", "coordinator", "invalid_params", "reason: Must be text", params={"reason": 42}),
    # assign_consultant
    Case("assign/state", draft, "assign_consultant", "coordinator", "not_allowed_in_state", "while the application is draft", params={"consultant_id": 0}),
    Case("assign/role", submitted, "assign_consultant", "consultant", "forbidden_for_role", "you are a consultant", params={"consultant_id": 0}),
    Case("assign/conflict", with_conflict, "assign_consultant", "coordinator", "guard_failed", "declared a conflict of interest with DITENAVE", params={"consultant_id": "consultant"}),
    Case("assign/affiliation", with_affiliated_consultant, "assign_consultant", "coordinator", "guard_failed", "works for DITENAVE", params={"consultant_id": "consultant"}),
    Case("assign/twice", renewal_after_previous_review, "assign_consultant", "coordinator", "guard_failed", "twice in a row", day=date(2017, 1, 12), params={"consultant_id": "consultant"}),
    Case("assign/params-missing", submitted, "assign_consultant", "coordinator", "invalid_params", "consultant_id: This field is required"),
    Case("assign/params-type", submitted, "assign_consultant", "coordinator", "invalid_params", "consultant_id: Must be a whole number", params={"consultant_id": "abc"}),
    Case("assign/params-not-consultant", submitted, "assign_consultant", "coordinator", "invalid_params", "No active consultant has the id", params={"consultant_id": "manager"}),
    # reassign_consultant
    Case("reassign/state", submitted, "reassign_consultant", "coordinator", "not_allowed_in_state", "while the application is submitted", params={"consultant_id": "second_consultant"}),
    Case("reassign/role", in_review, "reassign_consultant", "manager", "forbidden_for_role", "you are a manager", params={"consultant_id": "second_consultant"}),
    Case("reassign/same", in_review, "reassign_consultant", "coordinator", "guard_failed", "already assigned", params={"consultant_id": "consultant"}),
    Case("reassign/delivered", delivered, "reassign_consultant", "coordinator", "guard_failed", "The report was delivered on October 15, 2014", params={"consultant_id": "second_consultant"}),
    Case("reassign/params", in_review, "reassign_consultant", "coordinator", "invalid_params", "consultant_id: Must be a whole number", params={"consultant_id": True}),
    # deliver_report
    Case("deliver/state", submitted, "deliver_report", "consultant", "not_allowed_in_state", "while the application is submitted"),
    Case("deliver/role", reviewed, "deliver_report", "coordinator", "forbidden_for_role", "you are a coordinator"),
    Case("deliver/not-assigned", reviewed, "deliver_report", "second_consultant", "forbidden_for_role", "Only the consultant assigned"),
    Case("deliver/incomplete", in_review, "deliver_report", "consultant", "guard_failed", "36 indicators are not recorded"),
    Case("deliver/twice", delivered, "deliver_report", "consultant", "guard_failed", "The report was delivered on October 15, 2014"),
    Case("deliver/params", reviewed, "deliver_report", "consultant", "invalid_params", "summary: Unknown parameter", params={"summary": "x"}),
    # issue_label
    Case("issue/state", submitted, "issue_label", "coordinator", "not_allowed_in_state", "while the application is submitted"),
    Case("issue/role", delivered, "issue_label", "consultant", "forbidden_for_role", "you are a consultant"),
    Case("issue/no-report", reviewed, "issue_label", "coordinator", "guard_failed", "has not delivered the report"),
    Case("issue/silver-baseline", silver_delivered_failing_baseline, "issue_label", "coordinator", "guard_failed", "not met: BMR1, BMR2", day=date(2016, 6, 2)),
    Case("issue/gold-threshold", gold_delivered(True, Q01=0), "issue_label", "coordinator", "guard_failed", "below it: Q01"),
    Case("issue/gold-score", gold_delivered(False), "issue_label", "coordinator", "guard_failed", "80% of the total score; the cluster scored 56.1%"),
    Case("issue/params", delivered, "issue_label", "coordinator", "invalid_params", "number: Unknown parameter", params={"number": "X"}),
    # reject
    Case("reject/state", submitted, "reject", "coordinator", "not_allowed_in_state", "while the application is submitted", params={"reason": "x"}),
    Case("reject/role", in_review, "reject", "manager", "forbidden_for_role", "you are a manager", params={"reason": "x"}),
    Case("reject/params", in_review, "reject", "consultant", "invalid_params", "reason: This field is required"),
    # withdraw
    Case("withdraw/state", issued, "withdraw", "manager", "not_allowed_in_state", "while the application is label_issued"),
    Case("withdraw/role", in_review, "withdraw", "consultant", "forbidden_for_role", "you are a consultant"),
    Case("withdraw/params", draft, "withdraw", "manager", "invalid_params", "comment: Must be text", params={"comment": ["x"]}),
    # start_follow_up
    Case("follow/state", delivered, "start_follow_up", "manager", "not_allowed_in_state", "while the application is consultant_review"),
    Case("follow/role", issued, "start_follow_up", "coordinator", "forbidden_for_role", "you are a coordinator"),
    Case("follow/params", issued, "start_follow_up", "manager", "invalid_params", "x: Unknown parameter", params={"x": "y"}),
    # open_renewal
    Case("open_renewal/state", issued, "open_renewal", None, "not_allowed_in_state", "while the application is label_issued", day=date(2016, 6, 1)),
    Case("open_renewal/role", following, "open_renewal", "manager", "forbidden_for_role", "Only the daily pass fires open_renewal", day=date(2016, 6, 1)),
    Case("open_renewal/guard", following, "open_renewal", None, "guard_failed", "The renewal window opens on May 4, 2016", day=date(2016, 5, 3)),
    Case("open_renewal/params", following, "open_renewal", None, "invalid_params", "days: Unknown parameter", day=date(2016, 6, 1), params={"days": 3}),
    # lapse
    Case("lapse/state", lapsed, "lapse", None, "not_allowed_in_state", "while the application is lapsed", day=date(2016, 12, 1)),
    Case("lapse/role", following, "lapse", "coordinator", "forbidden_for_role", "Only the daily pass fires lapse", day=date(2016, 12, 1)),
    Case("lapse/guard", renewal_due, "lapse", None, "guard_failed", "The label is valid until October 31, 2016", day=date(2016, 10, 31)),
    Case("lapse/params", renewal_due, "lapse", None, "invalid_params", "when: Unknown parameter", day=date(2016, 12, 1), params={"when": "now"}),
    # renew
    Case("renew/state", following, "renew", "manager", "not_allowed_in_state", "while the application is follow_up"),
    Case("renew/role", renewal_due, "renew", "coordinator", "forbidden_for_role", "you are a coordinator", day=date(2016, 6, 1)),
    Case("renew/after-grace", lapsed, "renew", "manager", "guard_failed", "Renewal was possible until October 31, 2017", day=date(2017, 11, 1)),
    Case("renew/params", renewal_due, "renew", "manager", "invalid_params", "level: Unknown parameter", day=date(2016, 6, 1), params={"level": "gold"}),
    # upgrade
    Case("upgrade/state", issued, "upgrade", "manager", "not_allowed_in_state", "while the application is label_issued"),
    Case("upgrade/role", following, "upgrade", "consultant", "forbidden_for_role", "you are a consultant", day=date(2016, 5, 1)),
    Case("upgrade/too-early", following, "upgrade", "manager", "guard_failed", "from April 2016 to October 2016 for the Bronze interviewed in October 2014", day=date(2016, 3, 31)),
    Case("upgrade/gold-is-top", gold_following, "upgrade", "manager", "guard_failed", "Gold is the highest label", day=date(2015, 1, 10)),
    Case("upgrade/params", following, "upgrade", "manager", "invalid_params", "level: Unknown parameter", day=date(2016, 5, 1), params={"level": "gold"}),
    # expire
    Case("expire/state", renewal_due, "expire", None, "not_allowed_in_state", "while the application is renewal_due", day=date(2018, 1, 1)),
    Case("expire/role", lapsed, "expire", "admin", "forbidden_for_role", "Only the daily pass fires expire", day=date(2018, 1, 1)),
    Case("expire/guard", lapsed, "expire", None, "guard_failed", "The label can be renewed until October 31, 2017", day=date(2017, 10, 31)),
    Case("expire/params", lapsed, "expire", None, "invalid_params", "force: Unknown parameter", day=date(2018, 1, 1), params={"force": True}),
    # unknown event
    Case("unknown-event", draft, "approve", "manager", "invalid_params", "Unknown event approve"),
]  # fmt: skip


def resolve(cast: Cast, params: dict[str, Any]) -> dict[str, Any]:
    """Params naming a cast member stand for that user's id."""
    out = dict(params)
    if isinstance(out.get("consultant_id"), str) and hasattr(cast, out["consultant_id"]):
        out["consultant_id"] = getattr(cast, out["consultant_id"]).id
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_refusal(ctx, case: Case):
    cast = make_cast()
    journey = Journey(cast)
    case.build(journey)
    application = journey.application
    actor = getattr(cast, case.actor) if case.actor else None
    before = snapshot()

    with pytest.raises(WorkflowError) as refused:
        applications.fire(
            application,
            case.event,
            actor,
            today=case.day,
            now=at(case.day),
            **resolve(cast, case.params),
        )

    assert refused.value.code == case.code
    assert case.message in refused.value.message
    assert (
        refused.value.status
        == {
            "not_allowed_in_state": 409,
            "forbidden_for_role": 403,
            "guard_failed": 422,
            "invalid_params": 422,
        }[case.code]
    )
    assert snapshot() == before
    db.session.expire_all()
    assert db.session.get(Application, application.id).version == application.version


def test_every_event_has_each_applicable_refusal_case():
    from certtrack.workflow import TRANSITIONS

    covered = {(c.event, c.code) for c in CASES}
    for t in TRANSITIONS:
        expected = {"not_allowed_in_state", "forbidden_for_role", "invalid_params"}
        if t.guards:
            expected.add("guard_failed")
        missing = {(t.event, code) for code in expected} - covered
        assert not missing, missing


def test_invalid_params_name_every_field(ctx):
    cast = make_cast()
    journey = Journey(cast)
    submitted(journey)
    with pytest.raises(WorkflowError) as refused:
        journey.fire(
            "assign_consultant", cast.coordinator, date(2015, 1, 1), consultant_id="x", bogus=1
        )
    assert refused.value.fields == {
        "consultant_id": "Must be a whole number.",
        "bogus": "Unknown parameter.",
    }


def test_guard_failure_points_at_fields(ctx):
    cast = make_cast()
    journey = Journey(cast)
    ineligible_profile(journey)
    with pytest.raises(WorkflowError) as refused:
        journey.fire("submit", cast.manager, date(2015, 1, 1))
    assert set(refused.value.fields) == {"committed_members", "eccp_listed"}
