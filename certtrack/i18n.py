"""Languages: English and Italian. A signed-in user's choice wins; otherwise the session's
choice, then the browser's preference."""

from flask import has_request_context, request, session
from flask_login import current_user

LOCALES = {"en": "English", "it": "Italiano"}


def select_locale() -> str | None:
    if not has_request_context():
        return None  # the default; mail and CLI choose theirs with force_locale
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return request.accept_languages.best_match(list(LOCALES))
