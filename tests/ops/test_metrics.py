"""/metrics: off without a setting, refused without the token, and what it counts: the
requests of every gunicorn worker, the outbox by status and the scheduler's heartbeat."""

import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Role
from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.invitations import request_password_reset
from certtrack.services.leadership import Candidate
from tests.builders import add_user
from tests.network import free_port

TOKEN = "metrics-token-for-the-test-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def metrics_app(migrated):  # type: ignore[no-untyped-def]
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, CERTTRACK_METRICS_TOKEN=TOKEN)
    yield app
    from tests.database import empty_tables

    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def test_metrics_are_off_without_a_token_or_network(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_metrics_refuse_without_the_token(metrics_app):
    client = metrics_app.test_client()
    missing = client.get("/metrics")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert set(missing.get_json()["error"]) == {"code", "message", "fields"}
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 403
    assert client.get("/metrics", headers=AUTH).status_code == 200


def test_requests_outbox_and_heartbeat_are_measured(metrics_app):
    client = metrics_app.test_client()
    before = samples(client.get("/metrics", headers=AUTH).get_data(as_text=True))
    for _ in range(3):
        client.get("/login")
    client.get("/no/such/page")
    with metrics_app.app_context(), time_machine.travel(START, tick=False) as clock:
        add_user(Role.CONSULTANT, "someone@x.example")
        request_password_reset("someone@x.example")
        leader = Candidate("d" * 32, "h", 1)
        assert leadership.try_lead(leader, utcnow())
        leadership.pass_started(utcnow())
        clock.shift(timedelta(seconds=4))
        leadership.pass_ended(utcnow(), "ok: 0 events, 1 messages queued")
        leadership.dispatched(utcnow(), utcnow() + timedelta(seconds=1), "Outcome()")
        clock.shift(timedelta(seconds=10))
        response = client.get("/metrics", headers=AUTH)
    assert response.mimetype == "text/plain"
    after = samples(response.get_data(as_text=True))
    login = (
        "certtrack_http_requests_total",
        (("endpoint", "auth.login"), ("method", "GET"), ("status", "200")),
    )
    assert after[login] - before.get(login, 0) == 3
    unmatched = (
        "certtrack_http_requests_total",
        (("endpoint", "unmatched"), ("method", "GET"), ("status", "404")),
    )
    assert after[unmatched] - before.get(unmatched, 0) == 1
    latency = (
        "certtrack_http_request_duration_seconds_count",
        (("endpoint", "auth.login"), ("method", "GET")),
    )
    assert after[latency] - before.get(latency, 0) == 3
    assert not any(dict(labels).get("endpoint") == "observability.metrics" for _, labels in after)
    assert after[("certtrack_outbox_messages", (("status", "pending"),))] == 1
    assert after[("certtrack_outbox_messages", (("status", "failed"),))] == 0
    assert after[("certtrack_outbox_failed_messages", ())] == 0
    assert after[("certtrack_scheduler_heartbeat_age_seconds", ())] == 14
    assert after[("certtrack_daily_pass_age_seconds", ())] == 14
    assert after[("certtrack_daily_pass_duration_seconds", ())] == 4
    assert after[("certtrack_daily_pass_succeeded", ())] == 1
    assert after[("certtrack_dispatch_duration_seconds", ())] == 1


def test_two_gunicorn_workers_are_both_counted(migrated, tmp_path):
    """A real gunicorn with two workers and PROMETHEUS_MULTIPROC_DIR: requests spread
    over both workers, and one scrape counts them all."""
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": migrated,
        "CERTTRACK_METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
    }
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "-c",
            "python:certtrack.observability.gunicorn_hooks",
            "wsgi:app",
        ],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"

    def get(path: str, headers: dict[str, str] | None = None) -> str:
        headers = {"Connection": "close", **(headers or {})}
        request = urllib.request.Request(base + path, headers=headers)  # noqa: S310  (http only)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  (our server)
            return response.read().decode()

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get("/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)  # waiting for another process to listen
        sent = 40
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda _: get("/login"), range(sent)))
        scraped = samples(get("/metrics", AUTH))
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    login = (
        "certtrack_http_requests_total",
        (("endpoint", "auth.login"), ("method", "GET"), ("status", "200")),
    )
    assert scraped[login] == sent, output
    # Each worker counts in its own file: both served some of the requests.
    per_worker = [
        sum(
            sample.value
            for family in MultiProcessCollector.merge([str(path)])
            for sample in family.samples
            if sample.labels.get("endpoint") == "auth.login"
        )
        for path in sorted(multiproc.glob("counter_*.db"))
    ]
    assert len(per_worker) == 2 and all(count > 0 for count in per_worker), (per_worker, output)


def test_a_mistyped_network_stops_the_start(migrated):
    with pytest.raises(RuntimeError, match=r"CERTTRACK_METRICS_NETWORKS: .*10\.0\.0\.300"):
        create_app(
            "testing", SQLALCHEMY_DATABASE_URI=migrated, CERTTRACK_METRICS_NETWORKS="10.0.0.300/8"
        )
