"""Display names of the public vocabulary, translated. The values themselves (`draft`,
`issue_label`, ...) stay stable for the API; people read these."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from certtrack.models import (
    Direction,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorScaleLevel,
    Label,
    LabelStatus,
    Level,
    Measure,
    MemberType,
    Priority,
    RecommendationStatus,
    Role,
    State,
)
from certtrack.workflow.definition import CREATE_EVENT_NAME, TRANSITIONS

NAMES: dict[object, LazyString] = {
    Level.BRONZE: _l("Bronze"),
    Level.SILVER: _l("Silver"),
    Level.GOLD: _l("Gold"),
    State.DRAFT: _l("Draft"),
    State.SUBMITTED: _l("Submitted"),
    State.CONSULTANT_REVIEW: _l("Consultant review"),
    State.LABEL_ISSUED: _l("Label issued"),
    State.FOLLOW_UP: _l("Follow-up"),
    State.RENEWAL_DUE: _l("Renewal due"),
    State.LAPSED: _l("Lapsed"),
    State.RENEWED: _l("Renewed"),
    State.UPGRADED: _l("Upgraded"),
    State.EXPIRED: _l("Expired"),
    State.REJECTED: _l("Rejected"),
    State.WITHDRAWN: _l("Withdrawn"),
    LabelStatus.VALID: _l("Valid"),
    LabelStatus.LAPSED: _l("Lapsed"),
    LabelStatus.EXPIRED: _l("Expired"),
    LabelStatus.REVOKED: _l("Revoked"),
    LabelStatus.SUPERSEDED: _l("Superseded"),
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.CONSULTANT: _l("Consultant"),
    Role.MANAGER: _l("Cluster manager"),
    Priority.HIGH: _l("High"),
    Priority.MEDIUM: _l("Medium"),
    Priority.LOW: _l("Low"),
    RecommendationStatus.OPEN: _l("Open"),
    RecommendationStatus.IN_PROGRESS: _l("In progress"),
    RecommendationStatus.DONE: _l("Done"),
    RecommendationStatus.DROPPED: _l("Dropped"),
    MemberType.SME: _l("SMEs"),
    MemberType.LARGE_COMPANY: _l("Large companies"),
    MemberType.RESEARCH: _l("Research organisations"),
    MemberType.UNIVERSITY: _l("Universities"),
    MemberType.PUBLIC_BODY: _l("Public bodies"),
    MemberType.FINANCE: _l("Finance"),
    MemberType.OTHER: _l("Other"),
    IndicatorKind.BENCHMARK: _l("Benchmarking indicators"),
    IndicatorKind.BASELINE: _l("Baseline minimum requirements"),
    IndicatorKind.QUALITY: _l("Quality indicators"),
    Measure.COUNT: _l("Count"),
    Measure.NUMBER: _l("Number"),
    Measure.PERCENT: _l("Percentage"),
    Measure.SCALE: _l("Scale"),
    Measure.YESNO: _l("Yes or no"),
    Direction.UP: _l("Higher is better"),
    Direction.NEUTRAL: _l("Neither better nor worse"),
}

# Each event's name lives with the event, in the workflow definition.
EVENTS: dict[str, LazyString] = {
    **{t.event: t.display_name for t in TRANSITIONS},
    "create": CREATE_EVENT_NAME,
    # Not a workflow step: an admin revoked the label and the application kept its state.
    "revoke_label": _l("Label revoked"),
    # Nor are the documents' steps (services.documents).
    "document_uploaded": _l("Document uploaded"),
    "document_replaced": _l("Document replaced"),
    "document_deleted": _l("Document deleted"),
    "document_downloaded": _l("Document downloaded"),
    # Nor is bringing in a label the agency issued before certtrack
    # (services.portfolio_import).
    "portfolio_import": _l("Imported from the agency's records"),
}

# The other kinds of message are named in their definitions (services.reminder_kinds).
MESSAGE_KINDS = {
    "workflow_notice": _l("A step on an application"),
    "conversation_message": _l("A message in an application's conversation"),
    "password_reset": _l("New password"),
    "invitation": _l("Invitation"),
}

AREAS = {
    "structure": _l("Structure of the cluster"),
    "governance": _l("Cluster management and governance"),
    "financing": _l("Financing of the cluster management"),
    "services": _l("Services"),
    "interaction": _l("Contacts and interaction within the cluster"),
    "achievements": _l("Achievements and recognition"),
    "strategy": _l("Strategy, objectives and services"),
    "baseline": _l("Baseline minimum requirements"),
}

PROFILE_FIELDS = {
    "name": _l("Name"),
    "country": _l("Country"),
    "region": _l("Region"),
    "sector": _l("Sector or technology"),
    "website": _l("Website"),
    "website_in_english": _l("Website in English"),
    "eccp_listed": _l("Listed on the European Cluster Collaboration Platform"),
    "staff_fte": _l("Cluster management staff (FTE)"),
    "committed_members": _l("Committed members"),
    "member_types": _l("Member types"),
    "description": _l("Description"),
}


def name(value: object) -> str:
    """The display name of a vocabulary value; unknown values show as they are."""
    if isinstance(value, str) and value in EVENTS:
        return str(EVENTS[value])
    found = NAMES.get(value)
    return str(found) if found is not None else str(value)


def label_names(label: Label) -> dict[str, str]:
    """The names a text about a label fills in: its cluster and its level."""
    return {"cluster": label.cluster.name, "level": name(label.level)}


# Indicator wording is data (the definitions carry an English and an Italian column);
# these pick the reader's language, falling back to English where Italian is missing.
def _in_locale(english: str | None, italian: str | None) -> str | None:
    locale = get_locale()
    if italian and locale is not None and locale.language == "it":
        return italian
    return english


def indicator_name(definition: IndicatorDefinition) -> str:
    """The indicator's name in the reader's language."""
    return _in_locale(definition.name, definition.name_it) or definition.code


def indicator_guidance(definition: IndicatorDefinition) -> str | None:
    """How the consultant measures the indicator, in the reader's language."""
    return _in_locale(definition.guidance, definition.guidance_it)


def indicator_unit(definition: IndicatorDefinition) -> str | None:
    """The indicator's unit ("FTE", "%") in the reader's language."""
    return _in_locale(definition.unit, definition.unit_it)


def scale_level_label(level: IndicatorScaleLevel) -> str:
    """The wording of one scale step in the reader's language."""
    return _in_locale(level.label, level.label_it) or str(level.step)
