"""How long a portfolio import of N rows takes, and how many SQL statements it runs.

    .venv/bin/python scripts/benchmark_import.py [--rows 10000]
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python scripts/benchmark_import.py

Generates a CSV of N rows (each a new cluster with a manager and a label, ends spread
over the next two years and the past grace year), imports it into an empty database (a
temporary SQLite file unless DATABASE_URL is set, which must be empty), and prints the
seconds and statements of the preview, the commit and a second preview of the same file
(all unchanged). The lookups are a fixed number of statements; the inserts go in
batches. A figure to watch; the target is well under 30 s for 10,000 rows.
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Agency, Role, User
from certtrack.services import portfolio_import
from certtrack.statements import recorded

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 9, 0)


def generate(rows: int) -> bytes:
    """A CSV of `rows` new clusters, each with a manager and a label."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([names["en"] for names in portfolio_import.COLUMNS.values()])
    levels = ("Bronze", "Silver", "Gold")
    for n in range(rows):
        until = TODAY + timedelta(days=(n * 7) % 1095 - 365)
        month = date(until.year - 2, until.month, 1)
        writer.writerow(
            [
                f"Cluster {n:05d}",
                "IT",
                "Friuli Venezia Giulia",
                "Manufacturing",
                f"https://cluster-{n}.example",
                f"Manager {n}",
                f"manager-{n}@cluster-{n}.example",
                levels[n % 3],
                f"IT-{n:06d}",
                month.strftime("%Y-%m"),
                until.strftime("%d/%m/%Y"),
                "",
            ]
        )
    return out.getvalue().encode()


def timed(label: str, action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with recorded(db.engine) as statements:
        result = action()
    print(f"{label:<10} {time.perf_counter() - started:6.2f} s  {len(statements):5d} statements")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    content = generate(args.rows)
    print(f"{args.rows} rows, {len(content) / 1024 / 1024:.1f} MB of CSV")
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            agency = Agency(name="Informest", short_name="INF", country="IT", region="FVG")
            db.session.add(agency)
            db.session.flush()
            admin = User(email="admin@bench.example", name="Admin", role=Role.ADMIN)
            db.session.add(admin)
            db.session.commit()
            plan = timed(
                "preview", lambda: portfolio_import.plan(agency, content, "b.csv", today=TODAY)
            )
            assert not plan.refused, plan.refused[:3]
            timed("commit", lambda: portfolio_import.commit(plan, admin, now=NOW))
            again = timed(
                "again", lambda: portfolio_import.plan(agency, content, "b.csv", today=TODAY)
            )
            print(again.counts())


if __name__ == "__main__":
    main()
