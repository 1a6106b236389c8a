"""The coordinator's weekly digest: one per coordinator and ISO week, its content
gathered at send time (certtrack.services.digest)."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, select

from certtrack.models import OutboxMessage, Role, User
from certtrack.services import digest
from certtrack.services.content import Content
from certtrack.services.reminder_kinds.kind import (
    Audience,
    Candidates,
    Columns,
    Notice,
    ReminderKind,
    Subject,
)
from certtrack.services.sql import Day, joined
from certtrack.workflow.policy import Policy


def _coordinators(day: Day, policy: Policy) -> Candidates:
    return select(User.id.label("subject")).where(
        User.role == Role.COORDINATOR, User.active.is_(True)
    )


def _iso_week(today: date) -> str:
    year, week, _day = today.isocalendar()
    return f":{year}-W{week:02d}"


def _digest_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    return Notice(
        stem=joined("coordinator_digest:", row.subject, day.on(_iso_week, String())),
        link=joined("/dashboard"),
    )


def _digest_content(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    summary = digest.for_coordinator(message.recipient, today, policy)
    if summary.empty:
        return None  # nothing needs attention: no digest at all
    return Content(
        subject=_("certtrack weekly: %(n)s items need attention", n=summary.count),
        paragraphs=[_("This week in your clusters:")],
        items=summary.lines(),
        action=_("Open the dashboard"),
    )


COORDINATOR_DIGEST = ReminderKind(
    name="coordinator_digest",
    title=_l("Weekly digest"),
    audience=Audience.SUBJECT,
    subject=Subject(OutboxMessage.recipient_id, User.id),
    condition=_coordinators,
    notice=_digest_notice,
    compose=_digest_content,
    opt_out="wants_digest",
)
