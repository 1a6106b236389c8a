"""Configuration classes. Secrets and the database URL come from the environment.

Production is the default: an unconfigured server refuses to start without a real
SECRET_KEY and never runs in debug mode. Development (`make run`) must be asked for with
FLASK_CONFIG=development; debug mode comes only from `flask run --debug`.

Without DATABASE_URL the database is SQLite in the Flask instance folder (create_app
resolves it): instance/ in a checkout, <prefix>/var/certtrack-instance for an installed
package, never inside site-packages."""

import os
from pathlib import Path


def database_url_from_environment() -> str | None:
    """DATABASE_URL in SQLAlchemy's spelling, or None when it is unset."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return None
    # Hosting providers hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 dialect.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def sqlite_in_instance_folder(instance_path: str) -> str:
    """The default database: certtrack.sqlite in the app's instance folder."""
    return f"sqlite:///{Path(instance_path) / 'certtrack.sqlite'}"


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


# Shorter keys are refused in production: signed sessions and links are only as strong.
MIN_SECRET_KEY_LENGTH = 32


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Without SECRET_KEY, development generates a random key kept in the instance folder;
    # production refuses to start.
    SECRET_KEY_MAY_BE_GENERATED = False
    # None: SQLite in the instance folder, which only the app knows (create_app).
    SQLALCHEMY_DATABASE_URI = database_url_from_environment()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Werkzeug's scrypt: salted and memory-hard.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  (a method name, not a password)
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
    # A dispatcher's claim on its batch lasts this long unless it renews it as it works;
    # the rows of one that died go to the next dispatcher after it.
    OUTBOX_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", "120"))
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
    # Sign-in sessions (services.sessions): "remember me" lasts this many days, cookie
    # and server-side session alike; otherwise a session ends after this many idle hours.
    CERTTRACK_REMEMBER_DAYS = int(os.environ.get("CERTTRACK_REMEMBER_DAYS", "30"))
    CERTTRACK_SESSION_IDLE_HOURS = int(os.environ.get("CERTTRACK_SESSION_IDLE_HOURS", "12"))
    # Bodies beyond this are refused (413) before they are read; forms also have
    # Werkzeug's limits on their non-file fields' total size and on their number of parts.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))
    MAX_FORM_MEMORY_SIZE = int(os.environ.get("MAX_FORM_MEMORY_SIZE", "500000"))
    MAX_FORM_PARTS = int(os.environ.get("MAX_FORM_PARTS", "1000"))
    # Documents (docs/storage.md): where their bytes live ("filesystem": a folder, by
    # default the instance folder's documents/; "s3": a bucket), and how much is taken.
    DOCUMENT_STORAGE = os.environ.get("DOCUMENT_STORAGE", "filesystem")
    DOCUMENT_STORAGE_PATH = os.environ.get("DOCUMENT_STORAGE_PATH")
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")
    S3_REGION = os.environ.get("S3_REGION")
    DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_BYTES", str(25 * 1024 * 1024)))
    DOCUMENT_QUOTA_BYTES = int(os.environ.get("DOCUMENT_QUOTA_BYTES", str(500 * 1024 * 1024)))
    # Files in one upload; the upload routes (only they) take bodies up to this many
    # files of DOCUMENT_MAX_BYTES.
    DOCUMENT_MAX_FILES = int(os.environ.get("DOCUMENT_MAX_FILES", "10"))
    # Portfolio imports (services.portfolio_import): the file's size and its rows.
    IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
    # Operations (monitoring, scheduler failover, proxies, logs); settings of their own.
    # Another scheduler process leads at the latest this long after the leader went.
    CERTTRACK_SCHEDULER_TAKEOVER_SECONDS = int(
        os.environ.get("CERTTRACK_SCHEDULER_TAKEOVER_SECONDS", "60")
    )
    # /readyz fails once the leader's heartbeat is older than this.
    CERTTRACK_HEARTBEAT_MAX_AGE_SECONDS = int(
        os.environ.get("CERTTRACK_HEARTBEAT_MAX_AGE_SECONDS", "300")
    )
    # Reverse proxies in front that set X-Forwarded-For/-Proto/-Host (0: none, trust none).
    CERTTRACK_PROXY_HOPS = int(os.environ.get("CERTTRACK_PROXY_HOPS", "0"))
    # "text" or "json" (one JSON object per line, for log shippers).
    CERTTRACK_LOG_FORMAT = os.environ.get("CERTTRACK_LOG_FORMAT", "text")
    # /metrics answers a bearer token equal to this, or clients in these networks
    # (comma-separated, e.g. "10.0.0.0/8,127.0.0.1/32"); with neither it is off (404).
    CERTTRACK_METRICS_TOKEN = os.environ.get("CERTTRACK_METRICS_TOKEN")
    CERTTRACK_METRICS_NETWORKS = os.environ.get("CERTTRACK_METRICS_NETWORKS", "")
    # Rows per page of a paginated list, cards per page of a board column, and the first
    # few of each list a dashboard shows: what keeps every page bounded in size. Ten
    # cards fill about a screen's height of a column, the ten longest waiting in the
    # default order; the column's pager reaches the rest.
    CERTTRACK_PAGE_SIZE = int(os.environ.get("CERTTRACK_PAGE_SIZE", "25"))
    CERTTRACK_BOARD_PAGE_SIZE = int(os.environ.get("CERTTRACK_BOARD_PAGE_SIZE", "10"))
    # The board's closed tally says "more than" beyond this many of a state (renewed
    # applications pile up with the years): the count reads no more rows than that.
    CERTTRACK_BOARD_TALLY_LIMIT = int(os.environ.get("CERTTRACK_BOARD_TALLY_LIMIT", "1000"))
    CERTTRACK_DASHBOARD_LIST_SIZE = int(os.environ.get("CERTTRACK_DASHBOARD_LIST_SIZE", "8"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    SECRET_KEY_MAY_BE_GENERATED = True
    # `make run` starts a local SMTP server that prints every message it receives.
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "8025"))


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"  # noqa: S105  (the test suite only; production refuses short keys)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Cheap hashing keeps the suite fast; production keeps scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  (a method name)
    WTF_CSRF_ENABLED = False
    # Tests that send point MAIL_SERVER at their own SMTP server and turn this off.
    MAIL_SUPPRESS_SEND = _flag("MAIL_SUPPRESS_SEND", True)


class ProductionConfig(Config):
    DEBUG = False  # whatever FLASK_DEBUG says
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def __init__(self) -> None:
        key = os.environ.get("SECRET_KEY") or ""
        if len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH}"
                " characters in production (python3 -c 'import secrets;"
                " print(secrets.token_hex(32))'); for a development server set"
                " FLASK_CONFIG=development"
            )
        self.SECRET_KEY = key


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
