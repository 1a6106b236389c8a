"""The daily pass: fire the day's time events, then decide which reminders are due and
write them to the outbox. Each kind of reminder (services.reminder_kinds) says in SQL
which rows are candidates (its condition) and what their message is (its notice); here
they become one INSERT ... SELECT per kind, addressed to the kind's audience and less
the keys already written, so no candidate row passes through Python: a fixed number
of statements and flat memory whatever the number of labels. Each statement is built
once and run every day with that day's parameters (services.sql.Day).

Late or repeated passes are harmless: keys make every message unique (NOT EXISTS skips
the known ones cheaply, ON CONFLICT DO NOTHING settles a race with another pass), and
for the offsets before a date only the latest one due is written (a pass that was down
for a week sends the 30-day notice, not the 90-day and the 30-day together)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    Table,
    bindparam,
    exists,
    false,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import aliased

from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, Label, OutboxMessage, OutboxStatus, Role
from certtrack.models import User as UserModel
from certtrack.models.base import utcnow
from certtrack.services import sessions
from certtrack.services.outbox import Draft, sending_domain
from certtrack.services.planner_statistics import analyse
from certtrack.services.reminder_kinds import KINDS, Audience, ReminderKind
from certtrack.services.reminder_kinds.kind import Columns
from certtrack.services.sql import Day, insert_or_skip, joined, json_of, random_hex
from certtrack.services.time_events import fire_time_events
from certtrack.services.transaction import committed
from certtrack.workflow.policy import Policy, load_policy

OUTBOX = cast(Table, OutboxMessage.__table__)
# The outbox columns a draft fills in; the rest are the same for every new row.
ABOUT = ("application_id", "label_id", "recommendation_id")
DRAFT_COLUMNS = ("key", "kind", "recipient_id", "link", "context", *ABOUT)
# After this many rows changed, the planner's statistics are refreshed (a catch-up can
# multiply the outbox; plans made for the old sizes would be slow the next day).
ANALYZE_AFTER = 1000
ANALYZED = (OutboxMessage, Application, Label, AuditEntry)
NOW = "now"  # the parameter of the rows' time, beside the day's (services.sql.Day)


@dataclass(frozen=True)
class PassResult:
    events: int
    written: int


def run_daily_pass(today: date, now: datetime | None = None) -> PassResult:
    """Everything the clock decides for `today` (and forgetting old sign-in sessions)."""
    policy = load_policy()
    now = now or utcnow()
    events = len(fire_time_events(today, now=now, policy=policy))
    with committed():
        written = sum(queue(kind, today, policy, now) for kind in KINDS)
        sessions.forget_old(now)
    if events + written >= ANALYZE_AFTER:
        analyse(*ANALYZED)
    return PassResult(events=events, written=written)


def queue(kind: ReminderKind, today: date, policy: Policy, now: datetime) -> int:
    """Write the kind's messages due on `today` in one INSERT ... SELECT, in the caller's
    transaction; returns how many rows were written."""
    built = insertion(kind, policy, db.session.get_bind().dialect.name, sending_domain())
    result = db.session.execute(built.statement, built.parameters(today, now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Insertion:
    """A kind's INSERT ... SELECT, built once: the day and the rows' time are its
    parameters."""

    statement: Any
    day: Day

    def parameters(self, today: date, now: datetime) -> dict[str, Any]:
        return {**self.day.values(today), NOW: now}


@lru_cache(maxsize=128)
def insertion(kind: ReminderKind, policy: Policy, dialect: str, domain: str) -> Insertion:
    """The INSERT ... SELECT that writes the kind's messages due on a day, built once per
    kind, policy, database and sending domain: building and cache-keying a statement
    takes longer than a normal day's run of it (and the statement never changes)."""
    day = Day()
    drafts = due(kind, day, policy).subquery("draft")
    now = bindparam(NOW, type_=DateTime())
    # WHERE true: without a WHERE, SQLite would read ON CONFLICT as a join's ON.
    rows = select(
        *(drafts.c[name] for name in DRAFT_COLUMNS),
        # Unique across installations, made once per row and kept across retries.
        joined("<", random_hex(), f"@{domain}>").label("message_id"),
        literal(OutboxStatus.PENDING.value).label("status"),
        literal(0).label("attempts"),
        now.label("next_attempt_at"),
        now.label("created_at"),
    ).where(true())
    # On PostgreSQL in key order: the selection, its NOT EXISTS included, is sorted
    # before the first row is written. Planned on a (nearly) empty outbox, the NOT EXISTS
    # scans the outbox per row; interleaved with the writes it would scan every row this
    # statement adds too, and a first catch-up of many labels took time growing with
    # their square. (SQLite looks every key up in its index.)
    if dialect == "postgresql":
        rows = rows.order_by(drafts.c.key)
    statement = (
        insert_or_skip(OUTBOX, dialect, ["key"])
        .from_select([column.name for column in rows.selected_columns], rows)
        # psycopg's count of an INSERT is otherwise lost with its cursor.
        .execution_options(preserve_rowcount=True)
    )
    return Insertion(statement, day)


