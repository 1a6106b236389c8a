"""HTML sizes, render times and SQL statement counts of the busiest pages at scale.

    .venv/bin/python scripts/benchmark_pages.py [--clusters 10000] [--labels-per-cluster 10]
        [--runs 20] [--slowest 3] [--postgresql] [--only /board]
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python scripts/benchmark_pages.py

Seeds an empty SQLite database (with --postgresql a database on a throwaway server
started as tests/postgres.py does; or DATABASE_URL, where one seeded by an earlier run is
measured again as it is) with `flask seed-scale`'s seeder: one
agency with N clusters in every state of the workflow and their chains of labels. Then
signs in as each role and requests each page `runs` times through the WSGI app, its
garbage collector settled as a gunicorn worker's is (observability.gunicorn_hooks).
Prints the HTML size in KB, the median and the 95th percentile in milliseconds and the
statements per request, and flags a page over the budget (150 KB, p95 150 ms). With
`--slowest N`, each page's N slowest statements follow (mean cursor time per request),
the ones to look at with EXPLAIN; `--only TEXT` measures the pages whose address holds
TEXT. A last line says whether every page met each target. A figure to watch, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from certtrack import create_app
from certtrack.demo.data import PASSWORD
from certtrack.demo.scale import NotEmpty, seed_scale
from certtrack.extensions import db
from certtrack.observability.gunicorn_hooks import settle_garbage_collector
from certtrack.statements import timed

BUDGET_KB, BUDGET_MS = 150, 150
COORDINATOR = "coordinator1@scale.example"
PAGES = {
    COORDINATOR: [
        "/dashboard",
        "/board",
        "/board?level=bronze&q=cluster&submitted_page=3",
        "/clusters",
        "/clusters?page=200",
        "/expiring",
        "/expiring?within=30",
        "/notifications",
    ],
    "consultant1@scale.example": ["/dashboard"],
    "manager1@scale.example": ["/clusters/1"],
    "admin@scale.example": [
        "/dashboard",
        "/board",
        "/clusters",
        "/expiring",
        "/admin/users",
        "/admin/users?page=300",
        "/notifications/failed",
    ],
}


# role, page, KB, median, p95, statements per request, [(ms per request, statement)]
Row = tuple[str, str, float, float, float, int, list[tuple[float, str]]]


def percentile_95(timings: list[float]) -> float:
    return sorted(timings)[max(0, int(len(timings) * 0.95) - 1)]


def measure(app, email: str, urls: list[str], runs: int) -> list[Row]:  # type: ignore[no-untyped-def]
    """Each of `urls` requested `runs` times by `email` through the WSGI app."""
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    with app.app_context():
        engine = db.engine
    results = []
    for url in urls:
        timings = []
        with timed(engine) as statements:
            for _run in range(runs):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        per_statement: dict[str, float] = {}
        for statement, ms in statements:
            per_statement[statement] = per_statement.get(statement, 0.0) + ms / runs
        slowest = sorted(((ms, sql) for sql, ms in per_statement.items()), reverse=True)
        size = len(response.get_data()) / 1024
        role = email.split("@")[0].rstrip("0123456789")
        median, p95 = statistics.median(timings), percentile_95(timings)
        results.append((role, url, size, median, p95, len(statements) // runs, slowest))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--labels-per-cluster", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--slowest", type=int, default=0, help="statements shown per page")
    parser.add_argument("--only", default="", help="only the pages whose address holds this")
    parser.add_argument(
        "--postgresql", action="store_true", help="start a throwaway PostgreSQL server"
    )
    args = parser.parse_args()
    url, stop = os.environ.get("DATABASE_URL"), None
    if args.postgresql and url is None:
        from tests import postgres

        url, stop = postgres.start("certtrack_bench")
    try:
        run(url, args)
    finally:
        if stop is not None:
            stop()


def run(url: str | None, args: argparse.Namespace) -> None:
    """Seed (unless already seeded), measure every page and print the table."""
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",  # noqa: S106  (a method name, not a password)
        )
        with app.app_context():
            upgrade()
            try:
                made = seed_scale(args.clusters, args.labels_per_cluster, 1, date.today())
            except NotEmpty:  # a DATABASE_URL seeded by an earlier run: measure it again
                print(f"measuring the scheme already in {url}")
            else:
                labels = made.rows["label"]
                print(
                    f"seeded {args.clusters} clusters, {labels} labels in {made.seconds:.1f} s"
                    f" ({url.split(':')[0]})"
                )
        settle_garbage_collector()  # as a gunicorn worker does once it has loaded the app
        pages = {who: [u for u in urls if args.only in u] for who, urls in PAGES.items()}
        rows = [
            row for who, urls in pages.items() if urls for row in measure(app, who, urls, args.runs)
        ]
        print(f"{'role':<12}{'page':<48}{'KB':>8}{'median ms':>10}{'p95 ms':>9}{'statements':>12}")
        for role, page, size, median, p95, statements, slowest in rows:
            over = "  over budget" if size > BUDGET_KB or p95 > BUDGET_MS else ""
            figures = f"{size:>8.1f}{median:>10.1f}{p95:>9.1f}{statements:>12}"
            print(f"{role:<12}{page:<48}{figures}{over}")
            for ms, sql in slowest[: args.slowest]:
                print(f"{'':<12}{ms:>8.1f} ms  {' '.join(sql.split())[:400]}")
        print(summary(rows))
        with app.app_context():
            db.engine.dispose()


def summary(rows: list[Row]) -> str:
    """Whether every page met each target: "targets: 150 KB met, p95 150 ms NOT met"."""
    size_met = all(size <= BUDGET_KB for _r, _p, size, *_rest in rows)
    time_met = all(p95 <= BUDGET_MS for _r, _p, _s, _m, p95, *_rest in rows)
    return (
        f"targets: {BUDGET_KB} KB {'met' if size_met else 'NOT met'},"
        f" p95 {BUDGET_MS} ms {'met' if time_met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
