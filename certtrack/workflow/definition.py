"""The certification workflow as data: every step, who may take it, what it checks and
what it does. The engine applies it; nothing else decides what may happen."""

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from certtrack.models import CLOSED_STATES, Application, LabelStatus, Level, Role, State
from certtrack.workflow import effects, guards
from certtrack.workflow.types import AUDIENCE_NAMES, NOTICE_PAGES, SYSTEM, Param, Thing, Transition

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
        display_name=_l("Submit"),
        audience=("coordinators",),
        notice_subject=_l("%(cluster)s submitted a %(level)s application"),
    ),
    _t(
        "return_for_changes",
        {S.SUBMITTED},
        S.DRAFT,
        {COORDINATOR, ADMIN},
        _l("Send the application back to the cluster for changes."),
        params=(REASON,),
        display_name=_l("Return for changes"),
        audience=("managers",),
        notice_subject=_l("The %(level)s application of %(cluster)s was returned for changes"),
        style="danger",
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
        display_name=_l("Assign a consultant"),
        audience=("consultant", "managers"),
        notice_subject=_l("%(consultant)s will assess %(cluster)s"),
        page="applications.assign",
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
        display_name=_l("Reassign the consultant"),
        audience=("consultant", "managers"),
        notice_subject=_l("%(consultant)s will assess %(cluster)s"),
        page="applications.assign",
    ),
    _t(
        "deliver_report",
        {S.CONSULTANT_REVIEW},
        None,
        {CONSULTANT},
        _l("Deliver the report and its recommendations."),
        guards=(guards.report_not_delivered, guards.report_complete),
        effects=(effects.mark_report_delivered,),
        display_name=_l("Deliver the report"),
        page="reviews.edit",
    ),
    _t(
        "issue_label",
        {S.CONSULTANT_REVIEW},
        S.LABEL_ISSUED,
        {COORDINATOR, ADMIN},
        _l("Issue the label."),
        guards=(guards.report_delivered, guards.baseline_met, guards.gold_passes),
        effects=(effects.issue_label,),
        display_name=_l("Issue the label"),
        audience=("managers",),
        notice_subject=_l("%(cluster)s holds the %(level)s label"),
        notice_page="report",  # the managers read their individual report
        confirm=_l(
            "The cluster will be told that it holds the label, and the label enters the "
            "public register. This cannot be undone."
        ),
    ),
    _t(
        "reject",
        {S.CONSULTANT_REVIEW},
        S.REJECTED,
        {CONSULTANT, COORDINATOR, ADMIN},
        _l("Refuse the label."),
        params=(REASON,),
        display_name=_l("Reject"),
        audience=("managers",),
        notice_subject=_l("The %(level)s application of %(cluster)s was not accepted"),
        style="danger",
        confirm=_l(
            "The cluster will be told that the label is refused, with your reason. "
            "This cannot be undone."
        ),
    ),
    _t(
        "withdraw",
        {S.DRAFT, S.SUBMITTED, S.CONSULTANT_REVIEW},
        S.WITHDRAWN,
        {MANAGER, COORDINATOR, ADMIN},
        _l("Stop this application."),
        display_name=_l("Withdraw"),
        style="outline-secondary",
        confirm=_l(
            "The application stops for good; to go on, the cluster starts a new one. "
            "This cannot be undone."
        ),
    ),
    _t(
        "start_follow_up",
        {S.LABEL_ISSUED},
        S.FOLLOW_UP,
        {MANAGER},
        _l("Start working on the recommendations."),
        display_name=_l("Start the follow-up"),
    ),
    _t(
        "open_renewal",
        {S.FOLLOW_UP},
        S.RENEWAL_DUE,
        {SYSTEM},
        _l("The label enters its renewal window."),
        guards=(guards.renewal_window_open,),
        display_name=_l("Renewal window opened"),
    ),
    _t(
        "lapse",
        {S.FOLLOW_UP, S.RENEWAL_DUE},
        S.LAPSED,
        {SYSTEM},
        _l("The label expired; renewal remains possible for the grace period."),
        guards=(guards.label_expired,),
        effects=(effects.set_label_status(LabelStatus.LAPSED),),
        display_name=_l("Label lapsed"),
    ),
    _t(
        "renew",
        {S.RENEWAL_DUE, S.LAPSED},
        S.RENEWED,
        {MANAGER},
        _l("Renew the label: opens a new application for the same level."),
        guards=(guards.within_grace,),
        effects=(effects.open_next_application(effects.same_level),),
        display_name=_l("Renew"),
    ),
    _t(
        "upgrade",
        {S.FOLLOW_UP, S.RENEWAL_DUE},
        S.UPGRADED,
        {MANAGER},
        _l("Go for the next level: opens a new application for it."),
        guards=(guards.next_level_reachable,),
        effects=(effects.open_next_application(effects.next_level),),
        display_name=_l("Go for the next level"),
    ),
    _t(
        "expire",
        {S.LAPSED},
        S.EXPIRED,
        {SYSTEM},
        _l("The grace period ended; the label is lost."),
        guards=(guards.grace_over,),
        effects=(effects.set_label_status(LabelStatus.EXPIRED),),
        display_name=_l("Label expired"),
    ),
)

