"""Shared fixtures. The suite runs against SQLite by default and against a real
PostgreSQL server (started here) with CERTTRACK_TEST_DB=postgresql."""

import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from certtrack import create_app
from certtrack.extensions import db
from tests import postgres
from tests.database import empty_tables
from tests.demo_copy import DemoCopies
from tests.mail_server import SmtpServer

BACKEND = os.environ.get("CERTTRACK_TEST_DB", "sqlite")
# The skip reason of missing_program, which the summary at the end counts.
MISSING = re.compile(r"(?P<program>.+) not found \((?P<install>.+)\)$")


def missing_program(program: str, install: str) -> NoReturn:
    """Skip the tests that need `program`, or fail them in CI (CI=true), where the
    machine must have everything."""
    reason = f"{program} not found ({install})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: required in CI", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: after the short summary
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> Iterator[None]:
    """One line per missing program at the very end, so the skips are not missed."""
    yield
    missing: Counter[tuple[str, str]] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            found = MISSING.search(str(report.longrepr[2]))
            if found:
                missing[found["program"].removeprefix("Skipped: "), found["install"]] += 1
    for (program, install), count in sorted(missing.items()):
        terminalreporter.write_line(
            f"certtrack: {program} not found: {count} tests skipped ({install})", yellow=True
        )


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    if BACKEND == "sqlite":
        with tempfile.TemporaryDirectory(prefix="certtrack-test-") as tmp:
            yield f"sqlite:///{Path(tmp) / 'test.sqlite'}"
        return
    if BACKEND != "postgresql":
        raise pytest.UsageError(f"CERTTRACK_TEST_DB must be sqlite or postgresql, not {BACKEND}")
    try:
        url, stop = postgres.start("certtrack_test")
    except postgres.NotInstalled:
        missing_program("PostgreSQL", postgres.INSTALL)
    try:
        yield url
    finally:
        stop()


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """Build the schema once per session through the real migrations."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture
def empty_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same backend."""
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(text("CREATE DATABASE certtrack_empty"))
    yield (
        make_url(database_url).set(database="certtrack_empty").render_as_string(hide_password=False)
    )
    with server.connect() as connection:
        connection.execute(text("DROP DATABASE certtrack_empty WITH (FORCE)"))
    server.dispose()


@pytest.fixture
def app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    # Documents go to the test's own folder, never the checkout's instance folder.
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated,
        DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
    )
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_copies(tmp_path_factory: pytest.TempPathFactory) -> DemoCopies:
    """The demo seeded once per process, then copied (tests/demo_copy.py)."""
    return DemoCopies(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context for tests that call services and the engine directly."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(migrated: str, smtp: SmtpServer) -> Iterator[Flask]:
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated,
        **smtp.app_settings(),
    )
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()
