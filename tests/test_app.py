"""The application factory, configuration and the public home page."""

import stat
from datetime import date
from pathlib import Path

import pytest
import time_machine
from flask import Flask

from certtrack import create_app
from certtrack.clock import local_today
from certtrack.config import ProductionConfig, database_url_from_environment
from certtrack.models import Role
from certtrack.secret_key import ensure_secret_key
from certtrack.services.users import create_user
from certtrack.workflow.policy import configured_policy


def test_testing_config(app):
    assert app.testing
    assert app.config["PASSWORD_HASH_METHOD"].startswith("pbkdf2")


def test_production_needs_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()
    for weak in ("s3cret", "dev-only-change-me"):
        monkeypatch.setenv("SECRET_KEY", weak)
        with pytest.raises(RuntimeError, match="at least 32 characters"):
            ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_HTTPONLY


def test_without_a_configuration_the_app_is_production(monkeypatch):
    """wsgi.py and `gunicorn 'certtrack:create_app()'` never fall back to development."""
    monkeypatch.delenv("FLASK_CONFIG", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_never_runs_in_debug_mode(monkeypatch, migrated):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    app = create_app("production", SQLALCHEMY_DATABASE_URI=migrated)
    assert not app.debug


def test_a_development_key_is_random_and_kept_in_the_instance_folder(tmp_path):
    first, second = Flask("a", instance_path=str(tmp_path / "a")), Flask("b")
    second.instance_path = str(tmp_path / "b")
    for app in (first, second):
        Path(app.instance_path).mkdir()
        app.config["SECRET_KEY_MAY_BE_GENERATED"] = True
        ensure_secret_key(app)
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    key_file = Path(first.instance_path) / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    again = Flask("a", instance_path=first.instance_path)
    again.config["SECRET_KEY_MAY_BE_GENERATED"] = True
    ensure_secret_key(again)
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_only_development_and_testing_start_without_a_key(tmp_path):
    app = Flask("bare", instance_path=str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ensure_secret_key(app)


def test_a_session_signed_with_the_old_public_key_is_refused(monkeypatch, app, migrated):
    with app.app_context():
        admin = create_user(email="a@x.example", name="A", role=Role.ADMIN, password="p" * 8)
        admin_id = admin.id
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=migrated)
    assert app.config["SECRET_KEY"] != "dev-only-change-me"
    forger = Flask("forger")
    forger.secret_key = "dev-only-change-me"
    forged = forger.session_interface.get_signing_serializer(forger).dumps(
        {"_user_id": str(admin_id), "_fresh": True}
    )
    client = app.test_client()
    client.set_cookie("session", forged)
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_database_url_uses_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/certtrack")
    assert database_url_from_environment() == "postgresql+psycopg://u:p@db/certtrack"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    assert database_url_from_environment() == "sqlite:///x.db"
    monkeypatch.delenv("DATABASE_URL")
    assert database_url_from_environment() is None


def test_without_database_url_the_database_is_in_the_instance_folder(monkeypatch):
    """Never beside the package's code: for an installed package that is site-packages.
    In a checkout Flask's instance folder is ./instance, as `make run` always had it."""
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    app = create_app("production", SQLALCHEMY_DATABASE_URI=None)  # no DATABASE_URL
    assert app.config["SQLALCHEMY_DATABASE_URI"] is not None
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    assert database == Path(app.instance_path) / "certtrack.sqlite"
    assert Path(app.instance_path) == Path(__file__).resolve().parents[1] / "instance"


def test_certtrack_settings_come_from_the_environment(monkeypatch, migrated):
    monkeypatch.setenv("CERTTRACK_RENEWAL_WINDOW_DAYS", "90")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated)
    assert app.config["CERTTRACK_RENEWAL_WINDOW_DAYS"] == "90"
    with app.app_context():
        assert configured_policy().renewal_window_days == 90


def test_a_typed_setting_keeps_its_type_when_the_environment_names_it(monkeypatch, migrated):
    """The config class reads CERTTRACK_BOARD_PAGE_SIZE as a number when it is imported;
    the same variable seen again as text must not replace it (the board divided by it)."""
    monkeypatch.setenv("CERTTRACK_BOARD_PAGE_SIZE", "3")
    monkeypatch.setenv("CERTTRACK_PAGE_SIZE", "7")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated)
    assert isinstance(app.config["CERTTRACK_BOARD_PAGE_SIZE"], int)
    assert isinstance(app.config["CERTTRACK_PAGE_SIZE"], int)


def test_today_is_the_day_in_rome(ctx):
    # 23:30 UTC on 31 October is already 1 November in Trieste.
    with time_machine.travel("2016-10-31 23:30:00+00:00", tick=False):
        assert local_today() == date(2016, 11, 1)
    with time_machine.travel("2016-10-31 22:30:00+00:00", tick=False):
        assert local_today() == date(2016, 10, 31)


def test_home_page_explains_the_levels(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "36 indicators in six areas" in page
    assert "at least 80% of the total score" in page
