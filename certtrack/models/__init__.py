"""The data model. Models describe data; rules live in certtrack.workflow and services."""

from certtrack.models.application import Application, ImprovementArea
from certtrack.models.audit import AuditEntry
from certtrack.models.conversation import ConversationMessage, ConversationMute
from certtrack.models.document import Document, DocumentPurpose
from certtrack.models.enums import (
    CLOSED_STATES,
    LABELLED_STATES,
    LIVE_LABEL_STATUSES,
    OPEN_RECOMMENDATION_STATUSES,
    Direction,
    IndicatorKind,
    LabelStatus,
    Level,
    Measure,
    MemberType,
    Priority,
    RecommendationStatus,
    Role,
    State,
    TargetKind,
)
from certtrack.models.heartbeat import SchedulerHeartbeat
from certtrack.models.indicator import IndicatorDefinition, IndicatorScaleLevel, IndicatorValue
from certtrack.models.label import Label
from certtrack.models.login_attempt import LoginAttempt
from certtrack.models.organisation import Agency, Cluster
from certtrack.models.outbox import OutboxMessage, OutboxStatus
from certtrack.models.peer import PeerCluster, PeerValue
from certtrack.models.portfolio_upload import PortfolioUpload
from certtrack.models.programme import EVERY_AGENCY, DailyStageMedian, ProgrammeTarget
from certtrack.models.report import ProgressNote, Recommendation, Report
from certtrack.models.setting import Setting
from certtrack.models.token import ApiToken, CalendarFeed
from certtrack.models.user import User, consultant_conflict
from certtrack.models.user_session import UserSession

__all__ = [
    "CLOSED_STATES",
    "EVERY_AGENCY",
    "LABELLED_STATES",
    "LIVE_LABEL_STATUSES",
    "OPEN_RECOMMENDATION_STATUSES",
    "Agency",
    "ApiToken",
    "Application",
    "AuditEntry",
    "CalendarFeed",
    "Cluster",
    "ConversationMessage",
    "ConversationMute",
    "DailyStageMedian",
    "Direction",
    "Document",
    "DocumentPurpose",
    "ImprovementArea",
    "IndicatorDefinition",
    "IndicatorKind",
    "IndicatorScaleLevel",
    "IndicatorValue",
    "Label",
    "LabelStatus",
    "Level",
    "LoginAttempt",
    "Measure",
    "MemberType",
    "OutboxMessage",
    "OutboxStatus",
    "PeerCluster",
    "PeerValue",
    "PortfolioUpload",
    "Priority",
    "ProgrammeTarget",
    "ProgressNote",
    "Recommendation",
    "RecommendationStatus",
    "Report",
    "Role",
    "SchedulerHeartbeat",
    "Setting",
    "State",
    "TargetKind",
    "User",
    "UserSession",
    "consultant_conflict",
]
