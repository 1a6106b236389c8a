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
