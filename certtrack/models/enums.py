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


class IndicatorKind(StrEnum):
    """BENCHMARK: the 36 benchmarking indicators (a recorded answer); BASELINE: Silver's
    baseline minimum requirements (met or not); QUALITY: Gold's quality indicators (a
    score against a threshold)."""

    BENCHMARK = "benchmark"
    BASELINE = "baseline"
    QUALITY = "quality"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class MemberType(StrEnum):
    SME = "sme"
    LARGE_COMPANY = "large_company"
    RESEARCH = "research"
    UNIVERSITY = "university"
    PUBLIC_BODY = "public_body"
    FINANCE = "finance"
    OTHER = "other"
