"""The workflow definition is sound, and its published diagram matches it."""

from dataclasses import replace
from pathlib import Path

from certtrack.models import State
from certtrack.workflow import TRANSITIONS, TRANSITIONS_BY_EVENT, validate_definition
from certtrack.workflow.diagram import markdown, mermaid
from certtrack.workflow.types import Param

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
