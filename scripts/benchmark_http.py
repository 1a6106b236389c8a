"""certtrack under a real server and load generator, against plain Flask, in one run.

    .venv/bin/python scripts/benchmark_http.py [--clusters 10000] [--labels-per-cluster 10]
        [--database-url URL [--seeded]] [--duration 15] [--connections 4] [--rounds 2]
        [--runs 20]

Seeds a fresh database with `flask seed-scale` (a SQLite file in a temporary folder
unless --database-url names an empty, reachable database, e.g. PostgreSQL; with --seeded
it uses the database --database-url names as it is, seeded earlier by this script or by
`flask seed-scale --agencies=1`, since seeding 10,000 clusters takes minutes), starts
gunicorn with 2 workers and certtrack's gunicorn settings for certtrack (production
configuration) and for scripts/minimal_labels_app.py (the same labels query in a bare
Flask-SQLAlchemy view), drives `GET /api/v1/labels?limit=20` on both with wrk for
--duration seconds per round, alternating them for --rounds rounds, and prints req/s and
p50/p95/p99 of each (the best round) and certtrack's share of the minimal app's req/s
(target: at least 80 %). Then requests each page of scripts/benchmark_pages.py for the
coordinator and the admin --runs times over HTTP (--runs 0 skips them) and prints its
HTML size and p95 (budget 150 KB, 150 ms), and last the peak resident memory of
certtrack's busiest worker.
Ratios are the figures to quote: the absolute times depend on the machine and its load,
printed first.

Needs wrk (Debian: apt-get install wrk; elsewhere https://github.com/wg/wrk).
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmark_pages import BUDGET_KB, BUDGET_MS, COORDINATOR, PAGES, percentile_95

from certtrack.demo.data import PASSWORD

ROOT = Path(__file__).resolve().parent.parent

ADMIN = "admin@scale.example"
LABELS = "/api/v1/labels?limit=20"
TARGET_RATIO = 0.8
WORKERS = 2  # gunicorn workers of each app
# wrk prints no 95th percentile by itself: this prints the figures on one line.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %f %d %d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
"""


