"""/healthz and /readyz: ready only with a reachable database at the migrations' head
and a recent scheduler heartbeat; answers say which check failed and nothing else."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import text

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.leadership import Candidate

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LEADER = Candidate("c" * 32, "scheduler-host.internal", 4242)


def beat_at(app, moment: datetime) -> None:  # type: ignore[no-untyped-def]
    with app.app_context(), time_machine.travel(moment, tick=False):
        assert leadership.try_lead(LEADER, utcnow())


def test_healthz_answers_without_touching_anything(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_with_the_database_migrated_and_a_fresh_heartbeat(app, client):
    beat_at(app, START)
    with time_machine.travel(START + timedelta(seconds=299), tick=False):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "schema": "ok", "scheduler": "ok"},
    }


def test_a_stale_heartbeat_is_not_ready(app, client):
    beat_at(app, START)
    with time_machine.travel(START + timedelta(seconds=301), tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not_ready"
    assert body["checks"] == {"database": "ok", "schema": "ok", "scheduler": "stale"}
    assert "scheduler-host" not in response.get_data(as_text=True)  # no host names


def test_the_heartbeat_age_limit_is_a_setting(app, client):
    app.config["CERTTRACK_HEARTBEAT_MAX_AGE_SECONDS"] = "30"  # as the environment gives it
    beat_at(app, START)
    with time_machine.travel(START + timedelta(seconds=31), tick=False):
        assert client.get("/readyz").get_json()["checks"]["scheduler"] == "stale"


def test_no_scheduler_ever_is_not_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["scheduler"] == "never_seen"


def test_an_unmigrated_database_is_not_ready(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    response = app.test_client().get("/readyz")
    with app.app_context():
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["checks"] == {
        "database": "ok",
        "schema": "not_migrated",
        "scheduler": "unknown",
    }


def test_a_database_behind_the_head_is_not_ready(app, client):
    beat_at(app, datetime.now(UTC))
    with app.app_context():
        head = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = '0006'"))
        db.session.commit()
        try:
            response = client.get("/readyz")
        finally:
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert response.status_code == 503
    assert response.get_json()["checks"]["schema"] == "not_at_head"


def test_an_unreachable_database_is_not_ready_and_says_nothing_about_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not_ready",
        "checks": {"database": "failed", "schema": "unknown", "scheduler": "unknown"},
    }
    assert "sqlite" not in response.get_data(as_text=True).lower()
