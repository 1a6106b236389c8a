"""Migrations build the schema from nothing, match the models exactly, and go back down."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

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
