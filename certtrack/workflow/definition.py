"""The certification workflow as data: every step, who may take it, what it checks and
what it does. The engine applies it; nothing else decides what may happen."""

from collections import deque
from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from certtrack.models import CLOSED_STATES, LabelStatus, Role, State
from certtrack.workflow import effects, guards
from certtrack.workflow.types import SYSTEM, Param, Transition

MANAGER = Role.MANAGER.value
COORDINATOR = Role.COORDINATOR.value
CONSULTANT = Role.CONSULTANT.value
ADMIN = Role.ADMIN.value
REASON = Param("reason", str, description="Why; shown to the cluster.")
CONSULTANT_ID = Param(
    "consultant_id", int, description="Id of the consultant.", check=guards.consultant_exists
)
# Every event takes an optional comment for the audit trail.
COMMENT = Param("comment", str, required=False, description="A note for the history.")
PARAM_KINDS = (str, int, date)


def _t(
    event: str,
    sources: set[State],
    target: State | None,
    roles: set[str],
    description: str,
    **extra: Any,
) -> Transition:
    return Transition(event, frozenset(sources), target, frozenset(roles), description, **extra)


S = State
TRANSITIONS: tuple[Transition, ...] = (
    _t(
        "submit",
        {S.DRAFT},
        S.SUBMITTED,
        {MANAGER},
        _l("Send the application to the agency."),
        guards=(guards.profile_complete, guards.eligible, guards.level_prerequisites),
    ),
    _t(
        "return_for_changes",
        {S.SUBMITTED},
        S.DRAFT,
        {COORDINATOR, ADMIN},
        _l("Send the application back to the cluster for changes."),
        params=(REASON,),
    ),
    _t(
        "assign_consultant",
        {S.SUBMITTED},
        S.CONSULTANT_REVIEW,
        {COORDINATOR, ADMIN},
        _l("Give the review to an impartial consultant."),
        params=(CONSULTANT_ID,),
        guards=(guards.consultant_impartial,),
        effects=(effects.assign_consultant,),
    ),
    _t(
        "reassign_consultant",
        {S.CONSULTANT_REVIEW},
        None,
        {COORDINATOR, ADMIN},
        _l("Hand the review to another consultant."),
        params=(CONSULTANT_ID,),
        guards=(
            guards.report_not_delivered,
            guards.consultant_changes,
            guards.consultant_impartial,
        ),
        effects=(effects.assign_consultant,),
    ),
    _t(
        "deliver_report",
        {S.CONSULTANT_REVIEW},
        None,
        {CONSULTANT},
        _l("Deliver the report and its recommendations."),
        guards=(guards.report_not_delivered, guards.report_complete),
        effects=(effects.mark_report_delivered,),
    ),
    _t(
        "issue_label",
        {S.CONSULTANT_REVIEW},
        S.LABEL_ISSUED,
        {COORDINATOR, ADMIN},
        _l("Issue the label."),
        guards=(guards.report_delivered, guards.baseline_met, guards.gold_passes),
        effects=(effects.issue_label,),
    ),
    _t(
        "reject",
        {S.CONSULTANT_REVIEW},
        S.REJECTED,
        {CONSULTANT, COORDINATOR, ADMIN},
        _l("Refuse the label."),
        params=(REASON,),
    ),
    _t(
        "withdraw",
        {S.DRAFT, S.SUBMITTED, S.CONSULTANT_REVIEW},
        S.WITHDRAWN,
        {MANAGER, COORDINATOR, ADMIN},
        _l("Stop this application."),
    ),
    _t(
        "start_follow_up",
        {S.LABEL_ISSUED},
        S.FOLLOW_UP,
        {MANAGER},
        _l("Start working on the recommendations."),
    ),
    _t(
        "open_renewal",
        {S.FOLLOW_UP},
        S.RENEWAL_DUE,
        {SYSTEM},
        _l("The label enters its renewal window."),
        guards=(guards.renewal_window_open,),
    ),
    _t(
        "lapse",
        {S.FOLLOW_UP, S.RENEWAL_DUE},
        S.LAPSED,
        {SYSTEM},
        _l("The label expired; renewal remains possible for the grace period."),
        guards=(guards.label_expired,),
        effects=(effects.set_label_status(LabelStatus.LAPSED),),
    ),
    _t(
        "renew",
        {S.RENEWAL_DUE, S.LAPSED},
        S.RENEWED,
        {MANAGER},
        _l("Renew the label: opens a new application for the same level."),
        guards=(guards.within_grace,),
        effects=(effects.open_next_application(effects.same_level),),
    ),
    _t(
        "upgrade",
        {S.FOLLOW_UP, S.RENEWAL_DUE},
        S.UPGRADED,
        {MANAGER},
        _l("Go for the next level: opens a new application for it."),
        guards=(guards.next_level_reachable,),
        effects=(effects.open_next_application(effects.next_level),),
    ),
    _t(
        "expire",
        {S.LAPSED},
        S.EXPIRED,
        {SYSTEM},
        _l("The grace period ended; the label is lost."),
        guards=(guards.grace_over,),
        effects=(effects.set_label_status(LabelStatus.EXPIRED),),
    ),
)

TRANSITIONS_BY_EVENT: dict[str, Transition] = {t.event: t for t in TRANSITIONS}
INITIAL_STATE = State.DRAFT


def validate_definition(transitions: Sequence[Transition] = TRANSITIONS) -> list[str]:
    """Problems in a workflow definition; an empty list means it is sound."""
    problems = []
    events = [t.event for t in transitions]
    problems += [f"event {e} is defined twice" for e in sorted(set(events)) if events.count(e) > 1]
    known_roles = {r.value for r in Role} | {SYSTEM}
    for t in transitions:
        if not t.sources:
            problems.append(f"{t.event} has no source state")
        problems += [
            f"{t.event} leaves closed state {s}" for s in sorted(t.sources & CLOSED_STATES)
        ]
        problems += [f"{t.event} names unknown role {r}" for r in sorted(t.roles - known_roles)]
        if not t.roles:
            problems.append(f"{t.event} names no role")
        problems += [
            f"{t.event}: {f!r} is not callable" for f in t.guards + t.effects if not callable(f)
        ]
        names = [p.name for p in t.params]
        if len(names) != len(set(names)) or COMMENT.name in names:
            problems.append(f"{t.event} declares a parameter twice")
        problems += [
            f"{t.event}: parameter {p.name} has unsupported type {p.kind.__name__}"
            for p in t.params
            if p.kind not in PARAM_KINDS
        ]
        if t.roles == {SYSTEM} and t.params:
            problems.append(f"{t.event} is fired by the system but needs parameters")
    reachable = _reachable(transitions)
    problems += [f"state {s} cannot be reached" for s in State if s not in reachable]
    exits = {s for t in transitions for s in t.sources}
    problems += [
        f"open state {s} has no way out" for s in State if s not in CLOSED_STATES and s not in exits
    ]
    return problems


def _reachable(transitions: Sequence[Transition]) -> set[State]:
    seen = {INITIAL_STATE}
    queue = deque([INITIAL_STATE])
    while queue:
        state = queue.popleft()
        for t in transitions:
            target = t.target_from(state)
            if state in t.sources and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen
