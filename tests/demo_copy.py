"""The demo, seeded once per test process and copied into each test's empty database.

Seeding walks every story through the services and takes seconds; about two hundred
tests start from the demo, so each copies the rows (and the stored document files) that
the first seeding left, which takes milliseconds. A copy is made per day and clock, the
only inputs that change what seed() writes."""

import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Table, bindparam, func, select, text, update

from certtrack.demo import seed
from certtrack.extensions import db
from certtrack.storage import storage_for
from certtrack.storage.filesystem import FileSystemStorage
from tests.database import fillable_tables


@dataclass(frozen=True)
class Copy:
    rows: dict[str, list[dict[str, Any]]]
    files: Path


def read_rows(connection: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the tests empty, in primary-key order."""
    return {
        t.name: [dict(r) for r in connection.execute(select(t).order_by(*t.primary_key)).mappings()]
        for t in fillable_tables()
    }


class DemoCopies:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.copies: dict[tuple[date, datetime], Copy] = {}

    def seed(self, app: Flask, day: date) -> None:
        """What seed(day) would leave in the app's empty database and document store,
        at the current (frozen) time."""
        key = (day, datetime.now().astimezone())
        store = storage_for(app)
        assert isinstance(store, FileSystemStorage), "the demo's copies keep files on disk"
        documents = store.root
        with app.app_context():
            copy = self.copies.get(key)
            if copy is None:
                seed(day)
                with db.engine.connect() as connection:
                    rows = read_rows(connection)
                files = self.folder / f"documents-{len(self.copies)}"
                shutil.copytree(documents, files, dirs_exist_ok=True)
                self.copies[key] = Copy(rows, files)
                return
            with db.engine.begin() as connection:
                for table in fillable_tables():
                    if copy.rows[table.name]:
                        insert_rows(connection, table, copy.rows[table.name])
                if connection.dialect.name == "postgresql":
                    restart_sequences(connection)
            shutil.copytree(copy.files, documents, dirs_exist_ok=True)


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows`; a row may point to a later one of the same table (a label to the
    label that superseded it), so those references are filled in afterwards."""
    own = [fk.parent for fk in table.foreign_keys if fk.column.table is table]
    connection.execute(table.insert(), [{**row, **{c.name: None for c in own}} for row in rows])
    for column in own:
        pointing = [
            {"key": row["id"], "target": row[column.name]} for row in rows if row[column.name]
        ]
        if pointing:
            connection.execute(
                update(table)
                .where(table.c.id == bindparam("key"))
                .values({column.name: bindparam("target")}),
                pointing,
            )


def restart_sequences(connection: Connection) -> None:
    """Let the next row of each table take the id after the copied ones."""
    for table in fillable_tables():
        if "id" in table.c and table.c.id.autoincrement in (True, "auto"):
            highest = connection.scalar(select(func.max(table.c.id)))
            if highest is not None:
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                    {"table": table.name, "value": highest},
                )
