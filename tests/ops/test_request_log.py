"""One line per request with its id; JSON lines on request; and no password, token,
feed secret or reset link in any log line, whatever the request carried."""

import json
import logging
import re
from datetime import UTC, datetime

import pytest
import time_machine
from flask.logging import default_handler
from sqlalchemy import select

from certtrack import create_app
from certtrack.demo import seed
from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import OutboxMessage
from certtrack.observability.request_log import JsonFormatter, log_whole_process

NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
EMAIL = "manager@area.example"


def request_lines(caplog) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.name == "certtrack.requests"]


def test_one_line_per_request_with_its_id_and_no_query_string(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get(
        "/login?next=/account&token=in-the-query", headers={"X-Request-ID": "lb-42.a:b"}
    )
    assert response.headers["X-Request-ID"] == "lb-42.a:b"
    (line,) = request_lines(caplog)
    assert (line.request_id, line.method, line.path, line.status) == (
        "lb-42.a:b",
        "GET",
        "/login",
        200,
    )
    assert line.duration_ms >= 0
    assert line.getMessage().startswith("GET /login 200 ")
    assert "in-the-query" not in line.getMessage()


@pytest.mark.parametrize(
    "offered", ["", "has space", "x" * 129, 'quote"d', "-starts-with-dash", "../../etc"]
)
def test_an_insane_request_id_is_replaced(client, caplog, offered):
    caplog.set_level(logging.INFO)
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert request_lines(caplog)[0].request_id == response.headers["X-Request-ID"]


def test_refused_requests_are_logged_and_get_an_id_too(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/clusters?q=%00")  # refused before any view
    assert response.status_code == 400 and response.headers["X-Request-ID"]
    assert request_lines(caplog)[0].status == 400


@pytest.fixture
def json_logging():  # type: ignore[no-untyped-def]
    original = default_handler.formatter
    yield
    default_handler.setFormatter(original)


def test_json_lines_for_log_shippers(migrated, json_logging, caplog):
    caplog.set_level(logging.INFO)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, CERTTRACK_LOG_FORMAT="json")
    app.test_client().get("/healthz?secret=x", headers={"X-Request-ID": "abc"})
    with app.app_context():
        db.engine.dispose()
    assert isinstance(default_handler.formatter, JsonFormatter)
    entry = json.loads(default_handler.format(request_lines(caplog)[0]))
    assert entry["logger"] == "certtrack.requests" and entry["level"] == "INFO"
    assert {k: entry[k] for k in ("request_id", "method", "path", "status")} == {
        "request_id": "abc",
        "method": "GET",
        "path": "/healthz",
        "status": 200,
    }


@pytest.fixture
def demo(app):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False):
        with app.app_context():
            seed(NOON.date())
        yield app


def test_no_secret_reaches_any_log_line(demo, caplog):
    """Sign in, use an API token, change the password, read the calendar feed, reset the
    password by its link: every record of every logger, as text and as JSON, is clean."""
    caplog.set_level(logging.DEBUG)  # everything: SQL statements and their parameters too
    secrets: list[str] = [PASSWORD]
    client = demo.test_client()
    assert client.post("/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    secrets.append(client.get_cookie("session").value)

    api = demo.test_client()
    token = api.post("/api/v1/auth/token", json={"email": EMAIL, "password": PASSWORD}).get_json()[
        "token"
    ]
    secrets.append(token)
    assert (
        api.get("/api/v1/labels", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )

    changed = "a-new-password-1"
    response = client.post(
        "/account/password", data={"current": PASSWORD, "new": changed, "confirm": changed}
    )
    assert response.status_code == 302
    secrets.append(changed)

    page = client.post("/account/calendar").get_data(as_text=True)
    feed = re.search(r"data-feed-url>([^<]+)<", page).group(1).removeprefix("http://127.0.0.1:5000")
    secrets.append(feed.removeprefix("/calendar/").removesuffix(".ics"))
    assert demo.test_client().get(feed).status_code == 200

    anonymous = demo.test_client()
    anonymous.post("/password/forgot", data={"email": EMAIL})
    with demo.app_context():
        link = db.session.scalars(
            select(OutboxMessage.link).where(OutboxMessage.kind == "password_reset")
        ).one()
    secrets.append(link.removeprefix("/password/reset/"))
    assert anonymous.get(link).status_code == 200
    reset = "reset-password-22"
    assert anonymous.post(link, data={"password": reset, "confirm": reset}).status_code == 302
    secrets.append(reset)

    formatter = JsonFormatter()
    logged = "\n".join(
        f"{record.getMessage()}\n{formatter.format(record)}\n{record.__dict__}"
        for record in caplog.records
    )
    assert len(request_lines(caplog)) == 9
    assert "/password/reset/[secret]" in logged and "/calendar/[secret].ics" in logged
    leaked = [secret[:6] + "…" for secret in secrets if secret in logged]
    assert leaked == []


def test_an_unknown_log_format_stops_the_start(migrated):
    with pytest.raises(RuntimeError, match="CERTTRACK_LOG_FORMAT must be text or json"):
        create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, CERTTRACK_LOG_FORMAT="xml")


def test_a_long_running_command_writes_each_line_once(app, capsys):
    """The scheduler's lines and its libraries' go through the app's one handler."""
    root = logging.getLogger()
    level, handlers, app_handlers = root.level, list(root.handlers), list(app.logger.handlers)
    try:
        log_whole_process(app)
        app.logger.info("daily pass: done")
        logging.getLogger("apscheduler.scheduler").info("job executed")
        err = capsys.readouterr().err
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        app.logger.handlers[:] = app_handlers  # as it was: other tests read the output
    assert err.count("daily pass: done") == 1
    assert err.count("job executed") == 1
