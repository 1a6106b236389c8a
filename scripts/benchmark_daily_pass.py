# ruff: noqa: E501  (seed rows and report lines read best one record per line)
"""How long the daily pass takes, how many SQL statements it runs and how much memory it
needs, for large schemes, against the targets.

    .venv/bin/python scripts/benchmark_daily_pass.py [--labels 10000 100000] [--postgresql]
    .venv/bin/python scripts/benchmark_daily_pass.py --clusters 10000 --labels-per-cluster 10
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python scripts/benchmark_daily_pass.py

For each size, a fresh database (a temporary SQLite file; with --postgresql a database
on a throwaway server started as tests/postgres.py does; with DATABASE_URL that server)
is seeded, then the pass runs for three days: the first one catches up on everything
already due, the second is a day like any other, the third runs the second day again
(it must queue nothing). `--labels N` seeds N clusters, each with a manager, a Bronze
label whose end is spread over the next two years and the past grace years (states
consistent with the day, as the pass would have left them) and three recommendations;
`--clusters/--labels-per-cluster` seeds with `flask seed-scale` instead. Seeding and
the passes run in child processes, so each pass's peak memory (ru_maxrss) is its own.
Prints per day: seconds, SQL statements, workflow events, messages queued; then the
growth from the smallest to the largest size and each target as met or not met.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 25)
DAYS = (
    ("catch-up", TODAY),
    ("normal day", TODAY + timedelta(days=1)),
    ("same day again", TODAY + timedelta(days=1)),
)
# Targets at the largest size (100,000 labels in the issue).
NORMAL_DAY_SECONDS = 1.0
CATCH_UP_SECONDS = 10.0
MEMORY_GROWTH = 1.5  # peak memory at the largest size over the smallest ("flat")
BATCH = 10_000  # clusters seeded per round of inserts


def seed(count: int) -> None:
    """One agency, three coordinators and `count` clusters with one Bronze label each."""
    from sqlalchemy import insert

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
    from certtrack.workflow.dates import grace_end, month_start, valid_until

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
    for first in range(1, count + 1, BATCH):
        rows: dict[Any, list[dict[str, Any]]] = {
            model: [] for model in (Cluster, User, Application, Label, Report, Recommendation)
        }
        for i in range(first, min(first + BATCH, count + 1)):
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
            rows[Cluster].append(
                {
                    "id": i,
                    "agency_id": 1,
                    "name": f"Cluster {i:06d}",
                    "country": "IT",
                    "region": "FVG",
                    "sector": "Manufacturing",
                    "member_types": ["sme"],
                    "website_in_english": True,
                    "eccp_listed": True,
                    "created_at": now,
                }
            )
            rows[User].append(
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
            rows[Application].append(
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
            rows[Label].append(
                {
                    "id": i,
                    "cluster_id": i,
                    "application_id": i,
                    "level": Level.BRONZE,
                    "number": f"B-IT-{interview.year}-{i:06d}",
                    "interview_month": month_start(interview),
                    "issued_on": interview + timedelta(days=7),
                    "valid_until": until,
                    "status": status,
                }
            )
            rows[Report].append(
                {
                    "id": i,
                    "application_id": i,
                    "summary": "Report",
                    "delivered_at": datetime.combine(interview, datetime.min.time()),
                }
            )
            rows[Recommendation] += [
                {
                    "report_id": i,
                    "position": n,
                    "title": f"Recommendation {n}",
                    "priority": "medium",
                    "status": "open",
                    "due_date": interview + timedelta(days=180 * (n + 1)),
                }
                for n in range(3)
            ]
        for model, batch in rows.items():
            db.session.execute(insert(model), batch)
    db.session.commit()


def child(args: argparse.Namespace) -> None:
    """Seed (`--seed`) or run the passes, in this process, and print JSON."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from certtrack import create_app
    from certtrack.extensions import db
    from certtrack.services.reminders import run_daily_pass
    from certtrack.statements import recorded, timed

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=args.url)
    with app.app_context():
        if args.seed:
            upgrade()
            started = time.perf_counter()
            if args.clusters:
                from certtrack.demo.scale import seed_scale

                seed_scale(args.clusters, args.labels_per_cluster, agencies=20, today=TODAY)
            else:
                seed(args.size)
            # As autovacuum would have by the first pass: plans made for empty tables are no benchmark.
            with db.engine.connect() as connection:
                connection.execute(text("ANALYZE"))
                connection.commit()
            print(json.dumps({"seconds": time.perf_counter() - started}))
            return
        days = []
        for name, day in DAYS:
            with recorded(db.engine) as statements, timed(db.engine) as durations:
                started = time.perf_counter()
                result = run_daily_pass(
                    day, now=datetime.combine(day, datetime.min.time()) + timedelta(hours=5)
                )
                elapsed = time.perf_counter() - started
            days.append(
                {
                    "name": name,
                    "day": day.isoformat(),
                    "seconds": elapsed,
                    "statements": len(statements),
                    "events": result.events,
                    "messages": result.written,
                    "slowest": sorted(((ms / 1000, sql) for sql, ms in durations), reverse=True)[
                        : args.slowest
                    ],
                }
            )
        db.engine.dispose()
    print(
        json.dumps(
            {"days": days, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        )
    )


def run_child(url: str, size: int, args: argparse.Namespace, *extra: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--url", url, "--size", str(size)]
    command += ["--slowest", str(args.slowest)]
    if args.clusters:
        command += [
            "--clusters",
            str(args.clusters),
            "--labels-per-cluster",
            str(args.labels_per_cluster),
        ]
    out = subprocess.run(  # noqa: S603 (this script itself, with its own arguments)
        [*command, *extra], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def fresh_database(server: str | None, name: str, tmp: str) -> str:
    """A new empty database for one size."""
    if server is None:
        return f"sqlite:///{tmp}/{name}.sqlite"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--labels",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="sizes to compare (one label per cluster)",
    )
    parser.add_argument(
        "--clusters", type=int, help="seed with flask seed-scale: this many clusters"
    )
    parser.add_argument("--labels-per-cluster", type=int, default=10)
    parser.add_argument(
        "--postgresql", action="store_true", help="start a throwaway PostgreSQL server"
    )
    parser.add_argument(
        "--slowest",
        type=int,
        default=0,
        metavar="N",
        help="also print each day's N slowest statements with their seconds",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    stop = None
    server = os.environ.get("DATABASE_URL")
    if args.postgresql and server is None:
        from tests import postgres

        server, stop = postgres.start("certtrack_bench")
    sizes = [args.clusters * args.labels_per_cluster] if args.clusters else sorted(args.labels)
    results: dict[int, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                url = fresh_database(server, f"bench_{size}", tmp)
                seeded = run_child(url, size, args, "--seed")
                print(
                    f"{size} labels ({'postgresql' if server else 'sqlite'}): seeded in {seeded['seconds']:.1f} s"
                )
                results[size] = run_child(url, size, args)
                for day in results[size]["days"]:
                    print(
                        f"  {day['name']:15s} {day['day']}: {day['seconds']:6.2f} s, {day['statements']:5d} SQL statements, {day['events']:6d} workflow events, {day['messages']:7d} messages queued"
                    )
                    for seconds, statement in day["slowest"]:
                        print(f"    {seconds:7.3f} s  {' '.join(statement.split())}")
                print(f"  peak memory of the passes: {results[size]['peak_mb']:.0f} MB")
    finally:
        if stop is not None:
            stop()
    report(results)


def report(results: dict[int, dict[str, Any]]) -> None:
    """The growth from the smallest size to the largest and the targets at the largest."""
    small, large = min(results), max(results)
    by_name = {size: {day["name"]: day for day in results[size]["days"]} for size in results}
    normal, catch_up, again = (
        by_name[large][name] for name in ("normal day", "catch-up", "same day again")
    )
    print(f"targets at {large} labels:")
    print(
        f"  normal day under {NORMAL_DAY_SECONDS:g} s: {normal['seconds']:.2f} s, {verdict(normal['seconds'] < NORMAL_DAY_SECONDS)}"
    )
    print(
        f"  catch-up under {CATCH_UP_SECONDS:g} s: {catch_up['seconds']:.2f} s, {verdict(catch_up['seconds'] < CATCH_UP_SECONDS)}"
    )
    print(
        f"  the same day again queues nothing: {again['messages']} queued, {verdict(again['messages'] == 0)}"
    )
    if small == large:
        return
    factor = large / small
    print(f"growth {small} -> {large} labels (x{factor:g}):")
    for name in ("catch-up", "normal day"):
        ratio = by_name[large][name]["seconds"] / by_name[small][name]["seconds"]
        print(
            f"  {name} time ratio {ratio:.1f}: no faster than the labels, {verdict(ratio <= factor)}"
        )
    fixed = by_name[small]["normal day"]["statements"] == by_name[large]["normal day"]["statements"]
    print(
        f"  normal day statements {by_name[small]['normal day']['statements']} -> {by_name[large]['normal day']['statements']}: fixed, {verdict(fixed)}"
    )
    memory = results[large]["peak_mb"] / results[small]["peak_mb"]
    print(
        f"  peak memory {results[small]['peak_mb']:.0f} -> {results[large]['peak_mb']:.0f} MB (x{memory:.2f}): flat, {verdict(memory <= MEMORY_GROWTH)}"
    )


if __name__ == "__main__":
    main()
