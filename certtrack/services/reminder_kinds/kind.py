"""What a reminder kind is. Each kind is one definition: who hears of it, what it is
about, and the one SQL condition under which its reason holds on a day. The daily pass
selects its candidates with that condition; the dispatcher runs the same condition,
restricted to the message's subject, just before sending, so the two cannot disagree."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from flask_babel.speaklater import LazyString
from sqlalchemy import ColumnElement, Row, Select, false, select
from sqlalchemy.orm import InstrumentedAttribute

from certtrack.extensions import db
from certtrack.models import OutboxMessage
from certtrack.services.content import Content
from certtrack.workflow.policy import Policy

# A condition's rows: the subject's id first, labelled "subject", then any columns.
Candidates = Select[*tuple[Any, ...]]


class Audience(Enum):
    """Who receives a kind's message about a subject (the candidate row names them)."""

    # The cluster's managers, and its agency's coordinators in copy (row: cluster_id, agency_id).
    CLUSTER = "cluster"
    # The cluster's managers only (row: cluster_id).
    MANAGERS = "managers"
    # The review's consultant and the agency's coordinators (row: consultant_id, agency_id).
    REVIEW = "review"
    # The user the message is about: the subject is the recipient.
    SUBJECT = "subject"


@dataclass(frozen=True)
class Subject:
    """What a message is about: the outbox column naming it, and the column of the
    candidate rows it is compared with. `occasion` narrows the re-check further to the
    occasion that made the message (say, one assignment of a review)."""

    outbox: InstrumentedAttribute[Any]
    column: InstrumentedAttribute[Any]
    occasion: Callable[[OutboxMessage], list[ColumnElement[bool]]] = lambda message: []

    def of(self, message: OutboxMessage) -> list[ColumnElement[bool]]:
        """The condition's restriction to the message's subject and occasion."""
        subject_id = getattr(message, self.outbox.key)
        if subject_id is None:
            return [false()]
        return [self.column == subject_id, *self.occasion(message)]


@dataclass(frozen=True)
class Notice:
    """A kind's message about one candidate, before it is addressed to each recipient."""

    stem: str  # the unique key without the recipient
    link: str
    context: dict[str, Any] = field(default_factory=dict)
    # What it is about, as outbox columns: application_id, label_id, recommendation_id.
    about: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderKind:
    """One kind of reminder, the only place its rule is written."""

    name: str
    title: LazyString  # how users see the kind listed
    audience: Audience
    subject: Subject
    # Rows (subject first, labelled "subject", then what the audience needs) for which
    # the reason holds on the day.
    condition: Callable[[date, Policy], Candidates]
    # The message about a candidate row that is due on the day, or None when none is
    # (an offset not reached yet). Decides only which notice, never whether it holds.
    notice: Callable[[Row[Any], date, Policy], Notice | None]
    # What the message says at send time, in the recipient's language; None when there
    # is nothing to say (an empty digest).
    compose: Callable[[OutboxMessage, date, Policy], Content | None]
    # The User attribute with which a recipient may turn the kind off.
    opt_out: str | None = None
    # At most one message per subject this often (the key then carries the day).
    every: timedelta | None = None

    def holds(self, message: OutboxMessage, today: date, policy: Policy) -> bool:
        """Whether the message's reason still holds: the selection's own condition, on
        the message's subject alone."""
        restricted = self.condition(today, policy).where(*self.subject.of(message))
        return bool(db.session.scalar(select(restricted.exists())))


def latest_due(offsets: tuple[int, ...], days_left: int) -> int | None:
    """The smallest offset not yet passed: the one notice that is due today (a late
    pass sends the 30-day notice, not the 90-day and the 30-day together)."""
    due = [offset for offset in offsets if offset >= days_left]
    return min(due) if due else None
