"""Which views take document uploads: only their requests may be larger than
MAX_CONTENT_LENGTH (request_checks raises the limit for them)."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

F = TypeVar("F", bound=Callable[..., Any])


def takes_uploads(view: F) -> F:
    """Mark a view that takes document uploads."""
    view.takes_uploads = True  # type: ignore[attr-defined]
    return view


def is_upload_request() -> bool:
    """Whether this request goes to a view marked with takes_uploads."""
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "takes_uploads", False)
