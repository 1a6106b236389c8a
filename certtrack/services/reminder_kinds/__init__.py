"""Every kind of reminder, each one definition (see kind.py). The daily pass
(services.reminders) selects with their conditions, the dispatcher re-checks with the
same ones (services.messages), and both find the kinds here.

A new kind is one more ReminderKind in one of these modules, listed in KINDS, and the
Italian of its strings at the end of messages.po. Its condition and its notice are SQL
(see kind.py): the pass writes its messages with one INSERT ... SELECT."""

from certtrack.services.reminder_kinds.evidence import GOLD_EVIDENCE
from certtrack.services.reminder_kinds.kind import Audience, ReminderKind
from certtrack.services.reminder_kinds.labels import (
    GRACE_ENDING,
    LABEL_EXPIRY,
    LABEL_LAPSED,
    SILVER_WINDOW,
)
from certtrack.services.reminder_kinds.recommendations import (
    RECOMMENDATION_DUE,
    RECOMMENDATION_OVERDUE,
)
from certtrack.services.reminder_kinds.reviews import REVIEW_STALLED
from certtrack.services.reminder_kinds.weekly import COORDINATOR_DIGEST

__all__ = ["BY_NAME", "KINDS", "Audience", "ReminderKind"]

KINDS: tuple[ReminderKind, ...] = (
    LABEL_EXPIRY,
    LABEL_LAPSED,
    GRACE_ENDING,
    SILVER_WINDOW,
    RECOMMENDATION_DUE,
    RECOMMENDATION_OVERDUE,
    REVIEW_STALLED,
    GOLD_EVIDENCE,
    COORDINATOR_DIGEST,
)
BY_NAME: dict[str, ReminderKind] = {kind.name: kind for kind in KINDS}
