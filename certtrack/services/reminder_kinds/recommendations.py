"""Reminders about the report's recommendations, while the cluster works on them (the
states where the workflow lets managers edit them: FOLLOW_UP_STATES)."""

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, select

from certtrack import formats
from certtrack.extensions import db
from certtrack.models import (
    OPEN_RECOMMENDATION_STATUSES,
    Application,
    OutboxMessage,
    Recommendation,
    Report,
)
from certtrack.services.content import Content
from certtrack.services.recommendations import FOLLOW_UP_STATES
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

PREFERENCE = "wants_recommendation_reminders"


def _open(*conditions: Any) -> Candidates:
    """Open recommendations of applications in follow-up, with `conditions`."""
    return (
        select(Recommendation)
        .select_from(Recommendation)
        .join(Report, Report.id == Recommendation.report_id)
        .join(Application, Application.id == Report.application_id)
        .where(
            Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES),
            Application.state.in_(FOLLOW_UP_STATES),
            *conditions,
        )
    )


# --- recommendation due: `recommendation_due_days` before ------------------------------


def _coming_due(day: Day, policy: Policy) -> Candidates:
    return _open(
        Recommendation.due_date >= day.today,
        Recommendation.due_date <= day.plus(timedelta(days=policy.recommendation_due_days)),
    ).with_only_columns(
        Recommendation.id.label("subject"), Report.application_id, Application.cluster_id
    )


def _due_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    return Notice(
        stem=joined("recommendation_due:", row.subject),
        link=joined("/applications/", row.application_id, "#recommendation-", row.subject),
        about={"application_id": row.application_id, "recommendation_id": row.subject},
    )


def _due_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    rec = db.session.get(Recommendation, message.recommendation_id)
    assert rec is not None and rec.due_date is not None  # the condition held a moment ago
    return Content(
        subject=_(
            "Recommendation due on %(day)s: %(title)s",
            day=formats.day(rec.due_date),
            title=rec.title,
        ),
        paragraphs=[
            _(
                "The recommendation “%(title)s” of %(cluster)s is due on %(day)s.",
                title=rec.title,
                cluster=rec.report.application.cluster.name,
                day=formats.day(rec.due_date),
            ),
            _("Record what was done, or the progress so far."),
        ],
        action=_("Update the recommendation"),
    )


RECOMMENDATION_DUE = ReminderKind(
    name="recommendation_due",
    title=_l("Recommendation coming due"),
    audience=Audience.MANAGERS,
    subject=Subject(OutboxMessage.recommendation_id, Recommendation.id),
    condition=_coming_due,
    notice=_due_notice,
    compose=_due_content,
    opt_out=PREFERENCE,
)


# --- recommendations overdue: one nag per application at most every seven days -----------


def _overdue_recommendations(day: Day) -> Candidates:
    return _open(Recommendation.due_date < day.today)


def _overdue(day: Day, policy: Policy) -> Candidates:
    # Applications with some overdue recommendation (EXISTS, not a DISTINCT over every
    # recommendation: the weekly check can then skip the recently nagged first).
    overdue = (
        select(Recommendation.id)
        .join(Report, Report.id == Recommendation.report_id)
        .where(
            Report.application_id == Application.id,
            Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES),
            Recommendation.due_date < day.today,
        )
    )
    return select(Application.id.label("subject"), Application.cluster_id).where(
        Application.state.in_(FOLLOW_UP_STATES), overdue.exists()
    )


def _overdue_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    return Notice(
        stem=joined(
            "recommendation_overdue:",
            row.subject,
            day.on(lambda today: f":{today.isoformat()}", String()),
        ),
        link=joined("/clusters/", row.cluster_id),
        about={"application_id": row.subject},
    )


def _overdue_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    """Lists what is overdue at send time."""
    recs = db.session.scalars(
        _overdue_recommendations(Day(today))
        .where(Application.id == message.application_id)
        .order_by(Recommendation.due_date, Recommendation.id)
    ).all()
    application = db.session.get(Application, message.application_id)
    assert application is not None  # the condition held a moment ago
    return Content(
        subject=_(
            "%(cluster)s: %(n)s recommendations are overdue",
            cluster=application.cluster.name,
            n=len(recs),
        ),
        paragraphs=[_("These recommendations are past their due date and not done yet:")],
        items=[
            f"{rec.title} ({formats.day(rec.due_date) if rec.due_date else ''})" for rec in recs
        ],
        action=_("Update the recommendations"),
    )


RECOMMENDATION_OVERDUE = ReminderKind(
    name="recommendation_overdue",
    title=_l("Recommendations overdue"),
    audience=Audience.MANAGERS,
    subject=Subject(OutboxMessage.application_id, Application.id),
    condition=_overdue,
    notice=_overdue_notice,
    compose=_overdue_content,
    opt_out=PREFERENCE,
    every=timedelta(days=7),
)
