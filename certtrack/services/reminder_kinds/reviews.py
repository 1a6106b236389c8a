"""The consultant's report overdue: `review_due_days` after the local day of assignment
(certtrack.workflow.deadlines), to the consultant and the agency's coordinators."""

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, select

from certtrack import formats, vocabulary
from certtrack.extensions import db
from certtrack.models import Application, Cluster, OutboxMessage, Report, State
from certtrack.services.content import Content
from certtrack.services.reminder_kinds.kind import (
    Audience,
    Candidates,
    Columns,
    Notice,
    ReminderKind,
    Subject,
)
from certtrack.services.sql import Day, isoformat, joined
from certtrack.workflow.deadlines import assigned_on, report_due, report_due_before
from certtrack.workflow.policy import Policy


def _stalled(day: Day, policy: Policy) -> Candidates:
    return (
        select(
            Application.id.label("subject"),
            Application.consultant_id,
            Application.assigned_at,
            Cluster.agency_id,
        )
        .select_from(Application)
        .join(Cluster, Cluster.id == Application.cluster_id)
        .outerjoin(Report, Report.application_id == Application.id)
        .where(
            Application.state == State.CONSULTANT_REVIEW,
            Application.consultant_id.is_not(None),
            report_due_before(day, policy),
            Report.delivered_at.is_(None),
        )
    )


def _same_assignment(message: OutboxMessage) -> list[ColumnElement[bool]]:
    """Reassigned since: a new delay runs, and this message is about the old one."""
    assigned = message.context.get("assigned_at")
    if not isinstance(assigned, str):
        return [false()]
    return [Application.assigned_at == datetime.fromisoformat(assigned)]


def _stalled_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    # Written as Python writes it: _same_assignment reads it back with fromisoformat.
    assigned = isoformat(row.assigned_at)
    return Notice(
        stem=joined("review_stalled:", row.subject, ":", assigned),
        link=joined("/applications/", row.subject),
        context={"assigned_at": assigned},
        about={"application_id": row.subject},
    )


def _stalled_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    application = db.session.get(Application, message.application_id)
    assert application is not None  # the condition held a moment ago
    assigned, due = assigned_on(application), report_due(application, policy)
    assert assigned is not None and due is not None
    consultant = application.consultant
    return Content(
        subject=_(
            "%(cluster)s: the %(level)s report is overdue",
            cluster=application.cluster.name,
            level=vocabulary.name(application.level),
        ),
        paragraphs=[
            _(
                "%(consultant)s was assigned the review on %(day)s; the report was due by "
                "%(due)s and is not delivered yet.",
                consultant=consultant.name if consultant else "",
                day=formats.day(assigned),
                due=formats.day(due),
            )
        ],
        action=_("Open the application"),
    )


REVIEW_STALLED = ReminderKind(
    name="review_stalled",
    title=_l("Report overdue"),
    audience=Audience.REVIEW,
    subject=Subject(OutboxMessage.application_id, Application.id, _same_assignment),
    condition=_stalled,
    notice=_stalled_notice,
    compose=_stalled_content,
)
