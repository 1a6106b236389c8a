"""Refreshing the query planner's statistics after bulk work, so plans are made for the
tables as they now are (SQLite keeps none until ANALYZE runs; PostgreSQL's autovacuum
would analyse them only later)."""

from typing import Any, cast

from sqlalchemy import Table, text

from certtrack.extensions import db


def analyse(*models: Any) -> None:
    """ANALYZE the tables of `models` on PostgreSQL (every table when none is named);
    SQLite analyses the whole database, from a sample of each index, which is enough
    for the planner and keeps it quick."""
    names = ", ".join(cast(Table, model.__table__).name for model in models)
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"ANALYZE {names}"))
        else:
            connection.execute(text("PRAGMA analysis_limit = 1000"))
            connection.execute(text("ANALYZE"))
        connection.commit()
