"""Checks every request passes before a view sees it: the path, the query string and
form fields hold no NUL or lone surrogate (strict_json does the same for JSON bodies);
bodies beyond MAX_CONTENT_LENGTH and forms beyond Werkzeug's limits are refused (413)."""

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from certtrack.errors import MalformedRequest
from certtrack.strict_json import StrictJSONProvider
from certtrack.text import unstorable, unstorable_problem


def refuse_streamed_bodies_over_the_limit() -> None:
    """A body sent without Content-Length (chunked) is cut at MAX_CONTENT_LENGTH by
    Werkzeug without a word; read it here (it stays cached for the view) and refuse it
    if it reached the limit, so no view works on half a body."""
    limit = request.max_content_length
    streamed = request.content_length is None and request.environ.get("wsgi.input_terminated")
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
    app.before_request(refuse_streamed_bodies_over_the_limit)
    app.before_request(refuse_unstorable_text)
