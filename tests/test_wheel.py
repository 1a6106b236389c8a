"""The wheel built from a clone is all a deployment needs: installed in a clean virtualenv
outside the checkout, it migrates an empty PostgreSQL database and serves pages in English
and Italian, its static files and the API under gunicorn, from a folder of its own."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from certtrack import MIGRATIONS_DIR
from tests.conftest import BACKEND
from tests.network import free_port

ROOT = Path(__file__).resolve().parents[1]
# What a clone does not have: leaving out *.mo proves that the build compiles the catalogs.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "*.egg-info",
    "instance",
    "__pycache__",
    "*.mo",
    ".*_cache",
    ".hypothesis",
    "test-results",
)

pytestmark = [
    pytest.mark.slow,
    # Once per `make test`: the wheel is the same whichever database the suite runs on.
    pytest.mark.skipif(BACKEND != "postgresql", reason="runs in the PostgreSQL pass"),
]


def run(command: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    """Run a command; its output is the failure message if it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv outside the checkout with only the wheel (and its dependencies)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source, dist, venv = tmp / "clone", tmp / "dist", tmp / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_IN_A_CLONE)
    # pip's own settings (indexes, cache) pass on; the checkout's virtualenv does not.
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source], tmp, env)
    run([sys.executable, "-m", "venv", venv], tmp, env)
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", *dist.glob("*.whl")], tmp, env)
    return venv


def app_environment(venv: Path, **settings: str) -> dict[str, str]:
    """A deployment's environment: none of the test suite's settings."""
    path = f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    return {"PATH": path, "HOME": os.environ.get("HOME", "/"), "LANG": "C.UTF-8", **settings}


@pytest.fixture
def served(venv: Path, empty_database_url: str, tmp_path: Path) -> Iterator[str]:
    """The installed package, migrated and under gunicorn; yields its base URL."""
    env = app_environment(
        venv,
        FLASK_APP="certtrack",
        FLASK_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=empty_database_url,
    )
    run([venv / "bin" / "flask", "db", "upgrade"], tmp_path, env)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        gunicorn = subprocess.Popen(
            [venv / "bin" / "gunicorn", "-b", f"127.0.0.1:{port}", "certtrack:create_app()"],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_serving(base, gunicorn, log)
        yield base
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)


def wait_until_serving(base: str, gunicorn: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert gunicorn.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        try:
            urllib.request.urlopen(base + "/login", timeout=5).close()  # noqa: S310  (http://127.0.0.1)
            return
        except urllib.error.URLError:
            time.sleep(0.2)  # the server is still starting: a real wait, not a clock in a test
    pytest.fail(f"gunicorn did not answer within a minute:\n{log.read_text()}")


def get(url: str, **headers: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310  (http://127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_the_package_imports_only_itself_and_keeps_its_data_out_of_site_packages(venv, tmp_path):
    probe = (
        "import certtrack; app = certtrack.create_app();"
        " print(certtrack.__file__); print(app.config['SQLALCHEMY_DATABASE_URI'])"
    )
    env = app_environment(venv, FLASK_CONFIG="production", SECRET_KEY=secrets.token_hex(32))
    module, database = run([venv / "bin" / "python", "-c", probe], tmp_path, env).splitlines()
    assert Path(module).is_relative_to(venv / "lib")
    assert database == f"sqlite:///{venv / 'var' / 'certtrack-instance' / 'certtrack.sqlite'}"


def test_the_installed_wheel_migrates_and_serves_pages_static_files_and_the_api(
    served, empty_database_url
):
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        migrated_to = connection.scalar(text("SELECT version_num FROM alembic_version"))
    engine.dispose()
    assert migrated_to == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()

    status, _, english = get(served + "/login")
    assert status == 200 and '<html lang="en">' in english and "Sign in" in english
    status, _, italian = get(served + "/login", **{"Accept-Language": "it"})
    assert status == 200 and '<html lang="it">' in italian and "Accedi" in italian

    bootstrap_css = re.search(r'href="(/bootstrap/[^"]+\.css)"', english)
    assert bootstrap_css, "Bootstrap's CSS is served by the app itself, not a CDN"
    for path in (bootstrap_css[1], "/static/certtrack.css", "/static/review.js"):
        status, _, body = get(served + path)
        assert status == 200 and body, path

    status, content_type, body = get(served + "/api/v1/openapi.json")
    assert status == 200 and content_type == "application/json"
    assert json.loads(body)["paths"]
    status, content_type, body = get(served + "/api/v1/public/labels/NO-SUCH-LABEL")
    assert status == 404 and content_type == "application/json"
    assert set(json.loads(body)["error"]) == {"code", "message", "fields"}


def test_the_installed_wheel_ships_the_report_fonts_and_lays_out_a_pdf_with_them(venv, tmp_path):
    """The PDF report's fonts come with the package (with their licence), so a report
    looks the same on every machine; only Pango comes from the system."""
    probe = (
        "import io, weasyprint; from certtrack.services.report_pdf import FONTS;"
        " assert (FONTS / 'LICENSE-DejaVu.txt').is_file();"
        " css = ''.join(f'@font-face {{ font-family: Shipped; src: url({(FONTS / n).as_uri()}); }}'"
        " for n in ('DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'));"
        " html = f'<style>{css} p {{ font-family: Shipped }}</style><p>Città</p>';"
        " pdf = weasyprint.HTML(string=html).write_pdf(uncompressed_pdf=True);"
        " print(FONTS); print(b'+Shipped' in pdf and pdf.startswith(b'%PDF'))"
    )
    env = app_environment(venv)
    fonts, embedded = run([venv / "bin" / "python", "-c", probe], tmp_path, env).splitlines()
    assert Path(fonts).is_relative_to(venv / "lib")
    assert embedded == "True"
