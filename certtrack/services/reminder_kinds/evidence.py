"""Gold's evidence: the cluster's managers hear, `gold_evidence_reminder_days` before
the evidence due date (certtrack.workflow.deadlines), which quality indicators still
have no evidence. Each step goes out once per application: moving the visit re-plans
the steps not sent yet against the new date, and a message written for the old date is
cancelled before it is sent."""

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, func, select

from certtrack import formats
from certtrack.extensions import db
from certtrack.models import Application, OutboxMessage, OutboxStatus
from certtrack.services import evidence
from certtrack.services.content import Content
from certtrack.services.reminder_kinds.kind import (
    Audience,
    Candidates,
    Columns,
    Notice,
    ReminderKind,
    Subject,
    latest_due,
)
from certtrack.services.sql import Day, isodate, joined
from certtrack.workflow.deadlines import evidence_due_for_visit, evidence_due_within
from certtrack.workflow.policy import Policy

NAME = "gold_evidence"
# A step counts as done once it left (or is leaving) for some visit date.
_GONE = (OutboxStatus.SENT, OutboxStatus.SENDING)


def _steps_gone() -> Any:
    """The smallest step (days before due) already sent about the application."""
    return (
        select(func.min(OutboxMessage.context["offset"].as_integer()))
        .where(
            OutboxMessage.kind == NAME,
            OutboxMessage.application_id == Application.id,
            OutboxMessage.status.in_(_GONE),
        )
        .correlate(Application)
        .scalar_subquery()
    )


def _incomplete(day: Day, policy: Policy) -> Candidates:
    # No offsets configured: no window, nothing holds.
    horizon = max(policy.gold_evidence_reminder_days, default=-1)
    return (
        evidence.in_evidence_stage()
        .with_only_columns(
            Application.id.label("subject"),
            Application.cluster_id,
            Application.visit_starts_on,
            _steps_gone().label("step_gone"),
        )
        .where(
            evidence_due_within(day, horizon, policy),
            evidence.incomplete(),
        )
    )


def _same_visit(message: OutboxMessage) -> list[ColumnElement[bool]]:
    """The visit moved since: this message is about the old date."""
    visit = message.context.get("visit")
    if not isinstance(visit, str):
        return [false()]
    return [Application.visit_starts_on == date.fromisoformat(visit)]


def _notice(row: Columns, day: Day, policy: Policy) -> Notice:
    # At most `step` days left: evidence_due(visit) <= today + step, i.e. the visit
    # starts on or before today + step + gold_evidence_days_before_visit.
    lead = timedelta(days=policy.gold_evidence_days_before_visit)
    step = latest_due(
        policy.gold_evidence_reminder_days,
        lambda days: row.visit_starts_on <= day.plus(timedelta(days=days) + lead),
    )
    visit = isodate(row.visit_starts_on)
    return Notice(
        stem=joined(f"{NAME}:", row.subject, ":", visit, ":", step),
        link=joined("/applications/", row.subject, "#evidence"),
        context={"offset": step, "visit": visit},
        about={"application_id": row.subject},
        # A step reached and not sent yet for any visit date (nor a later one).
        due=step.is_not(None) & (row.step_gone.is_(None) | (step < row.step_gone)),
    )


def _content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    """Lists the indicators still without evidence at send time."""
    application = db.session.get(Application, message.application_id)
    assert application is not None and application.visit_starts_on is not None  # it held
    checklist = evidence.checklist(application)
    assert checklist is not None  # a Gold application
    due = evidence_due_for_visit(application.visit_starts_on, policy)
    cluster = application.cluster.name
    if due == today:
        subject = _("%(cluster)s: the Gold evidence is due today", cluster=cluster)
    else:
        subject = _(
            "%(cluster)s: the Gold evidence is due in %(days)s days",
            cluster=cluster,
            days=(due - today).days,
        )
    return Content(
        subject=subject,
        paragraphs=[
            _(
                "The Gold assessment visit of %(cluster)s starts on %(visit)s; its "
                "evidence is due by %(due)s.",
                cluster=cluster,
                visit=formats.day(application.visit_starts_on),
                due=formats.day(due),
            ),
            _(
                "%(missing)s of %(total)s quality indicators have no evidence yet:",
                missing=len(checklist.missing),
                total=checklist.total,
            ),
        ],
        items=[f"{d.code} {d.name}" for d in checklist.missing],
        action=_("Upload the evidence"),
    )


GOLD_EVIDENCE = ReminderKind(
    name=NAME,
    title=_l("Gold evidence due"),
    audience=Audience.MANAGERS,
    subject=Subject(OutboxMessage.application_id, Application.id, _same_visit),
    condition=_incomplete,
    notice=_notice,
    compose=_content,
)
