"""The deadlines counted from the workflow's dates, each defined once with its SQL twin.

The consultant's report is due `review_due_days` after the assignment, counted in the
scheme's calendar days (CERTTRACK_TIMEZONE), not UTC's: an assignment at 23:30 UTC on
31 October is made on 1 November in Rome, and due 35 days after that. Gold's evidence
is due `gold_evidence_days_before_visit` before the on-site visit."""

from datetime import date, timedelta

from sqlalchemy import ColumnElement, DateTime

from certtrack.clock import day_start, local_date
from certtrack.models import Application
from certtrack.services.sql import Day
from certtrack.workflow.policy import Policy


def assigned_on(application: Application) -> date | None:
    """The local day the consultant was assigned, or None before any assignment."""
    return local_date(application.assigned_at) if application.assigned_at else None


def report_due(application: Application, policy: Policy) -> date | None:
    """The last day for the report: `review_due_days` after the local day of assignment."""
    assigned = assigned_on(application)
    return assigned + timedelta(days=policy.review_due_days) if assigned else None


def report_overdue(application: Application, today: date, policy: Policy) -> bool:
    """The review has passed its due day without a delivered report."""
    due = report_due(application, policy)
    return due is not None and due < today and not application.report_delivered


def report_due_before(day: Day, policy: Policy) -> ColumnElement[bool]:
    """SQL for `report_due(application, policy) < today`: the local day of assignment
    is before today - review_due_days, i.e. assigned_at lies before the UTC instant at
    which that local day begins."""
    due_days = timedelta(days=policy.review_due_days)
    return Application.assigned_at < day.on(lambda today: day_start(today - due_days), DateTime())


def evidence_due(application: Application, policy: Policy) -> date | None:
    """The last day for Gold's evidence: `gold_evidence_days_before_visit` before the
    visit's first day, or None while no visit is planned."""
    start = application.visit_starts_on
    return evidence_due_for_visit(start, policy) if start else None


def evidence_due_for_visit(starts_on: date, policy: Policy) -> date:
    """The evidence due date of a visit starting on `starts_on`."""
    return starts_on - timedelta(days=policy.gold_evidence_days_before_visit)


def evidence_due_within(day: Day, days: int, policy: Policy) -> ColumnElement[bool]:
    """SQL for `today <= evidence_due(application, policy) <= today + days`."""
    lead = timedelta(days=policy.gold_evidence_days_before_visit)
    return Application.visit_starts_on.between(
        day.plus(lead), day.plus(lead + timedelta(days=days))
    )
