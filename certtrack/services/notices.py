"""Workflow notices: each step that hands work to someone queues a message for them, in
the step's own transaction (the engine's `transition_applied` signal)."""

from typing import Any

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, Role, User
from certtrack.services import outbox
from certtrack.services.outbox import Draft
from certtrack.workflow.definition import TRANSITIONS_BY_EVENT
from certtrack.workflow.engine import transition_applied


def recipients(application: Application, audience: tuple[str, ...]) -> list[User]:
    people: list[User] = []
    active = select(User).where(User.active.is_(True))
    if "coordinators" in audience:
        people += db.session.scalars(
            active.where(
                User.role == Role.COORDINATOR, User.agency_id == application.cluster.agency_id
            )
        )
    if "managers" in audience:
        people += db.session.scalars(
            active.where(User.role == Role.MANAGER, User.cluster_id == application.cluster_id)
        )
    if "consultant" in audience and application.consultant is not None:
        people.append(application.consultant)
    return people


@transition_applied.connect
def queue_notices(application: Application, entry: AuditEntry, **_extra: Any) -> None:
    # Who hears of a step, and whether it carries a reason: the definition says.
    transition = TRANSITIONS_BY_EVENT.get(entry.event)
    if transition is None or not transition.audience:
        return
    context = {
        "event": entry.event,
        "state": entry.to_state.value,
        "consultant": application.consultant_id,
        "reason": entry.comment if transition.takes_reason else None,
    }
    link = f"/applications/{application.id}"
    if transition.notice_page:
        link += f"/{transition.notice_page}"
    outbox.write(
        [
            Draft(
                key=f"workflow_notice:{entry.id}:{user.id}",
                kind="workflow_notice",
                recipient_id=user.id,
                link=link,
                context=context,
                application_id=application.id,
            )
            for user in recipients(application, transition.audience)
        ],
        now=entry.at,
    )
