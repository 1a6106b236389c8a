"""Render time and SQL statements of the benchmarking report page for a large scheme.

    .venv/bin/python scripts/benchmark_report.py [--clusters 10000] [--labels 1] [--runs 10]

Seeds an empty SQLite database (or DATABASE_URL) with `flask seed-scale`'s bulk seeder:
every cluster benchmarked (36 values per benchmarking). Then signs in as the admin and
requests, `runs` times each, the application page of one report (the baseline) and
its report page with each peer group. Prints the median and the 95th percentile in
milliseconds and the statements per request. A figure to watch, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app
from certtrack.demo.data import PASSWORD
from certtrack.demo.scale import seed_scale
from certtrack.extensions import db
from certtrack.models import Application, IndicatorValue, Level, Report
from certtrack.statements import recorded


def report_to_read() -> int:
    """The latest delivered Bronze benchmarking of the first cluster."""
    return db.session.scalars(
        select(Application.id)
        .join(Report)
        .where(Report.delivered_at.is_not(None), Application.level == Level.BRONZE)
        .order_by(Application.cluster_id, Application.id.desc())
    ).first()


def measure(app, urls: list[str], runs: int) -> list[tuple[str, float, float, int]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"email": "admin@scale.example", "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        engine = db.engine
    results = []
    for url in urls:
        client.get(url)  # warm the caches once, as a running server has
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
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--labels", type=int, default=1, help="labelled applications per cluster")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite")
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",  # noqa: S106  (a method name, not a password)
        )
        app.logger.disabled = True
        with app.app_context():
            upgrade()
            made = seed_scale(args.clusters, args.labels, max(1, args.clusters // 500))
            values = db.session.scalar(select(func.count()).select_from(IndicatorValue))
            print(
                f"seeded {args.clusters} clusters, {values} indicator values in "
                f"{made.seconds:.1f} s ({url.split(':')[0]})"
            )
            application_id = report_to_read()
        base = f"/applications/{application_id}"
        urls = [base] + [f"{base}/report?group={g}" for g in ("all", "country", "excellence")]
        rows = measure(app, urls, args.runs)
        print(f"{'page':<42}{'median ms':>10}{'p95 ms':>9}{'statements':>12}")
        for page, median, p95, statements in rows:
            print(f"{page:<42}{median:>10.1f}{p95:>9.1f}{statements:>12}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
