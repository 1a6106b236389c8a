"""Browser tests: Debian's Chromium driven by Playwright against the app served in a
thread, on the demo data, with CSRF protection on as in production."""

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import ConsoleMessage, Page
from werkzeug.serving import make_server

from certtrack import create_app
from certtrack.demo import seed
from certtrack.extensions import db
from tests.conftest import missing_program
from tests.database import empty_tables

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# Headless, as root, and without Chromium's calls home (the machine's network is closed).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is a browser test (`-m 'not browser'` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:  # type: ignore[type-arg]
    if not shutil.which(CHROMIUM):
        missing_program("Chromium", "apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@contextmanager
def demo_app(database_url: str, **settings: object) -> Iterator[Flask]:
    """The app on the demo data with CSRF on, emptied afterwards; `settings` add to
    the testing configuration (a journey's mail server, say)."""
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True, **settings
    )
    with app.app_context():
        seed()
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def live_app(migrated: str) -> Iterator[Flask]:
    with demo_app(migrated) as app:
        yield app


@pytest.fixture
def server(live_app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Every page a test visits must work under the Content-Security-Policy: Chromium
    reports each blocked script, style or frame on the console."""
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield page
    assert violations == []
