"""The one engine that applies a workflow event to an application."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from blinker import Namespace
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, User
from certtrack.models.base import MAX_INTEGER, utcnow
from certtrack.parsing import whole_number
from certtrack.text import text_problem
from certtrack.workflow import guards, permissions
from certtrack.workflow.definition import COMMENT, TRANSITIONS, TRANSITIONS_BY_EVENT
from certtrack.workflow.errors import Conflict, GuardFailed, InvalidParams
from certtrack.workflow.policy import Policy, load_policy
from certtrack.workflow.types import Context, Guard, Param, Refusal, Transition

MAX_TEXT = 4000

# Sent inside the transaction after every applied step, with the audit entry; listeners
# (notifications) add their rows to the same transaction.
signals = Namespace()
transition_applied = signals.signal("transition-applied")


def apply(
    application: Application,
    event: str,
    actor: User | None,
    *,
    today: date,
    now: datetime | None = None,
    policy: Policy | None = None,
    **params: Any,
) -> AuditEntry:
    """Fire `event` on `application` as `actor` (None = the system).

    Checks, in order: the event exists, the state allows it, the actor may fire it,
    the parameters are valid, every guard passes. Any refusal raises a WorkflowError
    before anything is written. Does not commit: the caller owns the transaction.
    """
    refused_now = permissions.refusal(actor, application, event)
    if refused_now:
        raise refused_now
    transition = TRANSITIONS_BY_EVENT[event]
    ctx = Context(
        application=application,
        actor=actor,
        today=today,
        now=now or utcnow(),
        policy=policy or load_policy(),
        params=parse_params(transition, params),
    )
    refused, _guard = first_refusal(transition, ctx)
    if refused:
        raise GuardFailed(refused.message, refused.fields)

    from_state = application.state
    application.state = transition.target_from(from_state)
    if application.state != from_state:
        application.state_entered_at = ctx.now
    # Every step bumps the version, even one that keeps the state: a concurrent writer fails.
    bump_version(application)
    for effect in transition.effects:
        effect(ctx)
    entry = AuditEntry(
        application=application,
        event=event,
        from_state=from_state,
        to_state=application.state,
        actor_id=actor.id if actor else None,
        at=ctx.now,
        comment=ctx.params.get("reason") or ctx.params.get(COMMENT.name),
        data=_jsonable({k: v for k, v in ctx.params.items() if k not in ("reason", COMMENT.name)}),
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except StaleDataError:
        raise Conflict(
            _("Someone else changed this application meanwhile; reload and try again.")
        ) from None
    transition_applied.send(application, entry=entry, context=ctx)
    return entry


def bump_version(application: Application) -> None:
    """Make the flush update `application` with a check of the version it was loaded at,
    so that of two writers acting on one application meanwhile, the later one fails with
    a StaleDataError (a Conflict) instead of both winning."""
    flag_modified(application, "state")


def allowed_transitions(application: Application, actor: User | None) -> list[Transition]:
    """The steps the actor may attempt now (state and role allow them; guards may still
    refuse)."""
    return [t for t in TRANSITIONS if permissions.allows(actor, application, t.event)]


def first_refusal(
    transition: Transition, ctx: Context, *, without_input: bool = False
) -> tuple[Refusal | None, Guard | None]:
    """The first of the step's guards that refuses, with its refusal; `without_input`
    skips the guards that judge the step's parameters (for a page not yet filled in)."""
    for guard in transition.guards:
        if without_input and guard in guards.JUDGE_INPUT:
            continue
        refused = guard(ctx)
        if refused:
            return refused, guard
    return None, None


@dataclass(frozen=True)
class Offer:
    """A step as a page offers it: `refusal` says why it cannot be taken yet (the
    button is shown disabled with it), None when the guards let it pass."""

    transition: Transition
    refusal: Refusal | None = None


def offered_steps(
    application: Application,
    actor: User | None,
    *,
    today: date,
    now: datetime | None = None,
    policy: Policy | None = None,
) -> list[Offer]:
    """The steps to offer the actor: those the state and role allow (allowed_transitions),
    each with the refusal of its guards as they stand; a step refused for good
    (guards.REFUSE_FOR_GOOD) is left out."""
    policy = policy or load_policy()
    offers = []
    for transition in allowed_transitions(application, actor):
        ctx = Context(application, actor, today, now or utcnow(), policy, {})
        refused, guard = first_refusal(transition, ctx, without_input=True)
        if guard not in guards.REFUSE_FOR_GOOD:
            offers.append(Offer(transition, refused))
    return offers


def parse_params(transition: Transition, raw: dict[str, Any]) -> dict[str, Any]:
    """Validate and coerce the parameters of a step. Raises InvalidParams naming each
    offending field."""
    declared = {p.name: p for p in (*transition.params, COMMENT)}
    errors = {name: _("Unknown parameter.") for name in raw if name not in declared}
    clean: dict[str, Any] = {}
    for param in declared.values():
        value = raw.get(param.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if param.required:
                errors[param.name] = _("This field is required.")
            continue
        try:
            clean[param.name] = _coerce(param, value)
        except ValueError as exc:
            errors[param.name] = str(exc)
            continue
        problem = param.check(clean[param.name]) if param.check else None
        if problem:
            errors[param.name] = problem
    if errors:
        detail = "; ".join(f"{name}: {message}" for name, message in sorted(errors.items()))
        raise InvalidParams(
            _(
                "Invalid parameters for %(event)s: %(detail)s",
                event=transition.event,
                detail=detail,
            ),
            errors,
        )
    return clean


def _coerce(param: Param, value: Any) -> Any:
    if param.kind is str:
        if not isinstance(value, str):
            raise ValueError(_("Must be text."))
        if len(value) > MAX_TEXT:
            raise ValueError(_("At most %(n)s characters.", n=MAX_TEXT))
        # Reasons and comments are free text: line breaks yes, other control characters no.
        if problem := text_problem(value, multiline=True):
            raise ValueError(problem)
        return value.strip()
    if param.kind is int:
        number = whole_number(value.strip() if isinstance(value, str) else value, 0, MAX_INTEGER)
        if number is None:
            raise ValueError(_("Must be a whole number."))
        return number
    if param.kind is date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(_("Must be a date (YYYY-MM-DD)."))
    raise TypeError(param.kind)


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()}
