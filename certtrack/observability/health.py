"""/healthz (the process answers) and /readyz (it can serve: the database answers, its
schema is at the migrations' head, the scheduler's heartbeat is recent). No
authentication and nothing private: each check says ok or what is wrong in one word,
never a host name, a version or an error text. Cheap: three one-row queries."""

from datetime import timedelta
from functools import cache

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from certtrack.extensions import db
from certtrack.models.base import utcnow
from certtrack.models.heartbeat import HEARTBEAT_ID, SchedulerHeartbeat

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks = {"database": "failed", "schema": "unknown", "scheduler": "unknown"}
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            checks["database"] = "ok"
            checks["schema"] = _schema(connection)
            if checks["schema"] == "ok":
                checks["scheduler"] = _scheduler(connection)
    except SQLAlchemyError:
        current_app.logger.warning("readyz: the database check failed", exc_info=True)
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The heads of the migration scripts, read once per process."""
    return frozenset(ScriptDirectory(directory).get_heads())


def _schema(connection) -> str:  # type: ignore[no-untyped-def]
    try:
        applied = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return "not_migrated"  # no alembic_version table: the checks stop here
    heads = migration_heads(current_app.extensions["migrate"].directory)
    return "ok" if applied == heads else "not_at_head" if applied else "not_migrated"


def _scheduler(connection) -> str:  # type: ignore[no-untyped-def]
    beat = connection.scalar(
        select(SchedulerHeartbeat.beat_at).where(SchedulerHeartbeat.id == HEARTBEAT_ID)
    )
    if beat is None:
        return "never_seen"
    limit = timedelta(seconds=float(current_app.config["CERTTRACK_HEARTBEAT_MAX_AGE_SECONDS"]))
    return "ok" if utcnow() - beat <= limit else "stale"
