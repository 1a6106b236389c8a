"""What a reminder kind is. Each kind is one definition: who hears of it, what it is
about, and the one SQL condition under which its reason holds on a day. The daily pass
selects its candidates with that condition; the dispatcher runs the same condition,
restricted to the message's subject, just before sending, so the two cannot disagree.

Both the condition and the notice are SQL: the pass turns them into one
INSERT ... SELECT per kind, so no candidate row passes through Python. They take the
day as a services.sql.Day: the pass builds each kind's statement once and runs it on
every day with that day's parameters."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from typing import Any

from flask_babel.speaklater import LazyString
from sqlalchemy import ColumnElement, Select, case, false, null, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnCollection

from certtrack.extensions import db
from certtrack.models import OutboxMessage
from certtrack.services.content import Content
from certtrack.services.sql import Day
from certtrack.workflow.policy import Policy

# A condition's rows: the subject's id first, labelled "subject", then any columns.
Candidates = Select[*tuple[Any, ...]]
# A condition's columns by their names (row.subject, row.cluster_id, ...), in SQL.
Columns = ColumnCollection[str, ColumnElement[Any]]


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
    """A kind's message about each candidate row, before it is addressed to each
    recipient: SQL expressions over the row's columns."""

    stem: ColumnElement[str]  # the unique key without the recipient
    link: ColumnElement[str]
    context: dict[str, Any] = field(default_factory=dict)  # name: SQL value or constant
    # What it is about, as outbox columns: application_id, label_id, recommendation_id.
    about: dict[str, ColumnElement[Any]] = field(default_factory=dict)
    # Whether a message is due today for the row (an offset reached); None: always.
    due: ColumnElement[bool] | None = None


# A notice whose day passed longer ago than this is not sent any more: the next notice,
# or the page, says it. A pass started on an existing scheme sends no months-old
# notices, and a normal day re-checks only the notices that fell due lately instead of
# every one that ever did. (A pass down for a week still sends what it missed.)
LATE = timedelta(days=14)


def latest_due(
    offsets: tuple[int, ...], reached: Callable[[int], ColumnElement[bool]]
) -> ColumnElement[Any]:
    """The smallest offset already reached (`reached(offset)`: "at most `offset` days
    left"), NULL when none is: the one notice due today. A late pass sends the 30-day
    notice, not the 90-day and the 30-day together."""
    if not offsets:
        return null()
    return case(*[(reached(offset), offset) for offset in sorted(offsets)], else_=null())


# eq=False: a kind is its definition, hashed by identity (the pass keeps each kind's
# statement, services.reminders.insertion).
@dataclass(frozen=True, eq=False)
class ReminderKind:
    """One kind of reminder, the only place its rule is written."""

    name: str
    title: LazyString  # how users see the kind listed
    audience: Audience
    subject: Subject
    # Rows (subject first, labelled "subject", then what the audience needs) for which
    # the reason holds on the day.
    condition: Callable[[Day, Policy], Candidates]
    # The message about a candidate row (its columns by name), and whether one is due
    # on the day (an offset reached). Decides only which notice, never whether it holds.
    notice: Callable[[Columns, Day, Policy], Notice]
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
        restricted = self.condition(Day(today), policy).where(*self.subject.of(message))
        return bool(db.session.scalar(select(restricted.exists())))
