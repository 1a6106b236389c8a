"""Which label a cluster must already hold before it may go for a level."""

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from certtrack import formats
from certtrack.models import LIVE_LABEL_STATUSES, Label, Level
from certtrack.workflow.dates import add_months, grace_end, months_between
from certtrack.workflow.policy import Policy


def holds(label: Label, today: date, policy: Policy) -> bool:
    """A label counts while it is valid or in its grace year (renewal still possible)."""
    return label.status in LIVE_LABEL_STATUSES and today <= grace_end(
        label.valid_until, policy.grace_months
    )


def prerequisite_problem(
    labels: Iterable[Label], level: Level, today: date, policy: Policy
) -> str | None:
    """Why the cluster may not go for `level` today, or None when it may."""
    held = [label for label in labels if holds(label, today, policy)]
    if any(label.level == level for label in held):
        return None  # a renewal of a label the cluster still holds
    if level == Level.BRONZE:
        return None
    if level == Level.SILVER:
        return _silver_problem([lb for lb in held if lb.level == Level.BRONZE], today, policy)
    required = policy.gold_prerequisite
    if required is None or any(label.level.rank >= required.rank for label in held):
        return None
    return _(
        "Gold needs a %(level)s label or higher that is valid or in its grace year.",
        level=required.value.capitalize(),
    )


def _silver_problem(bronzes: list[Label], today: date, policy: Policy) -> str | None:
    if not bronzes:
        return _("Silver needs a Bronze label that is valid or in its grace year.")
    low, high = policy.silver_window_min_months, policy.silver_window_max_months
    for bronze in bronzes:
        if low <= months_between(bronze.interview_month, today) <= high:
            return None
    bronze = max(bronzes, key=lambda label: label.interview_month)
    return _(
        "Silver is possible %(low)s to %(high)s months after the Bronze interview: "
        "from %(start)s to %(end)s for the Bronze interviewed in %(month)s.",
        low=low,
        high=high,
        start=formats.month(add_months(bronze.interview_month, low)),
        end=formats.month(add_months(bronze.interview_month, high)),
        month=formats.month(bronze.interview_month),
    )
