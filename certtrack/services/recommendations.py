"""The cluster's follow-up of its report's recommendations."""

from datetime import date, datetime

from flask_babel import gettext as _

from certtrack.models import ProgressNote, Recommendation, RecommendationStatus, User
from certtrack.models.base import utcnow
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow import permissions
from certtrack.workflow.definition import PERMISSIONS
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.types import Thing

# Where the cluster works on its recommendations (the reminders follow them there).
FOLLOW_UP_STATES = tuple(
    state for state, rules in PERMISSIONS.items() if rules[Thing.RECOMMENDATIONS]
)
MAX_TEXT = 10000


def update_recommendation(
    recommendation: Recommendation,
    actor: User,
    *,
    today: date,
    now: datetime | None = None,
    status: RecommendationStatus | str | None = None,
    evidence: str | None = None,
    note: str | None = None,
) -> None:
    """Move a recommendation on: a new status, the evidence of what was done, and/or a
    progress note. Dropping one needs a note saying why."""
    refused = permissions.refusal(actor, recommendation.report.application, Thing.RECOMMENDATIONS)
    if refused:
        raise refused
    errors: dict[str, str] = {}
    new_status = None
    if status is not None:
        try:
            new_status = RecommendationStatus(status)
        except ValueError:
            errors["status"] = _("Must be one of: %(v)s.", v=", ".join(RecommendationStatus))
    note = (note or "").strip() or None
    if new_status == RecommendationStatus.DROPPED and note is None:
        errors["note"] = _("Say why the recommendation is dropped.")
    for name, value in (("evidence", evidence), ("note", note)):
        if value is not None and len(value) > MAX_TEXT:
            errors[name] = _("At most %(n)s characters.", n=MAX_TEXT)
        elif value is not None and (problem := text_problem(value, multiline=True)):
            errors[name] = problem
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)

    with committed():
        if new_status is not None and new_status != recommendation.status:
            recommendation.status = new_status
            done = new_status == RecommendationStatus.DONE
            recommendation.completed_on = today if done else None
        if evidence is not None:
            recommendation.evidence = evidence.strip() or None
        if note is not None:
            recommendation.notes.append(
                ProgressNote(author_id=actor.id, created_at=now or utcnow(), text=note)
            )
