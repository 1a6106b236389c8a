"""Checks every request passes before a view sees it: the path, the query string and
form fields hold no NUL or lone surrogate (strict_json does the same for JSON bodies);
bodies beyond MAX_CONTENT_LENGTH and forms beyond Werkzeug's limits are refused (413)."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from certtrack.errors import MalformedRequest
from certtrack.strict_json import StrictJSONProvider
from certtrack.text import unstorable, unstorable_problem

F = TypeVar("F", bound=Callable[..., Any])
# The form fields beside the files of an upload (titles, links) stay small.
UPLOAD_FORM_ALLOWANCE = 1024 * 1024


def takes_uploads(view: F) -> F:
    """Mark a view that takes document uploads: only its requests may be larger than
    MAX_CONTENT_LENGTH (DOCUMENT_MAX_FILES files of DOCUMENT_MAX_BYTES)."""
    view.takes_uploads = True  # type: ignore[attr-defined]
    return view


def allow_uploads_on_upload_routes() -> None:
    """Raise the body limit for this request only, before anything reads the form."""
    if _takes_uploads():
        config = current_app.config
        request.max_content_length = (
            config["DOCUMENT_MAX_FILES"] * config["DOCUMENT_MAX_BYTES"] + UPLOAD_FORM_ALLOWANCE
        )
        request.max_form_parts = config["DOCUMENT_MAX_FILES"] + 20


def _takes_uploads() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "takes_uploads", False)


def refuse_streamed_bodies_over_the_limit() -> None:
    """A body sent without Content-Length (chunked) is cut at MAX_CONTENT_LENGTH by
    Werkzeug without a word; read it here (it stays cached for the view) and refuse it
    if it reached the limit, so no view works on half a body."""
    limit = request.max_content_length
    streamed = request.content_length is None and request.environ.get("wsgi.input_terminated")
    if _takes_uploads():
        # Not held in memory: the form parser reads the stream, which Werkzeug's limit
        # cuts with a 413 of its own.
        return
    if limit is not None and streamed and len(request.get_data(cache=True)) >= limit:
        raise RequestEntityTooLarge()


def refuse_unstorable_text() -> None:
    """400 naming the part of the request that holds a NUL or a lone surrogate."""
    found: dict[str, str] = {}
    if unstorable(request.path):
        found["path"] = unstorable_problem()
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            if unstorable(name) or unstorable(value):
                found[_printable(name)] = unstorable_problem()
    if found:
        raise MalformedRequest(unstorable_problem(), found)


def _printable(name: str) -> str:
    return "".join("\ufffd" if unstorable(char) else char for char in name)


def register(app: Flask) -> None:
    app.json = StrictJSONProvider(app)
    app.before_request(allow_uploads_on_upload_routes)
    app.before_request(refuse_streamed_bodies_over_the_limit)
    app.before_request(refuse_unstorable_text)
