"""The workflow's time-based events (open_renewal, lapse, expire), fired for a given day."""

from datetime import date, datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, Label, State
from certtrack.services.labels import refresh_label_statuses
from certtrack.services.transaction import committed
from certtrack.workflow import engine
from certtrack.workflow.dates import grace_cutoff
from certtrack.workflow.errors import Conflict, NotAllowedInState
from certtrack.workflow.policy import Policy, load_policy


def due_queries(today: date, policy: Policy) -> list[tuple[str, Select[Application]]]:
    """For each time event, the applications it is due for today. Lapse runs first, so a
    pass that was down for weeks moves follow_up straight to lapsed, then to expired."""
    with_label = select(Application).join(Label, Label.application_id == Application.id)
    window_end = today + timedelta(days=policy.renewal_window_days)
    return [
        (
            "lapse",
            with_label.where(
                Application.state.in_((State.FOLLOW_UP, State.RENEWAL_DUE)),
                Label.valid_until < today,
            ),
        ),
        (
            "expire",
            with_label.where(
                Application.state == State.LAPSED,
                Label.valid_until < grace_cutoff(today, policy.grace_months),
            ),
        ),
        (
            "open_renewal",
            with_label.where(Application.state == State.FOLLOW_UP, Label.valid_until <= window_end),
        ),
    ]


def run_time_events(
    today: date, *, now: datetime | None = None, policy: Policy | None = None
) -> list[AuditEntry]:
    """Fire every time event due on `today`, then bring label statuses up to date.
    Each application moves in its own transaction; one that another process moved
    first is skipped, so two concurrent passes never fire an event twice."""
    policy = policy or load_policy()
    entries = []
    for event, query in due_queries(today, policy):
        query = query.options(contains_eager(Application.label)).order_by(Application.id)
        for application in db.session.scalars(query).unique().all():
            try:
                with committed():
                    entry = engine.apply(
                        application, event, None, today=today, now=now, policy=policy
                    )
            except (Conflict, NotAllowedInState):
                continue  # another pass moved it first
            entries.append(entry)
    refresh_label_statuses(today, policy)
    return entries
