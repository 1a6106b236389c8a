"""The daily pass: fire the day's time events, then decide which reminders are due and
write them to the outbox. Each kind of reminder (services.reminder_kinds) selects its
candidates with its own condition in one query, and the keys already written in one
more, so only new messages are inserted: a fixed number of queries whatever the number
of labels.

Late or repeated passes are harmless: keys make every message unique, and for the
offsets before a date only the latest one due is written (a pass that was down for a
week sends the 30-day notice, not the 90-day and the 30-day together)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, Role, User
from certtrack.models.base import utcnow
from certtrack.services import outbox, sessions
from certtrack.services.outbox import Draft
from certtrack.services.reminder_kinds import KINDS, Audience, ReminderKind
from certtrack.services.time_events import run_time_events
from certtrack.services.transaction import committed
from certtrack.workflow.policy import Policy, load_policy


@dataclass(frozen=True)
class PassResult:
    events: int
    written: int


def run_daily_pass(today: date, now: datetime | None = None) -> PassResult:
    """Everything the clock decides for `today` (and forgetting old sign-in sessions)."""
    policy = load_policy()
    events = run_time_events(today, now=now, policy=policy)
    with committed():
        written = outbox.write(decide(today, policy), now)
        sessions.forget_old(now or utcnow())
    return PassResult(events=len(events), written=written)


def decide(today: date, policy: Policy) -> list[Draft]:
    """The reminders due on `today` that are not written yet, of every kind."""
    people = People.load()
    return [draft for kind in KINDS for draft in _due(kind, today, policy, people)]


# The user's id, the user when loaded (consultants are not), and whether in copy.
Recipient = tuple[int, User | None, bool]


@dataclass
class People:
    """Who receives what: active managers by cluster, coordinators by agency. Two
    queries per pass."""

    managers: dict[int, list[User]]
    coordinators: dict[int, list[User]]
    by_id: dict[int, User]

    @classmethod
    def load(cls) -> "People":
        managers: dict[int, list[User]] = defaultdict(list)
        coordinators: dict[int, list[User]] = defaultdict(list)
        by_id: dict[int, User] = {}
        active = select(User).where(User.active.is_(True))
        for user in db.session.scalars(active.where(User.role == Role.MANAGER)):
            managers[user.cluster_id or 0].append(user)
            by_id[user.id] = user
        for user in db.session.scalars(active.where(User.role == Role.COORDINATOR)):
            coordinators[user.agency_id or 0].append(user)
            by_id[user.id] = user
        return cls(managers, coordinators, by_id)

    def audience(self, audience: Audience, row: Row[Any]) -> list[Recipient]:
        """Recipients of a message about `row`."""
        if audience is Audience.SUBJECT:
            user = self.by_id.get(row.subject)
            return [(user.id, user, False)] if user else []
        if audience is Audience.REVIEW:
            return [(row.consultant_id, None, False)] + [
                (user.id, user, False) for user in self.coordinators[row.agency_id]
            ]
        managers: list[Recipient] = [(u.id, u, False) for u in self.managers[row.cluster_id]]
        if audience is Audience.CLUSTER:
            return managers + [(user.id, user, True) for user in self.coordinators[row.agency_id]]
        return managers


def _due(kind: ReminderKind, today: date, policy: Policy, people: People) -> list[Draft]:
    """The kind's new drafts for `today`: its candidates (one query), less what is
    written already or, for kinds sent at most `every` so often, what was sent lately
    (one query)."""
    candidates = kind.condition(today, policy)
    subjects = candidates.with_only_columns(kind.subject.column)
    drafts = []
    for row in db.session.execute(candidates):
        notice = kind.notice(row, today, policy)
        if notice is None:
            continue
        for user_id, user, copy in people.audience(kind.audience, row):
            if kind.opt_out and user is not None and not getattr(user, kind.opt_out):
                continue
            context = (
                {"copy": copy, **notice.context}
                if kind.audience is Audience.CLUSTER
                else notice.context
            )
            key = notice.stem if kind.audience is Audience.SUBJECT else f"{notice.stem}:{user_id}"
            drafts.append(
                Draft(
                    key=key,
                    kind=kind.name,
                    recipient_id=user_id,
                    link=notice.link,
                    context=context,
                    **notice.about,
                )
            )
    if kind.every is not None:
        last: dict[int, datetime] = dict(
            db.session.execute(
                select(kind.subject.outbox, func.max(OutboxMessage.created_at))
                .where(OutboxMessage.kind == kind.name, kind.subject.outbox.in_(subjects))
                .group_by(kind.subject.outbox)
            ).all()
        )
        quiet_since = today - kind.every
        return [
            draft
            for draft in drafts
            if (sent := last.get(_subject_of(kind, draft))) is None or sent.date() <= quiet_since
        ]
    existing = set(
        db.session.scalars(
            select(OutboxMessage.key).where(
                OutboxMessage.kind == kind.name, kind.subject.outbox.in_(subjects)
            )
        )
    )
    return [draft for draft in drafts if draft.key not in existing]


def _subject_of(kind: ReminderKind, draft: Draft) -> Any:
    return getattr(draft, kind.subject.outbox.key)
