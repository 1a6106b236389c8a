"""The tables each test empties, and emptying them."""

from sqlalchemy import Table, text

from certtrack.extensions import db

# Reference data that migrations load and tests never change.
KEEP_TABLES = {"indicator_definition", "indicator_scale_level", "alembic_version"}


def fillable_tables() -> list[Table]:
    """The tables a test may fill, parents before children."""
    return [t for t in db.metadata.sorted_tables if t.name not in KEEP_TABLES]


def empty_tables() -> None:
    tables = fillable_tables()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())
