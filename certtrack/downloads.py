"""Files the site hands out (CSV exports, PDF reports): the headers that make a browser
save them under a safe name and keep private ones out of every cache."""

from flask import Response


def private_attachment(content: bytes, mimetype: str, file_name: str) -> Response:
    """`content` to save as `file_name` (ASCII letters, digits, '-' and '.' only), never
    stored by a browser or proxy cache: it is one reader's view of private data."""
    return Response(
        content,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name}"',
            "Cache-Control": "private, no-store",
        },
    )
