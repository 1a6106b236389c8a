"""One log line per request (logger "certtrack.requests"): its id, method, path, status
and duration. The id is the caller's X-Request-ID when it is sane, else a new one, and
goes back in the response's X-Request-ID. The path never has its query string (it may
carry tokens) and secret path parts (reset and invitation tokens, calendar feed
secrets, unsubscribe tokens) are masked. CERTTRACK_LOG_FORMAT=json writes every line
of the application's log as one JSON object, for log shippers."""

import json
import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from flask.signals import request_started
from werkzeug.wrappers import Response

logger = logging.getLogger("certtrack.requests")

# Letters, digits and a few separators, as load balancers and tracers make them.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# URL parts named so are secrets: the path shows them as this.
SECRET_VIEW_ARGS = frozenset({"token", "secret"})
MASK = "[secret]"
LOG_FORMATS = frozenset({"text", "json"})
# The fields a request's line carries, as attributes of its record.
FIELDS = ("request_id", "method", "path", "status", "duration_ms")


def loggable_path() -> str:
    """The request's path without its query string, its secret parts masked."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_VIEW_ARGS and isinstance(value, str) and value:
            path = path.replace(value, MASK)
    return path


def request_id() -> str | None:
    """The current request's id, if in a request."""
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if "request_id" not in entry and (current := request_id()):
            entry["request_id"] = current
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _start(_app: Flask, **_extra: Any) -> None:
    # A signal, not before_request: it runs before any before_request that may refuse.
    g.request_started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex


def log_whole_process(app: Flask) -> None:
    """For a long-running command (the scheduler): every logger of the process, the
    libraries' too, writes through the app's handler (JSON when configured), once."""
    app.logger.removeHandler(default_handler)
    root = logging.getLogger()
    root.addHandler(default_handler)
    root.setLevel(logging.INFO)


def register(app: Flask) -> None:
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)  # the request lines are INFO
    log_format = str(app.config["CERTTRACK_LOG_FORMAT"]).lower()
    if log_format not in LOG_FORMATS:
        raise RuntimeError(f"CERTTRACK_LOG_FORMAT must be text or json, not {log_format!r}")
    if log_format == "json":
        default_handler.setFormatter(JsonFormatter())
    request_started.connect(_start, app)

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        response.headers["X-Request-ID"] = g.get("request_id") or ""
        fields = {
            "request_id": g.get("request_id"),
            "method": request.method,
            "path": loggable_path(),
            "status": response.status_code,
            "duration_ms": duration_ms,
        }
        logger.info(
            "%(method)s %(path)s %(status)s %(duration_ms)sms id=%(request_id)s",
            fields,
            extra=fields,
        )
        return response
