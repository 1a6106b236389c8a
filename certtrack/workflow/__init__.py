"""The certification workflow: definition (data), guards, effects and the engine."""

from certtrack.workflow.definition import TRANSITIONS, TRANSITIONS_BY_EVENT, validate_definition
from certtrack.workflow.engine import allowed_transitions, apply, transition_applied
from certtrack.workflow.errors import (
    Conflict,
    ForbiddenForRole,
    GuardFailed,
    InvalidParams,
    NotAllowedInState,
    NotFound,
    WorkflowError,
)
from certtrack.workflow.policy import Policy, load_policy
from certtrack.workflow.types import SYSTEM, Transition

__all__ = [
    "SYSTEM",
    "TRANSITIONS",
    "TRANSITIONS_BY_EVENT",
    "Conflict",
    "ForbiddenForRole",
    "GuardFailed",
    "InvalidParams",
    "NotAllowedInState",
    "NotFound",
    "Policy",
    "Transition",
    "WorkflowError",
    "allowed_transitions",
    "apply",
    "load_policy",
    "transition_applied",
    "validate_definition",
]
