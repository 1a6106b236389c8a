"""Gold's evidence checklist: which quality indicators have a current document as
evidence, on the application page, and in SQL for the evidence reminders."""

from sqlalchemy import Select, select

from certtrack.models import Application, Level, Report
from certtrack.workflow.definition import PERMISSIONS
from certtrack.workflow.types import Thing

# The evidence is gathered while the visit can still be planned: from submission to
# the delivered report.
EVIDENCE_STATES = tuple(state for state, rules in PERMISSIONS.items() if rules[Thing.VISIT])


def in_evidence_stage() -> Select[Application]:
    """Gold applications gathering evidence: in the evidence states, with a visit and
    no delivered report."""
    return (
        select(Application)
        .outerjoin(Report, Report.application_id == Application.id)
        .where(
            Application.level == Level.GOLD,
            Application.state.in_(EVIDENCE_STATES),
            Application.visit_starts_on.is_not(None),
            Report.delivered_at.is_(None),
        )
    )
