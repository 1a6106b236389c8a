"""Gold's on-site assessment visit: its dates, planned by the agency or the assigned
consultant (who and when: the definition's visit rule). Moving the visit moves the
evidence due date and re-plans the evidence reminders (services/reminder_kinds/evidence)."""

from datetime import date

from flask_babel import gettext as _

from certtrack import formats
from certtrack.models import Application, User
from certtrack.services.applications import check_version
from certtrack.services.transaction import committed
from certtrack.workflow import permissions
from certtrack.workflow.engine import bump_version
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.policy import Policy, load_policy
from certtrack.workflow.types import Thing


def visit_problems(
    starts_on: date | None, ends_on: date | None, today: date, policy: Policy
) -> dict[str, str]:
    """What is wrong with a visit from `starts_on` to `ends_on`, by field."""
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["visit_starts_on"] = _("Give the visit's first day.")
    elif starts_on < today:
        problems["visit_starts_on"] = _(
            "The visit cannot start in the past (today is %(day)s).", day=formats.day(today)
        )
    if ends_on is None:
        problems["visit_ends_on"] = _("Give the visit's last day.")
    elif starts_on is not None and ends_on < starts_on:
        problems["visit_ends_on"] = _("The visit cannot end before it starts.")
    elif starts_on is not None and (ends_on - starts_on).days + 1 > policy.gold_visit_max_days:
        problems["visit_ends_on"] = _(
            "A visit lasts at most %(n)s days.", n=policy.gold_visit_max_days
        )
    return problems


def plan_visit(
    application: Application,
    actor: User,
    *,
    starts_on: date | None,
    ends_on: date | None,
    today: date,
    expected_version: int | None = None,
) -> None:
    """Set (or move) the visit's dates. All or nothing: a refusal or an invalid date
    raises before anything is written."""
    refused = permissions.refusal(actor, application, Thing.VISIT)
    if refused:
        raise refused
    check_version(application, expected_version)
    problems = visit_problems(starts_on, ends_on, today, load_policy())
    if problems:
        raise InvalidParams(_("The visit's dates are not valid; nothing was saved."), problems)
    with committed():
        # Serialise with the workflow: a step taken meanwhile makes this save lose.
        bump_version(application)
        application.visit_starts_on = starts_on
        application.visit_ends_on = ends_on
