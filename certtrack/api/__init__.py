"""The JSON API, under /api/v1, on the same services as the web pages."""

from flask import Flask

from certtrack.api import (
    account,
    applications,
    conversation,
    directory,
    documents,
    imports,
    labels,
    recommendations,
    report_pdf,
    reports,
)
from certtrack.api.core import bp
from certtrack.api.openapi import docs_bp
from certtrack.extensions import api
from certtrack.parsing import MAX_ID
from certtrack.routing import IdConverter

__all__ = [
    "account",
    "applications",
    "bp",
    "conversation",
    "directory",
    "documents",
    "imports",
    "labels",
    "recommendations",
    "register",
    "report_pdf",
    "reports",
]


def register(app: Flask) -> None:
    """The API's operations and their document on `app`."""
    api.init_app(app)
    api.register_converter(
        IdConverter, lambda _c: {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    )
    api.register_blueprint(bp)
    app.register_blueprint(docs_bp)