def decide(today: date, policy: Policy) -> list[Draft]:
    """The reminders due on `today` that are not written yet, of every kind: what the
    pass would write, as drafts (to look at; the pass itself writes them in SQL)."""
    return [
        Draft(**row)
        for kind in KINDS
        for row in db.session.execute(due(kind, Day(today), policy)).mappings()
    ]


@dataclass(frozen=True)
class Recipients:
    """One group of a message's recipients: their user id, how a recipient user row is
    joined to the candidate (None: the id is the candidate's, no user row, no opt-out),
    and whether they receive a copy."""

    user_id: Any  # a column: the user's id, or the candidate's column naming them
    user: Any  # the aliased User the join condition names, or None
    joins: ColumnElement[bool] | None
    copy: bool = False


def audience(kind: ReminderKind, row: Columns) -> list[Recipients]:
    """Who receives the kind's message about a candidate row: active managers by
    cluster, active coordinators by agency, the review's consultant, or the subject."""

    def active(role: Role, on: Any, copy: bool = False) -> Recipients:
        user = aliased(UserModel)
        joins = (user.role == role) & user.active.is_(True) & on(user)
        return Recipients(user.id, user, joins, copy)

    if kind.audience is Audience.SUBJECT:
        user = aliased(UserModel)
        staff = user.role.in_((Role.MANAGER, Role.COORDINATOR))
        return [Recipients(user.id, user, (user.id == row.subject) & user.active.is_(True) & staff)]
    if kind.audience is Audience.REVIEW:
        coordinators = active(Role.COORDINATOR, lambda user: user.agency_id == row.agency_id)
        return [Recipients(row.consultant_id, None, None), coordinators]
    managers = active(Role.MANAGER, lambda user: user.cluster_id == row.cluster_id)
    if kind.audience is Audience.CLUSTER:
        in_copy = active(Role.COORDINATOR, lambda user: user.agency_id == row.agency_id, True)
        return [managers, in_copy]
    return [managers]


def due(kind: ReminderKind, day: Day, policy: Policy) -> Select[Any]:
    """The kind's messages due on the day and not written yet, one row per recipient
    with the outbox columns of DRAFT_COLUMNS."""
    drafts = addressed(kind, day, policy).subquery("message")
    return select(*(drafts.c[name] for name in DRAFT_COLUMNS)).where(
        ~exists().where(OutboxMessage.key == drafts.c.key)
    )


def addressed(kind: ReminderKind, day: Day, policy: Policy) -> Select[Any]:
    """The kind's messages due on the day, written already or not, one row per
    recipient with the outbox columns of DRAFT_COLUMNS."""
    candidate = kind.condition(day, policy).subquery("candidate")
    due_today = kind.notice(candidate.c, day, policy).due
    reached = select(candidate) if due_today is None else select(candidate).where(due_today)
    if (every := kind.every) is not None:
        # At most one message per subject this often: none written since the day after
        # today - every. Checked before the recipients are joined: a normal day skips
        # most subjects here.
        quiet_from = day.on(
            lambda today: datetime.combine(today - every + timedelta(days=1), time()), DateTime()
        )
        reached = reached.where(
            ~exists().where(
                OutboxMessage.kind == kind.name,
                kind.subject.outbox == candidate.c.subject,
                OutboxMessage.created_at >= quiet_from,
            )
        )
    # The rows whose notice is due, computed once and then addressed: inlined into each
    # recipient's branch, they would be computed again per branch, and PostgreSQL
    # misjudges the agency's coordinators (a handful of users, but every cluster's)
    # and loops over the labels once per cluster and coordinator.
    row = reached.cte("reached").prefix_with("MATERIALIZED", dialect="postgresql")
    notice = kind.notice(row.c, day, policy)
    branches = []
    for recipients in audience(kind, row.c):
        key = (
            notice.stem
            if kind.audience is Audience.SUBJECT
            else joined(notice.stem, ":", recipients.user_id)
        )
        context = (
            {"copy": true() if recipients.copy else false(), **notice.context}
            if kind.audience is Audience.CLUSTER
            else notice.context
        )
        branch = select(
            key.label("key"),
            literal(kind.name).label("kind"),
            recipients.user_id.label("recipient_id"),
            notice.link.label("link"),
            json_of(context).label("context"),
            # Typed NULLs: a union's column of NULLs alone would be text on PostgreSQL.
            *(notice.about.get(name, null().cast(Integer)).label(name) for name in ABOUT),
        ).select_from(row)
        if recipients.joins is not None:
            branch = branch.join(recipients.user, recipients.joins)
            if kind.opt_out:
                branch = branch.where(getattr(recipients.user, kind.opt_out).is_(True))
        branches.append(branch)
    drafts = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("message")
    # The WITH stays inside: an INSERT that starts with WITH has no row count in sqlite3.
    return select(*(drafts.c[name] for name in DRAFT_COLUMNS)).add_cte(row, nest_here=True)
