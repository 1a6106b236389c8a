"""The one error family of the domain. Views and the API map it to responses."""

from typing import ClassVar


class WorkflowError(Exception):
    """A refused step. `code` is machine-readable, `message` names the reason for a human,
    `fields` points at the offending inputs (field name -> message)."""

    code: ClassVar[str] = "workflow_error"
    status: ClassVar[int] = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class NotAllowedInState(WorkflowError):
    code = "not_allowed_in_state"
    status = 409


class ForbiddenForRole(WorkflowError):
    code = "forbidden_for_role"
    status = 403


class GuardFailed(WorkflowError):
    code = "guard_failed"
    status = 422


class InvalidParams(WorkflowError):
    code = "invalid_params"
    status = 422


class Conflict(WorkflowError):
    """Someone else changed the record first; reload and try again."""

    code = "conflict"
    status = 409


class StaleVersion(WorkflowError):
    """The caller acted on an outdated version (HTTP If-Match)."""

    code = "precondition_failed"
    status = 412


class NotFound(WorkflowError):
    code = "not_found"
    status = 404


class PayloadTooLarge(WorkflowError):
    """A file over the size limit, or over what the application may still store."""

    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(WorkflowError):
    """A file whose content is not of an accepted type."""

    code = "unsupported_media_type"
    status = 415
