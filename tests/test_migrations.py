"""Migrations build the schema from nothing, match the models exactly, and go back down."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select, text

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import IndicatorDefinition, IndicatorKind


def schema_diff() -> list:
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrade_empty_database_matches_models(empty_database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade()
        assert schema_diff() == []
        counts = dict(
            db.session.execute(
                select(IndicatorDefinition.kind, func.count()).group_by(IndicatorDefinition.kind)
            ).all()
        )
        assert counts == {
            IndicatorKind.BENCHMARK: 36,
            IndicatorKind.BASELINE: 8,
            IndicatorKind.QUALITY: 31,
        }
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert schema_diff() == []
        db.engine.dispose()


def test_0005_gives_existing_outbox_rows_unique_message_ids(empty_database_url):
    """Sent rows keep the id they went out with; the others get a fresh unique one under
    the sending domain."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO user_account (id, email, name, role, languages, locale, active,"
                    " created_at) VALUES (1, 'a@x.example', 'A', 'admin', '[]', 'en', true,"
                    " '2026-01-01 00:00:00')"
                )
            )
            for row_id, status in ((1, "sent"), (2, "pending"), (3, "failed")):
                connection.execute(
                    text(
                        "INSERT INTO outbox_message (id, key, kind, recipient_id, link, context,"
                        " status, attempts, next_attempt_at, created_at) VALUES (:id, :key,"
                        " 'password_reset', 1, '/', '{}', :status, 0, '2026-01-01 00:00:00',"
                        " '2026-01-01 00:00:00')"
                    ),
                    {"id": row_id, "key": f"k{row_id}", "status": status},
                )
        upgrade()
        with db.engine.connect() as connection:
            ids = dict(connection.execute(text("SELECT id, message_id FROM outbox_message")).all())
        assert ids[1] == "<outbox-1@certtrack>"
        assert ids[2] != ids[3]
        assert all(ids[n].endswith("@certtrack.example>") for n in (2, 3))
        assert schema_diff() == []
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_0016_backfills_when_each_application_entered_its_state(empty_database_url):
    """The latest history row into the current state (a step that kept the state is no
    new stage), else the day of creation."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="0015")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO agency (id, name, short_name, country, region)"
                    " VALUES (1, 'Informest', 'INF', 'IT', 'FVG')"
                )
            )
            for app_id, state in ((1, "consultant_review"), (2, "draft")):
                connection.execute(
                    text(
                        "INSERT INTO cluster (id, agency_id, name, country, website_in_english,"
                        " eccp_listed, member_types, created_at) VALUES (:id, 1, :name, 'IT',"
                        " false, false, '[]', '2026-01-01 00:00:00')"
                    ),
                    {"id": app_id, "name": f"C{app_id}"},
                )
                connection.execute(
                    text(
                        "INSERT INTO application (id, cluster_id, level, state, version,"
                        " created_at) VALUES (:id, :id, 'bronze', :state, 1, :created)"
                    ),
                    {"id": app_id, "state": state, "created": f"2026-01-0{app_id} 09:00:00"},
                )
            history = [
                (1, "create", None, "draft", "2026-01-01 09:00:00"),
                (1, "submit", "draft", "submitted", "2026-01-05 09:00:00"),
                (1, "assign_consultant", "submitted", "consultant_review", "2026-01-09 09:00:00"),
                (1, "reassign_consultant", "consultant_review", "consultant_review",
                 "2026-02-01 09:00:00"),
            ]  # fmt: skip
            for app_id, event, source, target, at in history:
                connection.execute(
                    text(
                        "INSERT INTO audit_entry (application_id, event, from_state, to_state,"
                        " at, data) VALUES (:app, :event, :source, :target, :at, '{}')"
                    ),
                    {"app": app_id, "event": event, "source": source, "target": target, "at": at},
                )
        upgrade()
        with db.engine.connect() as connection:
            entered = dict(
                connection.execute(text("SELECT id, state_entered_at FROM application")).all()
            )
        assert str(entered[1]).startswith("2026-01-09 09:00:00")
        assert str(entered[2]).startswith("2026-01-02 09:00:00")
        assert schema_diff() == []
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
