"""The workflow definition is sound, and its published diagram matches it."""

from dataclasses import replace
from pathlib import Path

from certtrack import vocabulary
from certtrack.models import CLOSED_STATES, Role, State
from certtrack.workflow import TRANSITIONS, TRANSITIONS_BY_EVENT, validate_definition
from certtrack.workflow.definition import PERMISSIONS, THINGS, make_permissions
from certtrack.workflow.diagram import markdown, mermaid
from certtrack.workflow.types import AUDIENCE_NAMES, Param, Thing

DOCS = Path(__file__).resolve().parent.parent / "docs" / "workflow.md"

EVENTS = [
    "submit",
    "return_for_changes",
    "assign_consultant",
    "reassign_consultant",
    "deliver_report",
    "issue_label",
    "reject",
    "withdraw",
    "start_follow_up",
    "open_renewal",
    "lapse",
    "renew",
    "upgrade",
    "expire",
]


def test_definition_is_sound():
    assert validate_definition() == []


def test_public_vocabulary():
    assert [t.event for t in TRANSITIONS] == EVENTS
    assert [s.value for s in State] == [
        "draft",
        "submitted",
        "consultant_review",
        "label_issued",
        "follow_up",
        "renewal_due",
        "lapsed",
        "renewed",
        "upgraded",
        "expired",
        "rejected",
        "withdrawn",
    ]


def test_validation_finds_broken_definitions():
    submit = TRANSITIONS_BY_EVENT["submit"]
    expire = TRANSITIONS_BY_EVENT["expire"]
    broken = [
        *TRANSITIONS,
        replace(submit),  # defined twice
        replace(
            submit, event="reopen", sources=frozenset({State.EXPIRED}), roles=frozenset({"wizard"})
        ),
        replace(expire, event="tick", params=(Param("x", float),), guards=("nope",)),
    ]
    problems = validate_definition(broken)
    assert "event submit is defined twice" in problems
    assert "reopen leaves closed state expired" in problems
    assert "reopen names unknown role wizard" in problems
    assert "tick: 'nope' is not callable" in problems
    assert "tick: parameter x has unsupported type float" in problems
    assert "tick is fired by the system but needs parameters" in problems


def test_validation_finds_unreachable_and_dead_end_states():
    without_upgrade = [t for t in TRANSITIONS if t.event not in ("upgrade", "withdraw")]
    problems = validate_definition(without_upgrade)
    assert "state upgraded cannot be reached" in problems
    assert "state withdrawn cannot be reached" in problems
    no_way_out = [t for t in TRANSITIONS if t.event != "expire"]
    assert "state expired cannot be reached" in validate_definition(no_way_out)
    only_to_lapsed = [t for t in TRANSITIONS if t.event not in ("renew", "expire")]
    assert "open state lapsed has no way out" in validate_definition(only_to_lapsed)


def test_every_event_carries_what_people_read_about_it(app):
    with app.test_request_context():
        for t in TRANSITIONS:
            assert str(t.display_name) and vocabulary.name(t.event) == str(t.display_name)
            assert set(t.audience) <= AUDIENCE_NAMES, t.event
            assert bool(t.audience) == (t.notice_subject is not None), t.event
            assert t.takes_reason == any(p.name == "reason" for p in t.params)
            if t.notice_subject is not None:
                names = {"cluster": "C", "level": "Bronze", "consultant": "X"}
                assert str(t.notice_subject) % names
    with_reason = {t.event for t in TRANSITIONS if t.takes_reason}
    assert with_reason == {"return_for_changes", "reject"}
    notified = {t.event for t in TRANSITIONS if t.audience}
    assert notified == {
        "submit",
        "return_for_changes",
        "assign_consultant",
        "reassign_consultant",
        "issue_label",
        "reject",
    }


def test_every_thing_has_a_rule_in_every_state():
    roles = {r.value for r in Role}
    for state in State:
        assert set(PERMISSIONS[state]) == set(Thing), state
        for thing, editors in PERMISSIONS[state].items():
            assert editors <= roles
            if state in CLOSED_STATES and thing != Thing.PROFILE:
                assert not editors, (state, thing)
    assert set(THINGS) == set(Thing)
    # Documents and the thread: everyone working on an open application.
    for state in set(State) - CLOSED_STATES:
        assert PERMISSIONS[state][Thing.DOCUMENTS] == roles
        assert PERMISSIONS[state][Thing.THREAD] == roles


def test_validation_finds_missing_event_facts_and_edit_rules():
    submit = TRANSITIONS_BY_EVENT["submit"]
    broken = [
        *(t for t in TRANSITIONS if t.event != "submit"),
        replace(submit, display_name="", audience=("auditors",)),
        replace(TRANSITIONS_BY_EVENT["renew"], event="thread"),
        replace(TRANSITIONS_BY_EVENT["reject"], notice_subject=None),
    ]
    permissions = {
        **PERMISSIONS,
        State.DRAFT: make_permissions(profile={"manager"}, benchmarking={"wizard"}),
        State.EXPIRED: {**PERMISSIONS[State.EXPIRED], Thing.THREAD: frozenset({"manager"})},
    }
    del permissions[State.LAPSED]
    problems = validate_definition(broken, permissions)
    assert "submit has no display name" in problems
    assert "submit notifies unknown audience auditors" in problems
    assert "event thread has the name of an editable thing" in problems
    assert "reject needs both a notice audience and a subject, or neither" in problems
    assert "state lapsed has no edit rules" in problems
    assert "state draft: no rule for recommendations" in problems
    assert "state draft: benchmarking names unknown role wizard" in problems
    assert "state expired: thread is editable in a closed state" in problems


def test_mermaid_lists_every_transition():
    diagram = mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> draft\n")
    assert "    follow_up --> renewal_due: open_renewal (system)\n" in diagram
    assert "    consultant_review --> consultant_review: deliver_report (consultant)\n" in diagram
    assert "    lapsed --> renewed: renew (manager)\n" in diagram
    assert "    withdrawn --> [*]\n" in diagram
    arrows = sum(len(t.sources) for t in TRANSITIONS)
    assert diagram.count(": ") == arrows


def test_docs_workflow_md_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/workflow.md drifted: run `flask workflow diagram --markdown > docs/workflow.md`"
    )


def test_cli_prints_the_diagram(runner):
    result = runner.invoke(args=["workflow", "diagram"])
    assert result.exit_code == 0
    assert result.output == mermaid()
    result = runner.invoke(args=["workflow", "diagram", "--markdown"])
    assert result.output == markdown()
