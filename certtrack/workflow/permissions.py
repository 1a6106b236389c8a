"""The one answer to "may this actor do this to this application now, and if not, why":
for a workflow event or for editing a thing. The engine, the services, the views, the
templates and the API all ask here.

The rules come from the definition (who fires each event from which states; who edits
each thing in each state) and the scope from services/access.py (own cluster, own
agency, assigned consultant)."""

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, or_, select, true

from certtrack.models import (
    Agency,
    Application,
    AuditEntry,
    Cluster,
    ConversationMessage,
    Document,
    DocumentPurpose,
    Role,
    User,
)
from certtrack.services import access
from certtrack.workflow.definition import (
    INITIAL_STATE,
    PERMISSIONS,
    THINGS,
    TRANSITIONS_BY_EVENT,
)
from certtrack.workflow.errors import (
    ForbiddenForRole,
    InvalidParams,
    NotAllowedInState,
    NotFound,
    WorkflowError,
)
from certtrack.workflow.types import SYSTEM, Thing, Transition

THING_NAMES = frozenset(thing.value for thing in Thing)


def refusal(
    actor: User | None, subject: Application | Cluster, action: str
) -> WorkflowError | None:
    """Why `actor` may not do `action` (an event, or a Thing to edit) to `subject` now,
    as the error to raise (403 forbidden_for_role, 409 not_allowed_in_state; 422
    invalid_params for an unknown event), or None.

    An event is checked as the engine always did: the state, then the role, then the
    scope. A thing: whether the role edits it at all and the scope, then the state (so
    an outsider hears that it is not theirs, whatever the state). A cluster stands for
    its open application; a cluster with none counts as a fresh draft."""
    if action in THING_NAMES:
        return _edit_refusal(actor, subject, Thing(action))
    transition = TRANSITIONS_BY_EVENT.get(action)
    if transition is None:
        return InvalidParams(
            _("Unknown event %(event)s.", event=action), {"event": _("Unknown event.")}
        )
    if not isinstance(subject, Application):
        raise TypeError("events apply to applications")
    if subject.state not in transition.sources:
        return NotAllowedInState(
            _(
                "%(event)s is not possible while the application is %(state)s.",
                event=action,
                state=subject.state.value,
            )
        )
    refused = _role_refusal(transition, actor)
    if refused is None and actor is not None:
        refused = access.scope_refusal(actor, subject)
    return ForbiddenForRole(refused) if refused else None


def allows(actor: User | None, subject: Application | Cluster, action: str) -> bool:
    """Whether `actor` may do `action` to `subject` now (templates ask this)."""
    return refusal(actor, subject, action) is None


def report_refusal(actor: User | None, application: Application) -> WorkflowError | None:
    """Who reads the benchmarking report of `application`: those who see the application
    (its cluster's managers, its agency's coordinators, its assigned consultant, admins)
    once the report is delivered; before that only the consultant drafting it, as a
    preview. Others are refused (403); a report not delivered yet is not found (404)."""
    if actor is None or not actor.active:
        return ForbiddenForRole(_("You may not read this report."))
    scope = access.scope_refusal(actor, application)
    if scope:
        return ForbiddenForRole(scope)
    if application.report_delivered or allows(actor, application, Thing.BENCHMARKING):
        return None
    return NotFound(_("The report of this application is not delivered yet."))


def may_read_report(actor: User | None, application: Application) -> bool:
    """Whether `actor` may open the report of `application` (links to it ask this)."""
    return report_refusal(actor, application) is None


def _role_refusal(transition: Transition, actor: User | None) -> str | None:
    if actor is None:
        if SYSTEM in transition.roles:
            return None
        return _("%(event)s must be done by a person.", event=transition.event)
    if transition.is_system:
        return _("Only the daily pass fires %(event)s, when it falls due.", event=transition.event)
    if not actor.active:
        return _("This account is deactivated.")
    if actor.role.value not in transition.roles:
        roles = ", ".join(sorted(r for r in transition.roles if r != SYSTEM))
        return _(
            "%(event)s is done by: %(roles)s; you are a %(role)s.",
            event=transition.event,
            roles=roles,
            role=actor.role.value,
        )
    return None


def _edit_refusal(
    actor: User | None, subject: Application | Cluster, thing: Thing
) -> WorkflowError | None:
    facts = THINGS[thing]
    if isinstance(subject, Cluster):
        cluster = subject
        application = next((a for a in subject.applications if not a.is_closed), None)
    else:
        cluster, application = subject.cluster, subject
    if actor is not None and not actor.active:
        return ForbiddenForRole(_("This account is deactivated."))
    editors = {role for rules in PERMISSIONS.values() for role in rules[thing]}
    if actor is None or actor.role.value not in editors:  # the system edits nothing
        return ForbiddenForRole(str(facts.who) % {"name": cluster.name})
    scope = (
        access.cluster_scope_refusal(actor, cluster)
        if isinstance(subject, Cluster)
        else access.scope_refusal(actor, subject)
    )
    if scope:
        return ForbiddenForRole(scope)
    state = application.state if application is not None else INITIAL_STATE
    if actor.role.value not in PERMISSIONS[state][thing]:
        return NotAllowedInState(str(facts.when) % {"state": state.value})
    locked = facts.lock(application) if facts.lock and application is not None else None
    return NotAllowedInState(str(locked)) if locked else None