TRANSITIONS_BY_EVENT: dict[str, Transition] = {t.event: t for t in TRANSITIONS}
INITIAL_STATE = State.DRAFT
# The history's first entry is no transition.
CREATE_EVENT_NAME = _l("Application started")

# Who may edit what, state by state. The scope (their own cluster, their agency's
# clusters, the applications assigned to them) comes on top: services/access.py.
Permissions = Mapping[Thing, frozenset[str]]
PARTICIPANTS = {MANAGER, COORDINATOR, CONSULTANT, ADMIN}
KEEPERS = {MANAGER, COORDINATOR, ADMIN}  # keep a cluster's profile


def make_permissions(**edit: set[str]) -> Permissions:
    """One state's rules: thing -> the roles that may edit it (none: nobody)."""
    return {Thing(thing): frozenset(roles) for thing, roles in edit.items()}


# Internal notes: the agency's side of the conversation. Whoever may write one in some
# state reads them in every state (permissions.reads_internal_notes).
AGENCY_SIDE = {COORDINATOR, CONSULTANT, ADMIN}
# Documents are shared and the conversation held while the application is open; a
# closed application keeps its documents and stays readable, but takes nothing new.
_OPEN: dict[str, set[str]] = {
    "profile": KEEPERS,
    "documents": PARTICIPANTS,
    "thread": PARTICIPANTS,
    "internal_notes": AGENCY_SIDE,
}
_CLOSED: dict[str, set[str]] = {
    "profile": KEEPERS,
    "documents": set(),
    "thread": set(),
    "internal_notes": set(),
}
_NO_WORK: dict[str, set[str]] = {
    "benchmarking": set(),
    "improvement_areas": set(),
    "recommendations": set(),
    "visit": set(),
}
PERMISSIONS: dict[State, Permissions] = {
    S.DRAFT: make_permissions(
        **_OPEN,
        benchmarking=set(),
        improvement_areas={MANAGER},
        recommendations=set(),
        visit=set(),
    ),
    # Gold's visit is planned by the agency, and by the consultant once assigned.
    S.SUBMITTED: make_permissions(
        **_OPEN,
        benchmarking=set(),
        improvement_areas={MANAGER},
        recommendations=set(),
        visit={COORDINATOR, ADMIN},
    ),
    # The consultant revises Silver's improvement areas as part of the review.
    S.CONSULTANT_REVIEW: make_permissions(
        **_OPEN,
        benchmarking={CONSULTANT},
        improvement_areas=set(),
        recommendations=set(),
        visit={COORDINATOR, CONSULTANT, ADMIN},
    ),
    S.LABEL_ISSUED: make_permissions(**_OPEN, **_NO_WORK),
    S.FOLLOW_UP: make_permissions(
        **_OPEN, benchmarking=set(), improvement_areas=set(), recommendations={MANAGER}, visit=set()
    ),
    S.RENEWAL_DUE: make_permissions(
        **_OPEN, benchmarking=set(), improvement_areas=set(), recommendations={MANAGER}, visit=set()
    ),
    S.LAPSED: make_permissions(**_OPEN, **_NO_WORK),
    S.RENEWED: make_permissions(**_CLOSED, **_NO_WORK),
    S.UPGRADED: make_permissions(**_CLOSED, **_NO_WORK),
    S.EXPIRED: make_permissions(**_CLOSED, **_NO_WORK),
    S.REJECTED: make_permissions(**_CLOSED, **_NO_WORK),
    S.WITHDRAWN: make_permissions(**_CLOSED, **_NO_WORK),
}


@dataclass(frozen=True)
class ThingFacts:
    """What a refusal to edit a thing says: to the wrong role (`who`, may name the
    cluster as %(name)s) and in the wrong state (`when`, may name it as %(state)s)."""

    who: Any
    when: Any
    # A check beyond the state: the reason it is locked, or None.
    lock: Callable[[Application], Any] | None = None


