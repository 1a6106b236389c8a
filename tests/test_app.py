"""The application factory, configuration and the public home page."""

from datetime import date

import pytest
import time_machine

from certtrack import create_app
from certtrack.clock import local_today
from config import ProductionConfig, _database_url


def test_testing_config(app):
    assert app.testing
    assert app.config["PASSWORD_HASH_METHOD"].startswith("pbkdf2")


def test_production_needs_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_HTTPONLY


def test_database_url_uses_psycopg3(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/certtrack")
    assert _database_url("sqlite://") == "postgresql+psycopg://u:p@db/certtrack"
    monkeypatch.delenv("DATABASE_URL")
    assert _database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_certtrack_settings_come_from_the_environment(monkeypatch, migrated):
    monkeypatch.setenv("CERTTRACK_RENEWAL_WINDOW_DAYS", "90")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated)
    assert app.config["CERTTRACK_RENEWAL_WINDOW_DAYS"] == "90"


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
