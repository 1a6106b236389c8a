"""A document's bytes as a download: streamed, always an attachment, never sniffed."""

from urllib.parse import quote

from flask import request
from werkzeug.wrappers import Response
from werkzeug.wsgi import wrap_file

from certtrack.models import Document
from certtrack.storage import CHUNK

SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-()+,")


def content_disposition(file_name: str) -> str:
    """`attachment` with the name twice (RFC 6266): an ASCII fallback of safe characters
    only (no quote, backslash, CR or LF can reach the header) and the exact name as
    UTF-8 in filename*."""
    fallback = "".join(c if c in SAFE_ASCII else "_" for c in file_name).strip() or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def file_response(document: Document, stream: object) -> Response:
    """Stream `stream` (closed when the response is) as the document's download."""
    body = wrap_file(request.environ, stream, CHUNK)  # type: ignore[arg-type]
    response = Response(body, mimetype=document.content_type, direct_passthrough=True)
    response.content_length = document.size
    response.headers["Content-Disposition"] = content_disposition(document.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    # Opened in a tab after all, an HTML or SVG smuggled in would run nothing.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
