"""The accessibility sweep: the app with the demo data served in a thread for the whole
module, one Chromium for the session (pytest-playwright), the checking tools from npm."""

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from certtrack import create_app
from certtrack.demo import seed
from certtrack.extensions import db
from certtrack.models import PortfolioUpload, User
from certtrack.services.portfolio_import import COLUMNS
from tests.accessibility.pages import IMPORT_TOKEN
from tests.browser.conftest import browser_type_launch_args  # noqa: F401  (Debian's Chromium)
from tests.conftest import missing_program
from tests.database import empty_tables

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_INSTALL = "make install, which runs npm ci"
# What the sweep covered and how long it took, for the summary at the end of the run.
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in SUMMARY:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.exists():
        missing_program("axe-core", NPM_INSTALL)
    return AXE


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    if not VNU.exists():
        missing_program("vnu-jar", NPM_INSTALL)
    java = shutil.which("java")
    if java is None:
        missing_program("Java", "apt-get install default-jre-headless")
    return [java, "-Xss8m", "-jar", str(VNU)]


@pytest.fixture(scope="module")
def swept_app(migrated: str) -> Iterator[Flask]:
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, WTF_CSRF_ENABLED=True)
    with app.app_context():
        seed()
        keep_import_preview()
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture(scope="module")
def swept_server(swept_app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, swept_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()


def keep_import_preview() -> None:
    """An upload of the Informest coordinator waiting for confirmation, one row good and
    one refused, so the sweep sees a preview with its error summary (pages.IMPORT)."""
    coordinator = db.session.scalar(
        select(User).where(User.email == "coordinator@informest.example")
    )
    headers = ",".join(names["en"] for names in COLUMNS.values())
    rows = [
        "Cluster Legno,IT,FVG,Furniture,,Giulia Rossi,giulia@legno.example,"
        "Silver,IT-S-1,2025-01,2027-01-31,",
        "Cluster Mare,IT,,,,,,Platinum,IT-X-2,2025-01,31/02/2027,",
    ]
    db.session.add(
        PortfolioUpload(
            token=IMPORT_TOKEN,
            user_id=coordinator.id,
            agency_id=coordinator.agency_id,
            file_name="portfolio.csv",
            content="\n".join([headers, *rows]).encode(),
        )
    )
    db.session.commit()
