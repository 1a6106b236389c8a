"""Render times and SQL statement counts of the busiest pages for a large portfolio.

    .venv/bin/python scripts/benchmark_pages.py [--clusters 300] [--runs 20]

Seeds an empty SQLite database (or DATABASE_URL) through the real services: one
agency with N clusters in a mix of states, then signs in as each role and requests
each page `runs` times through the WSGI app. Prints the median and the 95th percentile
in milliseconds and the statements per request. A figure to watch, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Level, Role
from certtrack.services.time_events import run_time_events
from certtrack.services.users import create_user
from certtrack.statements import recorded

PASSWORD = "benchmark-password"  # noqa: S105  (throwaway benchmark accounts)
PROFILE = {
    "country": "IT",
    "region": "Friuli Venezia Giulia",
    "sector": "Manufacturing",
    "website": "https://example.org",
    "website_in_english": True,
    "eccp_listed": True,
    "staff_fte": 2,
    "committed_members": 40,
    "member_types": ["sme", "research"],
}


def seed(clusters: int, today: date) -> None:
    agency = Agency(name="Informest", short_name="INF", country="IT", region="FVG")
    db.session.add(agency)
    db.session.commit()
    user = dict(password=PASSWORD)
    coordinator = create_user(
        email="coord@x.example", name="Coordinator", role=Role.COORDINATOR, agency=agency, **user
    )
    create_user(email="admin@x.example", name="Admin", role=Role.ADMIN, **user)
    experts = [
        create_user(email=f"e{i}@x.example", name=f"Expert {i}", role=Role.CONSULTANT, **user)
        for i in range(10)
    ]
    for i in range(clusters):
        cluster = Cluster(agency_id=agency.id, name=f"Cluster {i:04d}", **PROFILE)
        db.session.add(cluster)
        db.session.commit()
        manager = create_user(
            email=f"m{i}@x.example", name=f"Manager {i}", role=Role.MANAGER, cluster=cluster, **user
        )
        story = Story(cluster, manager, coordinator)
        interview = today - timedelta(days=60 + (i * 7) % 900)
        if i % 3 == 0:
            story.labelled(Level.BRONZE, experts[i % 10], interview, started=40, follow_up=10)
        elif i % 3 == 1:
            story.start(Level.BRONZE, today - timedelta(days=30))
            story.submit_and_assign(experts[i % 10], today - timedelta(days=i % 30))
        else:
            story.start(Level.BRONZE, today - timedelta(days=10))
            story.fire("submit", manager, today - timedelta(days=i % 9))
    run_time_events(today)


def measure(app, email: str, urls: list[str], runs: int) -> list[tuple[str, float, float, int]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    with app.app_context():
        engine = db.engine
    results = []
    for url in urls:
        timings = []
        with recorded(engine) as statements:
            for _run in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]
        results.append((url, statistics.median(timings), p95, len(statements) // runs))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite")
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",  # noqa: S106  (a method name, not a password)
        )
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            seed(args.clusters, date.today())
            elapsed = time.perf_counter() - started
            print(f"seeded {args.clusters} clusters in {elapsed:.1f} s ({url.split(':')[0]})")
        rows = measure(
            app, "coord@x.example", ["/dashboard", "/board", "/clusters", "/expiring"], args.runs
        )
        rows += measure(app, "e1@x.example", ["/dashboard"], args.runs)
        rows += measure(app, "m0@x.example", ["/clusters/1"], args.runs)
        rows += measure(app, "admin@x.example", ["/admin/users"], args.runs)
        print(f"{'page':<18}{'median ms':>10}{'p95 ms':>9}{'statements':>12}")
        for url, median, p95, statements in rows:
            print(f"{url:<18}{median:>10.1f}{p95:>9.1f}{statements:>12}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
