"""Finding a label by its public number, revoking one, and keeping label statuses in
step with the calendar."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import LIVE_LABEL_STATUSES, AuditEntry, Label, LabelStatus, User
from certtrack.services import peer_snapshot
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow.dates import grace_cutoff
from certtrack.workflow.engine import bump_version
from certtrack.workflow.errors import InvalidParams, NotAllowedInState, NotFound
from certtrack.workflow.policy import Policy


def by_number(number: str) -> Label:
    """The label with this public number; NotFound (404) if there is none."""
    label = db.session.scalar(select(Label).where(Label.number == number))
    if label is None:
        raise NotFound(_("No label has the number %(number)s.", number=number))
    return label


def current_successor(label: Label) -> Label | None:
    """For a superseded label, the label of its cluster that holds now: the end of the
    chain of labels that superseded it. None for a label not superseded."""
    seen = {label.id}
    current = label
    while current.status == LabelStatus.SUPERSEDED and current.superseded_by is not None:
        current = current.superseded_by
        if current.id in seen:  # a broken chain must not loop forever
            break
        seen.add(current.id)
    return current if current is not label else None


REASON_LIMIT = 300


def revoke(label: Label, actor: User, reason: str, today: date, now: datetime) -> Label:
    """Revoke a label for a reason (one line of plain text, required), with an entry in
    its application's history. Only the label changes: the application keeps its state
    and no workflow event fires. A label already revoked is refused."""
    if label.status == LabelStatus.REVOKED:
        raise NotAllowedInState(_("Label %(number)s is already revoked.", number=label.number))
    reason = reason.strip()
    problem = text_problem(reason)
    if not reason:
        problem = _("This field is required.")
    elif len(reason) > REASON_LIMIT:
        problem = _("At most %(n)s characters.", n=REASON_LIMIT)
    if problem:
        raise InvalidParams(_("The label was not revoked."), {"reason": problem})
    with committed():
        previous = label.status
        label.status = LabelStatus.REVOKED
        label.revoked_on = today
        label.revocation_reason = reason
        application = label.application
        # A concurrent step on the application fails instead of missing the revocation.
        bump_version(application)
        db.session.add(
            AuditEntry(
                application=application,
                event="revoke_label",
                from_state=application.state,
                to_state=application.state,
                actor_id=actor.id,
                at=now,
                comment=reason,
                data={"label": label.number, "previous_status": previous.value},
            )
        )
        db.session.flush()
        peer_snapshot.refresh_excellence()
    return label


def refresh_label_statuses(today: date, policy: Policy) -> int:
    """Lapse labels past their end and expire those past their grace period, in two
    statements whatever the number of labels. This covers labels whose application has
    already closed (renewed or upgraded but the successor never got its label).
    Returns how many labels changed."""
    expiry_cutoff = grace_cutoff(today, policy.grace_months)
    with committed():
        expired = db.session.execute(
            update(Label)
            .where(
                Label.status.in_(LIVE_LABEL_STATUSES),
                Label.valid_until < expiry_cutoff,
            )
            .values(status=LabelStatus.EXPIRED)
        )
        lapsed = db.session.execute(
            update(Label)
            .where(Label.status == LabelStatus.VALID, Label.valid_until < today)
            .values(status=LabelStatus.LAPSED)
        )
        peer_snapshot.refresh_excellence()  # an expired label leaves the excellence group
    return int(expired.rowcount or 0) + int(lapsed.rowcount or 0)  # type: ignore[attr-defined]