def flask(env: dict[str, str], *args: str) -> str:
    """Run a `flask` command of certtrack; its output, or exit with its error."""
    done = subprocess.run(  # noqa: S603  (our own virtual environment's flask)
        [str(Path(sys.executable).parent / "flask"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stderr or done.stdout}")
    return done.stdout


def api_token(env: dict[str, str]) -> str:
    """A fresh API token of the scale scheme's first coordinator."""
    code = (
        "from certtrack import create_app\n"
        "from certtrack.extensions import db\n"
        "from certtrack.models import User\n"
        "from certtrack.services.tokens import issue_api_token\n"
        "with create_app().app_context():\n"
        f"    user = db.session.query(User).filter_by(email={COORDINATOR!r}).one()\n"
        "    print(issue_api_token(user, 'benchmark')[1])\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


@contextmanager
def gunicorn(
    app: str, port: int, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[subprocess.Popen]:
    """gunicorn with WORKERS workers serving `app` on 127.0.0.1:`port` until the block ends,
    its log (and the app's request log) written to `log`."""
    log_file = log.open("w")
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            # The production settings (README), for both apps alike.
            "--config=python:certtrack.observability.gunicorn_hooks",
            app,
        ],
        cwd=cwd,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers (404 or a redirect to the sign-in page)
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"gunicorn {app} did not start:\n{log.read_text()}")
                time.sleep(0.3)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()


def wrk(url: str, token: str, duration: int, connections: int, script: Path) -> dict[str, float]:
    """req/s, p50/p95/p99 in ms, requests and errors of `duration` seconds of load."""
    done = subprocess.run(  # noqa: S603
        [  # noqa: S607  (wrk from the PATH, checked by main)
            "wrk",
            "--threads=2",
            f"--connections={connections}",
            f"--duration={duration}s",
            f"--script={script}",
            f"--header=Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"^RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)$", done.stdout, re.M)
    if not match:
        sys.exit(f"wrk printed no result:\n{done.stdout}{done.stderr}")
    keys = ("rps", "p50", "p95", "p99", "requests", "errors")
    return dict(zip(keys, map(float, match.groups()), strict=True))


class Browser:
    """A signed-in visitor over plain HTTP: keeps the cookies itself (the production
    configuration marks them Secure, which urllib would not send over http)."""

    def __init__(self, base: str) -> None:
        self.base, self.cookies = base, {}

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read()

    def sign_in(self, email: str) -> None:
        _status, page = self.request("/login")
        found = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        csrf = found.group(1).decode() if found else ""
        status, _body = self.request(
            "/login", {"email": email, "password": PASSWORD, "csrf_token": csrf}
        )
        if status != 302:
            sys.exit(f"signing in as {email} answered {status}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def warm_up(browser: Browser, page: str) -> None:
    """Both workers serve `page` before it is timed: each compiles its templates on its
    own first request (about 0.6 s), which one client would otherwise meet in the tail.
    Two requests at once are served by the two workers, as neither accepts a second."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _round in range(2):
            list(pool.map(browser.request, [page] * WORKERS))


def pages(base: str, runs: int) -> list[tuple[str, str, float, float]]:
    """(role, page, KB, p95 ms) of the coordinator's and the admin's pages."""
    rows = []
    for email in (COORDINATOR, ADMIN):
        browser = Browser(base)
        browser.sign_in(email)
        for page in PAGES[email]:
            warm_up(browser, page)
            timings, body = [], b""
            for _run in range(runs):
                started = time.perf_counter()
                status, body = browser.request(page)
                timings.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    sys.exit(f"{page} answered {status} for {email}")
            rows.append(
                (
                    email.split("@")[0].rstrip("0123456789"),
                    page,
                    len(body) / 1024,
                    percentile_95(timings),
                )
            )
    return rows


def peak_memory_mb(server: subprocess.Popen) -> float:
    """The largest peak resident set (VmHWM) among the master's workers, from /proc."""
    peaks = []
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    return max(peaks, default=0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=10_000)
    parser.add_argument("--labels-per-cluster", type=int, default=10)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument(
        "--seeded", action="store_true", help="--database-url is seeded already: no seeding"
    )
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per round")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20, help="requests per page")
    parser.add_argument("--port", type=int, default=8311)
    args = parser.parse_args()
    if args.seeded and not args.database_url:
        parser.error("--seeded needs --database-url")
    if shutil.which("wrk") is None:
        sys.exit(
            "wrk not found: install it (Debian: apt-get install wrk; https://github.com/wg/wrk)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "FLASK_APP": "wsgi.py",
            "FLASK_CONFIG": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "CERTTRACK_LOG_FORMAT": "text",
        }
        print(
            f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1 and 5 min), "
            f"{os.cpu_count()} cores; database {url.split(':')[0]}"
        )
        started = time.perf_counter()
        flask(env, "db", "upgrade")
        if args.seeded:
            print("database seeded earlier: used as it is")
        else:
            flask(
                env,
                "seed-scale",
                f"--clusters={args.clusters}",
                f"--labels-per-cluster={args.labels_per_cluster}",
                "--agencies=1",
            )
            print(
                f"seeded {args.clusters} clusters x {args.labels_per_cluster} labels"
                f" in {time.perf_counter() - started:.0f} s"
            )
        token = api_token(env)
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_REPORT)
        certtrack_port, minimal_port = args.port, args.port + 1
        results: dict[str, list[dict[str, float]]] = {"certtrack": [], "minimal": []}
        with (
            gunicorn("wsgi:app", certtrack_port, env, ROOT, Path(tmp) / "certtrack.log") as server,
            gunicorn(
                "minimal_labels_app:app", minimal_port, env, ROOT / "scripts", Path(tmp) / "min.log"
            ),
        ):
            for _round in range(args.rounds):
                for name, port in (("certtrack", certtrack_port), ("minimal", minimal_port)):
                    results[name].append(
                        wrk(
                            f"http://127.0.0.1:{port}{LABELS}",
                            token,
                            args.duration,
                            args.connections,
                            script,
                        )
                    )
            print(
                f"\nGET {LABELS}, {args.connections} connections, {args.duration} s x"
                f" {args.rounds} rounds (best round)"
            )
            print(f"{'app':<12}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
            best = {name: max(rounds, key=lambda r: r["rps"]) for name, rounds in results.items()}
            for name, row in best.items():
                print(
                    f"{name:<12}{row['rps']:>9.0f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
                    f"{row['p99']:>9.1f}{row['errors']:>8.0f}"
                )
            ratio = best["certtrack"]["rps"] / best["minimal"]["rps"]
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            print(
                f"labels API: {ratio * 100:.0f} % of the minimal app"
                f" (target {TARGET_RATIO * 100:.0f} %): {verdict}"
            )
            if args.runs:
                print(f"\n{'role':<12}{'page':<48}{'KB':>8}{'p95 ms':>9}")
                base = f"http://127.0.0.1:{certtrack_port}"
                for role, page, size, p95 in pages(base, args.runs):
                    over = "  over budget" if size > BUDGET_KB or p95 > BUDGET_MS else ""
                    print(f"{role:<12}{page:<48}{size:>8.1f}{p95:>9.1f}{over}")
            print(f"\npeak memory of a certtrack worker: {peak_memory_mb(server):.0f} MB")
        print(f"load at the end: {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
