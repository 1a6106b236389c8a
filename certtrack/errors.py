"""The one place that turns errors into responses: JSON under /api/, pages elsewhere."""

from flask import Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from certtrack.extensions import db
from certtrack.observability.request_log import loggable_path
from certtrack.safe_redirect import back
from certtrack.workflow.errors import WorkflowError

API_PREFIX = "/api/"


def wants_json() -> bool:
    # The API, and the open-data downloads that answer JSON (/register.json).
    return request.path.startswith(API_PREFIX) or request.path.endswith(".json")


def json_error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> tuple[dict[str, object], int]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}, status


class MalformedRequest(BadRequest):
    """Input refused before any view sees it (a NUL, a lone surrogate, JSON nested too
    deep); `fields` names where it was found."""

    def __init__(self, description: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.fields = fields or {}


# Codes that read better than Werkzeug's names ("request_entity_too_large").
CODES = {413: "payload_too_large"}


def _description(error: HTTPException) -> str:
    if error.code == 413:
        return _("The request is too large.")
    return error.description or error.name


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(WorkflowError)
    def workflow_error(error: WorkflowError) -> ResponseReturnValue:
        db.session.rollback()
        if wants_json():
            return json_error(error.status, error.code, error.message, error.fields)
        if request.method == "POST" and error.status not in (403, 404):
            # A refused step: say why, back on the page it came from.
            details = [m for m in error.fields.values() if m not in error.message]
            flash(" ".join([error.message, *details]), "danger")
            return redirect(back(url_for("main.index")))
        return render_template(
            "errors/error.html", status=error.status, message=error.message
        ), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        if wants_json():
            code = CODES.get(status) or (error.name or "error").lower().replace(" ", "_")
            fields = getattr(error, "fields", None)
            body, _status = json_error(status, code, _description(error), fields)
            # Keep what the error says in headers (WWW-Authenticate, Allow, Retry-After).
            headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
            return body, status, headers
        if status in (301, 302, 303, 307, 308):
            return error.get_response()
        return render_template(
            "errors/error.html", status=status, message=_description(error)
        ), status

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, loggable_path())
        message = _("Something went wrong on our side; nothing was saved.")
        if wants_json():
            return json_error(500, "internal_error", message)
        return render_template(
            "errors/error.html", status=500, message=message
        ), InternalServerError.code
