"""The mark of the routes that take document uploads (a module of its own, free of
imports, so the API's modules can use it as early as the pages' do)."""

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def takes_uploads(view: F) -> F:
    """Mark a view that takes document uploads: only its requests may be larger than
    MAX_CONTENT_LENGTH (DOCUMENT_MAX_FILES files of DOCUMENT_MAX_BYTES)."""
    view.takes_uploads = True  # type: ignore[attr-defined]
    return view