def _review_closed(application: Application) -> Any:
    return (
        _l("The report was delivered; the review is closed.")
        if application.report_delivered
        else None
    )


def _no_visit(application: Application) -> Any:
    """Only a Gold assessment has an on-site visit, and it is over with the report."""
    if application.level != Level.GOLD:
        return _l("Only a Gold assessment has an on-site visit.")
    return _review_closed(application)


THINGS: dict[Thing, ThingFacts] = {
    Thing.PROFILE: ThingFacts(
        _l("You may not edit %(name)s."),
        _l("The profile cannot be changed while the application is %(state)s."),
    ),
    Thing.BENCHMARKING: ThingFacts(
        _l("Only the consultant assigned to this application records its review."),
        _l("The review can be recorded during the consultant review only."),
        lock=_review_closed,
    ),
    Thing.IMPROVEMENT_AREAS: ThingFacts(
        _l("Only the cluster's manager names its improvement areas."),
        _l("Improvement areas can be changed before the review only."),
    ),
    Thing.RECOMMENDATIONS: ThingFacts(
        _l("Only the cluster's manager follows up its recommendations."),
        _l("Recommendations are followed up once the follow-up has started."),
    ),
    Thing.DOCUMENTS: ThingFacts(
        _l("Only the people working on this application share its documents."),
        _l("Documents are shared while the application is open."),
    ),
    Thing.THREAD: ThingFacts(
        _l("Only the people working on this application write in its thread."),
        _l("The thread closes with the application."),
    ),
    Thing.VISIT: ThingFacts(
        _l("Only the agency and the assigned consultant plan the assessment visit."),
        _l("The visit is planned while the application is submitted or under review."),
        lock=_no_visit,
    ),
    Thing.INTERNAL_NOTES: ThingFacts(
        _l("Only the agency and the assigned consultant write internal notes."),
        _l("The thread closes with the application."),
    ),
}

# The colour of each state's badge (Bootstrap).
TONES: dict[State, str] = {
    S.DRAFT: "light text-dark border",
    S.SUBMITTED: "info text-dark",
    S.CONSULTANT_REVIEW: "primary",
    S.LABEL_ISSUED: "success",
    S.FOLLOW_UP: "success",
    S.RENEWAL_DUE: "warning text-dark",
    S.LAPSED: "danger",
    S.RENEWED: "secondary",
    S.UPGRADED: "secondary",
    S.EXPIRED: "dark",
    S.REJECTED: "dark",
    S.WITHDRAWN: "secondary",
}


def validate_definition(
    transitions: Sequence[Transition] = TRANSITIONS,
    permissions: Mapping[State, Permissions] = PERMISSIONS,
) -> list[str]:
    """Problems in a workflow definition; an empty list means it is sound."""
    problems = _event_facts_problems(transitions) + _permission_problems(permissions)
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


def _event_facts_problems(transitions: Sequence[Transition]) -> list[str]:
    """Each event carries what people read about it: its name, and for a notice its
    audience and subject together."""
    problems = []
    for t in transitions:
        if not str(t.display_name):
            problems.append(f"{t.event} has no display name")
        if t.event in {thing.value for thing in Thing}:
            problems.append(f"event {t.event} has the name of an editable thing")
        if bool(t.audience) != bool(t.notice_subject):
            problems.append(f"{t.event} needs both a notice audience and a subject, or neither")
        problems += [
            f"{t.event} notifies unknown audience {a}"
            for a in t.audience
            if a not in AUDIENCE_NAMES
        ]
        if t.notice_page is not None and (t.notice_page not in NOTICE_PAGES or not t.audience):
            problems.append(f"{t.event} links its notice to an unknown page or has no notice")
    return problems


def _permission_problems(permissions: Mapping[State, Permissions]) -> list[str]:
    """Every thing has a rule (maybe: nobody) in every state, naming known roles."""
    problems = [f"state {s} has no edit rules" for s in State if s not in permissions]
    for state, rules in permissions.items():
        problems += [f"state {state}: no rule for {thing}" for thing in Thing if thing not in rules]
        problems += [
            f"state {state}: {thing} names unknown role {role}"
            for thing, roles in rules.items()
            for role in sorted(roles - {r.value for r in Role})
        ]
        if state in CLOSED_STATES:
            problems += [
                f"state {state}: {thing} is editable in a closed state"
                for thing, roles in rules.items()
                if roles and thing != Thing.PROFILE
            ]
    problems += [f"{thing} has no refusal messages" for thing in Thing if thing not in THINGS]
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
