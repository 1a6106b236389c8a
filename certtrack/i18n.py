"""Languages: English and Italian. A signed-in user's choice wins; otherwise the session's
choice, then the browser's preference."""

from flask import request, session
from flask_login import current_user

LOCALES = {"en": "English", "it": "Italiano"}


def select_locale() -> str | None:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return request.accept_languages.best_match(list(LOCALES))
