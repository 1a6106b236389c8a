"""The tests' copy of the demo (tests/demo_copy.py) holds exactly what seeding writes,
files included, and new rows after a copy get fresh ids on either database."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Agency, Document
from certtrack.storage import storage_for
from tests.database import empty_tables
from tests.demo_copy import DemoCopies, read_rows

DAY = date(2026, 11, 25)


def stored_files(app) -> set[Path]:  # type: ignore[no-untyped-def]
    root = storage_for(app).root
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def test_a_copy_of_the_demo_is_what_seeding_wrote(app, tmp_path):
    demo_copies = DemoCopies(tmp_path)  # its own, so the first call seeds
    with time_machine.travel(
        datetime(2026, 11, 25, 12, tzinfo=ZoneInfo("Europe/Rome")), tick=False
    ):
        demo_copies.seed(app, DAY)  # the first time, seeded
        with app.app_context(), db.engine.connect() as connection:
            seeded = read_rows(connection)
        files = stored_files(app)
        with app.app_context():
            empty_tables()
        demo_copies.seed(app, DAY)  # then copied
        with app.app_context(), db.engine.connect() as connection:
            assert read_rows(connection) == seeded
    assert seeded["cluster"] and seeded["document"]
    assert files and stored_files(app) == files
    with app.app_context():
        agency = Agency(name="Agenzia nuova", short_name="NUOVA", country="IT", region="Lazio")
        db.session.add(agency)
        db.session.commit()
        assert agency.id == max(row["id"] for row in seeded["agency"]) + 1
        assert db.session.scalar(select(func.count()).select_from(Document)) == len(
            seeded["document"]
        )
