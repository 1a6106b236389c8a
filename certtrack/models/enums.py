"""The public vocabulary of certtrack: roles, levels, workflow states, statuses."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    CONSULTANT = "consultant"
    MANAGER = "manager"


class Level(StrEnum):
    BRONZE = "bronze"
    SILVER = "silver"
    GOLD = "gold"

    @property
    def rank(self) -> int:
        return list(Level).index(self)

    @property
    def next(self) -> "Level | None":
        levels = list(Level)
        return levels[self.rank + 1] if self.rank + 1 < len(levels) else None

    @property
    def code(self) -> str:
        """One letter used in public label numbers."""
        return self.value[0].upper()


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CONSULTANT_REVIEW = "consultant_review"
    LABEL_ISSUED = "label_issued"
    FOLLOW_UP = "follow_up"
    RENEWAL_DUE = "renewal_due"
    LAPSED = "lapsed"
    RENEWED = "renewed"
    UPGRADED = "upgraded"
    EXPIRED = "expired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


CLOSED_STATES = frozenset(
    {State.RENEWED, State.UPGRADED, State.EXPIRED, State.REJECTED, State.WITHDRAWN}
)


class LabelStatus(StrEnum):
    VALID = "valid"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


# A label that still counts: in force, or lapsed within its grace year.
LIVE_LABEL_STATUSES = (LabelStatus.VALID, LabelStatus.LAPSED)
# The label is issued and the cluster holds it: before renewal, upgrade or lapse.
LABELLED_STATES = (State.LABEL_ISSUED, State.FOLLOW_UP, State.RENEWAL_DUE)


class IndicatorKind(StrEnum):
    """BENCHMARK: the 36 benchmarking indicators (a recorded answer); BASELINE: Silver's
    baseline minimum requirements (met or not); QUALITY: Gold's quality indicators (a
    score against a threshold)."""

    BENCHMARK = "benchmark"
    BASELINE = "baseline"
    QUALITY = "quality"


class Measure(StrEnum):
    """What a benchmarking indicator measures: a whole number, a number with a unit, a
    percentage (0-100), a step on a worded scale (0-4) or yes/no (stored as 1/0)."""

    COUNT = "count"
    NUMBER = "number"
    PERCENT = "percent"
    SCALE = "scale"
    YESNO = "yesno"


class Direction(StrEnum):
    """UP: higher is better; NEUTRAL: shown for comparison, never ranked."""

    UP = "up"
    NEUTRAL = "neutral"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


OPEN_RECOMMENDATION_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class TargetKind(StrEnum):
    """The kinds of programme target (their wording and rules: services/programme.py).
    LABELS_AT_LEVEL: N labels of a level held by a date; ALL_CLUSTERS_LABELLED: every
    cluster of the agency holds a label by a date."""

    LABELS_AT_LEVEL = "labels_at_level"
    ALL_CLUSTERS_LABELLED = "all_clusters_labelled"


class MemberType(StrEnum):
    SME = "sme"
    LARGE_COMPANY = "large_company"
    RESEARCH = "research"
    UNIVERSITY = "university"
    PUBLIC_BODY = "public_body"
    FINANCE = "finance"
    OTHER = "other"
