"""certtrack: tracks clusters on their way through the cluster-excellence labels."""

import os
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from certtrack import api, cli, i18n, models, observability, request_checks
from certtrack.account import bp as account_bp
from certtrack.admin import bp as admin_bp
from certtrack.api import bp as api_bp
from certtrack.applications import bp as applications_bp
from certtrack.auth import bp as auth_bp
from certtrack.clusters import bp as clusters_bp
from certtrack.config import CONFIGS, sqlite_in_instance_folder
from certtrack.conversation import bp as conversation_bp
from certtrack.dashboard import bp as dashboard_bp
from certtrack.documents.views import bp as documents_bp
from certtrack.errors import register_error_handlers
from certtrack.exports import bp as exports_bp
from certtrack.extensions import babel, bootstrap, csrf, db, login_manager, mail, migrate
from certtrack.imports import bp as imports_bp
from certtrack.labels import bp as labels_bp
from certtrack.main import bp as main_bp
from certtrack.notifications import bp as notifications_bp
from certtrack.programme import bp as programme_bp
from certtrack.recommendations import bp as recommendations_bp
from certtrack.register import bp as register_bp
from certtrack.reports import bp as reports_bp
from certtrack.reviews import bp as reviews_bp
from certtrack.routing import IdConverter
from certtrack.secret_key import ensure_secret_key
from certtrack.services import (
    notices,  # noqa: F401  (connects the workflow notices)
    sessions,
)
from certtrack.web import register_template_helpers

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: str | object | None = None, **overrides: Any) -> Flask:
    """Build the application.

    `config` is a name from certtrack.config.CONFIGS ("development", "testing", "production"),
    a config object, or None to read FLASK_CONFIG (default: production).
    Keyword overrides win over the config object (tests use them).
    """
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = IdConverter  # every <int:...> is a bounded id
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("FLASK_CONFIG", "production")]()
    app.config.from_object(config)
    # Scheme settings (CERTTRACK_GRACE_MONTHS=...) straight from the environment, as text
    # that the policy parses. A setting the config class defines read its own variable
    # with its type already: the text must not replace it.
    app.config.update(
        {
            key: value
            for key, value in os.environ.items()
            if key.startswith("CERTTRACK_") and key not in app.config
        }
    )
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = sqlite_in_instance_folder(app.instance_path)
    ensure_secret_key(app)

    request_checks.register(app)  # first: no extension sees a request it refuses
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    cli.register(app)
    observability.register(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _configure_sqlite)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    bootstrap.init_app(app)
    app.jinja_env.globals.update(LOCALES=i18n.LOCALES, get_locale=get_locale)

    # The cookies carry a server-side session's secret, not the user id (services.sessions).
    login_manager.id_attribute = "get_session_token"

    @login_manager.user_loader
    def load_user(secret: str) -> models.User | None:
        found = sessions.find(secret)
        if found is None:
            return None
        g.user_session = found
        return found.user


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless asked, and fails at once on a locked database.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.close()


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        main_bp,
        auth_bp,
        account_bp,
        dashboard_bp,
        clusters_bp,
        applications_bp,
        conversation_bp,
        reviews_bp,
        reports_bp,
        recommendations_bp,
        documents_bp,
        admin_bp,
        notifications_bp,
        exports_bp,
        imports_bp,
        programme_bp,
        labels_bp,
        register_bp,
    ):
        app.register_blueprint(blueprint)
    api.register(app)
    # The API authenticates with bearer tokens only, never the session cookie.
    csrf.exempt(api_bp)
