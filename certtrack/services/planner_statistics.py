"""Refreshing the query planner's statistics after bulk work, so plans are made for the
tables as they now are (SQLite keeps none until ANALYZE runs; PostgreSQL's autovacuum
would analyse them only later)."""

from typing import Any, cast

from sqlalchemy import Table, text

from certtrack.extensions import db

# Rows of each index SQLite reads to analyse a named table. A sample of 1,000 had told
# the planner that an agency holding all of 10,000 clusters held about 1,000, and the
# labels API then sorted every label instead of reading them in order.
SQLITE_SAMPLE_ROWS = 10_000


def analyse(*models: Any) -> None:
    """ANALYZE the tables of `models`, or every table, fully, when none is named (after
    a bulk load). SQLite analyses a named table from a sample of each index, which keeps
    a daily pass that wrote many rows quick."""
    tables = [cast(Table, model.__table__).name for model in models]
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"ANALYZE {', '.join(tables)}"))
        elif tables:
            connection.execute(text(f"PRAGMA analysis_limit = {SQLITE_SAMPLE_ROWS}"))
            for table in tables:
                connection.execute(text(f'ANALYZE "{table}"'))
        else:
            connection.execute(text("PRAGMA analysis_limit = 0"))  # every row
            connection.execute(text("ANALYZE"))
        connection.commit()
