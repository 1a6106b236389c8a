"""Languages: English and Italian. A choice made with the language switch in this
session wins (so the language picked before signing in is kept after it); then the
account's language; then the browser's preference."""

from flask import has_request_context, request, session
from flask_login import current_user

LOCALES = {"en": "English", "it": "Italiano"}
DEFAULT_LOCALE = "en"


def select_locale() -> str | None:
    if not has_request_context():
        return None  # the default; mail and CLI choose theirs with force_locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    return request.accept_languages.best_match(list(LOCALES))


def visitor_locale() -> str | None:
    """The language a visitor not yet signed in chose or their browser asks for, if any."""
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    return request.accept_languages.best_match(list(LOCALES))


def reading_locale(locale: str) -> str:
    """The language to write to someone in: theirs, or the default until they chose."""
    return locale if locale in LOCALES else DEFAULT_LOCALE


# The language each country's people read, where certtrack speaks it.
COUNTRY_LOCALES = {"IT": "it", "SM": "it", "VA": "it"}


def country_locale(country: str) -> str:
    """The language to write to people of `country` (an ISO code) before they choose:
    the country's own if certtrack speaks it, else the default."""
    return COUNTRY_LOCALES.get(country.upper(), DEFAULT_LOCALE)