# The signed report and its annexes come from the consultant (an admin may stand in).
REPORT_PURPOSES = frozenset({DocumentPurpose.SIGNED_REPORT, DocumentPurpose.REPORT_ANNEX})
REPORT_ATTACHERS = frozenset({Role.CONSULTANT, Role.ADMIN})
# Besides the uploader, who may replace or delete someone else's document.
DOCUMENT_KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def upload_refusal(
    actor: User | None, application: Application, purpose: DocumentPurpose
) -> WorkflowError | None:
    """Why `actor` may not add a document for `purpose` to `application` now, or None:
    the documents rule of the state (PERMISSIONS), and the report's files are the
    consultant's."""
    refused = refusal(actor, application, Thing.DOCUMENTS)
    if refused is None and purpose in REPORT_PURPOSES:
        assert actor is not None
        if actor.role not in REPORT_ATTACHERS:
            return ForbiddenForRole(_("Only the consultant attaches the report and its annexes."))
    return refused


def document_refusal(actor: User | None, document: Document) -> WorkflowError | None:
    """Why `actor` may not replace or delete `document` now, or None: the documents rule
    of the state, then only its uploader, a coordinator of the agency or an admin; an
    earlier or deleted version stays as it is."""
    refused = refusal(actor, document.application, Thing.DOCUMENTS)
    if refused is not None:
        return refused
    assert actor is not None
    if actor.id != document.uploaded_by_id and actor.role not in DOCUMENT_KEEPERS:
        return ForbiddenForRole(
            _(
                "Only who uploaded it, a coordinator of the agency or an administrator"
                " may change this document."
            )
        )
    if not document.is_current:
        return NotAllowedInState(_("This version was replaced or deleted; it stays as it is."))
    return None


def reads_internal_notes(actor: User | None, application: Application) -> bool:
    """Whether `actor` reads the application's internal notes: the roles that write them
    in some state (the agency's side, never the cluster's managers) read them in every
    state, within their scope (their agency, the application assigned to them)."""
    return (
        actor is not None
        and _writes_notes(actor)
        and access.scope_refusal(actor, application) is None
    )


def _writes_notes(actor: User | None) -> bool:
    """Whether `actor`'s role writes internal notes in some state."""
    if actor is None or not actor.active:
        return False
    writers = {role for rules in PERMISSIONS.values() for role in rules[Thing.INTERNAL_NOTES]}
    return actor.role.value in writers


def reads_document(actor: User | None, document: Document) -> bool:
    """Whether `actor`, who sees the application, reads `document`: the files posted
    with an internal note follow the note (never the cluster's managers)."""
    message = document.message
    return (
        message is None or not message.internal or reads_internal_notes(actor, document.application)
    )


def documents_read(actor: User | None, application: Application) -> ColumnElement[bool]:
    """The same rule as SQL on Document, for the lists of `application`'s documents."""
    if reads_internal_notes(actor, application):
        return true()
    notes = select(ConversationMessage.id).where(ConversationMessage.internal.is_(True))
    return Document.message_id.is_(None) | Document.message_id.not_in(notes)


def reads_history_entry(actor: User | None, entry: AuditEntry) -> bool:
    """Whether `actor`, who sees the application, reads this step of its history: the
    steps of an internal note's files (their upload, download...) follow the note."""
    internal = bool((entry.data or {}).get("internal_note"))
    return not internal or reads_internal_notes(actor, entry.application)


def history_read(actor: User | None) -> ColumnElement[bool]:
    """reads_history_entry as SQL on AuditEntry, for a list of the history of
    applications the query already limits to those `actor` sees (their scope)."""
    if _writes_notes(actor):
        return true()
    internal = AuditEntry.data["internal_note"].as_boolean()
    return or_(internal.is_(None), internal.is_(false()))


# Who brings an agency's existing portfolio in: its coordinators, and admins for any.
PORTFOLIO_IMPORTERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def import_refusal(actor: User | None, agency: Agency | None) -> WorkflowError | None:
    """Why `actor` may not import clusters, managers and labels into `agency` (None:
    into any), or None: admins for any agency, coordinators for their own only."""
    if actor is None or not actor.active or actor.role not in PORTFOLIO_IMPORTERS:
        return ForbiddenForRole(_("Only coordinators and administrators import a portfolio."))
    if agency is not None and actor.role == Role.COORDINATOR and actor.agency_id != agency.id:
        return ForbiddenForRole(_("Coordinators import into their own agency only."))
    return None


# Who reads an agency's programme and sets its targets: its coordinators, admins for any
# agency (and the view across all agencies).
PROGRAMME_READERS = frozenset({Role.COORDINATOR, Role.ADMIN})
TARGET_SETTERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def programme_refusal(actor: User | None, agency: Agency | None) -> WorkflowError | None:
    """Why `actor` may not read the programme of `agency` (None: of every agency, which
    only admins read), or None."""
    return _agency_refusal(
        actor,
        agency,
        PROGRAMME_READERS,
        _("Only coordinators and administrators read a programme."),
        _("Coordinators read their own agency's programme only."),
    )


def target_refusal(actor: User | None, agency: Agency) -> WorkflowError | None:
    """Why `actor` may not create, change or delete the programme targets of `agency`,
    or None: its coordinators, and admins for any agency."""
    return _agency_refusal(
        actor,
        agency,
        TARGET_SETTERS,
        _("Only coordinators and administrators set programme targets."),
        _("Coordinators set their own agency's targets only."),
    )


def _agency_refusal(
    actor: User | None, agency: Agency | None, roles: frozenset[Role], who: str, whose: str
) -> WorkflowError | None:
    if actor is None or not actor.active or actor.role not in roles:
        return ForbiddenForRole(who)
    if actor.role == Role.COORDINATOR and (agency is None or actor.agency_id != agency.id):
        return ForbiddenForRole(whose)
    return None
