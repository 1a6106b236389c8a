"""The workflow's time-based events (open_renewal, lapse, expire), fired for a given day
in set operations: each moves every application it is due for with one UPDATE and writes
their history rows from the same selection, whatever the number of labels.

The definition still decides: the event's source states and target come from its
Transition; its guards' dates are the SQL conditions below (label_expired, grace_over,
renewal_window_open); its effects (the label's status) are what
refresh_label_statuses does for every label at the end. None of these events has an
audience, so no notice is due (the engine's transition_applied is not sent)."""

from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Integer, Table, insert, literal, null, select, update

from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, Label, State
from certtrack.models.base import utcnow
from certtrack.services.labels import refresh_label_statuses
from certtrack.services.sql import json_of
from certtrack.services.transaction import committed
from certtrack.workflow.dates import grace_cutoff
from certtrack.workflow.definition import TRANSITIONS_BY_EVENT
from certtrack.workflow.policy import Policy, load_policy

APPLICATION = cast(Table, Application.__table__)
HISTORY = cast(Table, AuditEntry.__table__)


def due_conditions(today: date, policy: Policy) -> list[tuple[str, ColumnElement[bool]]]:
    """For each time event, the condition on an application's label under which it is
    due today (the event's guard in SQL). Lapse runs first, so a pass that was down for
    weeks moves follow_up straight to lapsed, then to expired."""
    window_end = today + timedelta(days=policy.renewal_window_days)
    return [
        ("lapse", Label.valid_until < today),
        ("expire", Label.valid_until < grace_cutoff(today, policy.grace_months)),
        ("open_renewal", Label.valid_until <= window_end),
    ]


def fire_time_events(
    today: date, *, now: datetime | None = None, policy: Policy | None = None
) -> list[int]:
    """Fire every time event due on `today`, then bring label statuses up to date.
    Returns the ids of the history entries written, one per event fired. Each event and
    source state moves in its own transaction; an application that another process moved
    first no longer matches and is skipped, so two concurrent passes never fire an event
    twice."""
    policy = policy or load_policy()
    now = now or utcnow()
    written: list[int] = []
    for event, on_label in due_conditions(today, policy):
        transition = TRANSITIONS_BY_EVENT[event]
        assert not transition.audience  # notices are the engine's; see the docstring
        # One statement per source state, so that the history row can name it.
        for source in sorted(transition.sources):
            due = (APPLICATION.c.state == source) & Application.label.has(on_label)
            with committed():
                written += _move(event, due, source, transition.target_from(source), now)
    refresh_label_statuses(today, policy)
    return written


def run_time_events(
    today: date, *, now: datetime | None = None, policy: Policy | None = None
) -> list[AuditEntry]:
    """fire_time_events, returning the history entries written (for callers that look
    at them; the daily pass only counts)."""
    ids = fire_time_events(today, now=now, policy=policy)
    if not ids:
        return []
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.id.in_(ids)).order_by(AuditEntry.id))
    )


def _history(event: str, source: State, target: State, now: datetime) -> list[Any]:
    """The history row's values besides the application: as the engine writes them for
    the system actor."""
    return [
        literal(event),
        literal(source.value),
        literal(target.value),
        null().cast(Integer),
        literal(now),
        null(),
        json_of({}),
    ]


HISTORY_COLUMNS = ["application_id", "event", "from_state", "to_state", "actor_id", "at"]
HISTORY_COLUMNS += ["comment", "data"]


def _move(
    event: str, due: ColumnElement[bool], source: State, target: State, now: datetime
) -> list[int]:
    """Move the applications matching `due` to `target` (bumping their version, as every
    step does) and write their history rows; the ids of those rows."""
    moving = (
        update(APPLICATION)
        .where(due)
        .values(state=target.value, version=APPLICATION.c.version + 1, state_entered_at=now)
    )
    values = _history(event, source, target, now)
    if db.session.get_bind().dialect.name == "postgresql":
        # One statement: the history rows are those of the rows the UPDATE moved. A
        # concurrent pass waits on their row locks, then finds them moved and skips them.
        moved = moving.returning(APPLICATION.c.id).cte("moved")
        statement = (
            insert(HISTORY)
            .from_select(HISTORY_COLUMNS, select(moved.c.id, *values))
            .add_cte(moved)
            .returning(HISTORY.c.id)
        )
        return list(db.session.execute(statement).scalars())
    # SQLite has no UPDATE in a WITH clause; its one writer at a time keeps the two
    # statements on the same rows (the INSERT takes the write lock for the transaction).
    statement = (
        insert(HISTORY)
        .from_select(HISTORY_COLUMNS, select(APPLICATION.c.id, *values).where(due))
        .returning(HISTORY.c.id)
    )
    ids = list(db.session.execute(statement).scalars())
    db.session.execute(moving)
    return ids
