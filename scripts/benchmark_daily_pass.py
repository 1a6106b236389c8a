# ruff: noqa: E501  (seed rows read best one record per line)
"""How long the daily pass takes, and how many SQL statements it runs, for a large scheme.

    .venv/bin/python scripts/benchmark_daily_pass.py [--clusters 10000]
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python scripts/benchmark_daily_pass.py

Seeds an empty database (a temporary SQLite file unless DATABASE_URL is set) with one
agency and N clusters, each with a manager and a Bronze label whose end is spread over
the next two years and the past grace year (states consistent with the day, as the daily
pass would have left them), three recommendations each. Then runs the pass for two
consecutive days and prints, for each: seconds, SQL statements, workflow events fired,
messages queued. Deciding is a fixed number of statements; the events fired that day
and the rows written add their own. A figure to watch, not a test.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    Cluster,
    Label,
    LabelStatus,
    Level,
    Recommendation,
    Report,
    Role,
    State,
    User,
)
from certtrack.services.reminders import run_daily_pass
from certtrack.statements import recorded
from certtrack.workflow.dates import grace_end, month_start, valid_until

TODAY = date(2026, 11, 25)


def seed(count: int) -> None:
    now = datetime(2024, 1, 1)
    db.session.execute(
        insert(Agency),
        [{"id": 1, "name": "Informest", "short_name": "INF", "country": "IT", "region": "FVG"}],
    )
    db.session.execute(
        insert(User),
        [
            {
                "id": i + 1,
                "email": f"coord{i}@x.example",
                "name": f"Coordinator {i}",
                "role": Role.COORDINATOR,
                "agency_id": 1,
                "languages": [],
                "locale": "en",
            }
            for i in range(3)
        ],
    )
    clusters, managers, applications, labels, reports, recommendations = [], [], [], [], [], []
    for i in range(1, count + 1):
        # Interviews over ~3 years: labels that end soon, later, or lapsed in their grace year.
        interview = TODAY - timedelta(days=int(i * 1095 / count)) - timedelta(days=200)
        until = valid_until(interview, 24)
        if grace_end(until, 12) < TODAY:
            state, status = State.EXPIRED, LabelStatus.EXPIRED
        elif until < TODAY:
            state, status = State.LAPSED, LabelStatus.LAPSED
        elif until <= TODAY + timedelta(days=180):
            state, status = State.RENEWAL_DUE, LabelStatus.VALID
        else:
            state, status = State.FOLLOW_UP, LabelStatus.VALID
        clusters.append(
            {
                "id": i,
                "agency_id": 1,
                "name": f"Cluster {i:05d}",
                "country": "IT",
                "region": "FVG",
                "sector": "Manufacturing",
                "member_types": ["sme"],
                "website_in_english": True,
                "eccp_listed": True,
                "created_at": now,
            }
        )
        managers.append(
            {
                "id": 100 + i,
                "email": f"manager{i}@x.example",
                "name": f"Manager {i}",
                "role": Role.MANAGER,
                "cluster_id": i,
                "languages": [],
                "locale": "it" if i % 2 else "en",
            }
        )
        applications.append(
            {
                "id": i,
                "cluster_id": i,
                "level": Level.BRONZE,
                "state": state,
                "version": 1,
                "interview_date": interview,
                "created_at": now,
            }
        )
        labels.append(
            {
                "id": i,
                "cluster_id": i,
                "application_id": i,
                "level": Level.BRONZE,
                "number": f"B-IT-{interview.year}-{i:05d}",
                "interview_month": month_start(interview),
                "issued_on": interview + timedelta(days=7),
                "valid_until": until,
                "status": status,
            }
        )
        reports.append(
            {
                "id": i,
                "application_id": i,
                "summary": "Report",
                "delivered_at": datetime.combine(interview, datetime.min.time()),
            }
        )
        for n in range(3):
            recommendations.append(
                {
                    "report_id": i,
                    "position": n,
                    "title": f"Recommendation {n}",
                    "priority": "medium",
                    "status": "open",
                    "due_date": interview + timedelta(days=180 * (n + 1)),
                }
            )
    for model, rows in (
        (Cluster, clusters),
        (User, managers),
        (Application, applications),
        (Label, labels),
        (Report, reports),
        (Recommendation, recommendations),
    ):
        db.session.execute(insert(model), rows)
    db.session.commit()


def measure(day: date) -> None:
    with recorded(db.engine) as statements:
        started = time.perf_counter()
        result = run_daily_pass(
            day, now=datetime.combine(day, datetime.min.time()) + timedelta(hours=5)
        )
        elapsed = time.perf_counter() - started
    print(
        f"{day.isoformat()}: {elapsed:6.2f} s, {len(statements):5d} SQL statements, {result.events:4d} workflow events, {result.written:6d} messages queued"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite")
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            seed(args.clusters)
            print(
                f"seeded {args.clusters} clusters with labels in {time.perf_counter() - started:.1f} s ({db.engine.dialect.name})"
            )
            measure(TODAY)  # the first pass also writes what is already due
            measure(TODAY + timedelta(days=1))  # a day like any other
            db.engine.dispose()


if __name__ == "__main__":
    main()
