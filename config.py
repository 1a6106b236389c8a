"""Configuration classes. Secrets and the database URL come from the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _sqlite_url(name: str) -> str:
    return f"sqlite:///{BASE_DIR / 'instance' / name}"


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 dialect.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = _database_url(_sqlite_url("certtrack.sqlite"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Werkzeug's scrypt: salted and memory-hard.
    PASSWORD_HASH_METHOD = "scrypt"
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN at run time
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Rome"
    CERTTRACK_TIMEZONE = os.environ.get("CERTTRACK_TIMEZONE", "Europe/Rome")
    # Links in emails point here (the scheduler has no request to take a host from).
    CERTTRACK_BASE_URL = os.environ.get("CERTTRACK_BASE_URL", "http://127.0.0.1:5000")
    # The daily pass runs at this local time; the dispatcher every minute.
    CERTTRACK_DAILY_PASS_AT = os.environ.get("CERTTRACK_DAILY_PASS_AT", "06:30")
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
    # Flask-Mail, with its standard names.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SUPPRESS_SEND = _flag("MAIL_SUPPRESS_SEND", False)
    MAIL_DEBUG = False  # Flask-Mail would echo every SMTP exchange in debug mode
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "certtrack <noreply@certtrack.example>"
    )
    # Bodies beyond this are refused (413) before they are read; forms also have
    # Werkzeug's limits on their non-file fields' total size and on their number of parts.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = int(os.environ.get("MAX_FORM_MEMORY_SIZE", "500000"))
    MAX_FORM_PARTS = int(os.environ.get("MAX_FORM_PARTS", "1000"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    DEBUG = True
    # `make run` starts a local SMTP server that prints every message it receives.
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Cheap hashing keeps the suite fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    WTF_CSRF_ENABLED = False
    # Tests that send point MAIL_SERVER at their own SMTP server and turn this off.
    MAIL_SUPPRESS_SEND = _flag("MAIL_SUPPRESS_SEND", True)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
