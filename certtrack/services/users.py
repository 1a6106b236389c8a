"""Accounts: creation with role-specific membership, and passwords."""

import secrets
from collections.abc import Sequence
from datetime import datetime
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.extensions import db
from certtrack.i18n import LOCALES
from certtrack.models import Agency, Cluster, Role, User
from certtrack.models.base import utcnow
from certtrack.services import sessions, throttle, tokens
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow.errors import InvalidParams

MIN_PASSWORD = 8


def create_user(
    *,
    email: str,
    name: str,
    role: Role | str,
    password: str | None = None,
    agency: Agency | None = None,
    cluster: Cluster | None = None,
    country: str | None = None,
    languages: Sequence[str] = (),
    affiliation: str | None = None,
    locale: str = "",
) -> User:
    """Create an account. Coordinators belong to an agency, managers to a cluster.
    Without a password the account waits for its owner to set one (invitation); without
    a locale it takes the language its owner uses when first signing in."""
    errors: dict[str, str] = {}
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = _("Must be one of: %(v)s.", v=", ".join(Role))
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        errors["email"] = str(exc)
    else:
        if find_by_email(email) is not None:
            errors["email"] = _("An account with this email already exists.")
    errors.update(_name_problems(name=name, affiliation=affiliation))
    errors.update(_membership_problems(role, agency, cluster))
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = _("At least %(n)s characters.", n=MIN_PASSWORD)
    if locale and locale not in LOCALES:
        errors["locale"] = _("Must be one of: %(v)s.", v=", ".join(LOCALES))
    if errors:
        raise InvalidParams(_("The account could not be created."), errors)

    user = User(
        email=email,
        name=name.strip(),
        role=role,
        agency_id=agency.id if agency and role == Role.COORDINATOR else None,
        cluster_id=cluster.id if cluster and role == Role.MANAGER else None,
        country=country.upper() if country else None,
        languages=[lang.strip().lower() for lang in languages if lang.strip()],
        affiliation=affiliation,
        locale=locale,
        password_hash=hash_password(password) if password else None,
    )
    with committed():
        db.session.add(user)
    return user


def find_by_email(email: str) -> User | None:
    """The account with this address, whatever its case and surrounding spaces."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def check_credentials(email: str, password: str, ip: str, now: datetime) -> User | None:
    """The active account that `email` and `password` open, or None. The attempt counts
    towards the sign-in throttle before the password is checked (SignInLocked is raised
    while it holds) and is given back on success. Every attempt verifies one hash, a
    dummy one without an account, so the time taken does not tell who has one."""
    email = email.strip().lower()
    throttle.reserve(email, ip, now)
    user = find_by_email(email)
    usable = user if user is not None and user.active else None
    verified = verify_password(usable, password)  # always one hash, whoever asks
    if usable is None or not verified:
        return None
    throttle.release(email, ip, now)
    return usable


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def verify_password(user: User | None, password: str) -> bool:
    """Whether `password` is the user's. Without a user or a password on the account a
    dummy hash of the same method is verified, so that the answer takes as long."""
    stored = user.password_hash if user is not None else None
    if stored is None:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return False
    return check_password_hash(stored, password)


def set_password(user: User, password: str, now: datetime | None = None) -> None:
    """A password chosen from a reset or invitation link: every session and API token
    of the account ends, whoever held them."""
    _check_length(password, "password", _("The password is too short."))
    now = now or utcnow()
    with committed():
        user.password_hash = hash_password(password)
        sessions.end_sessions(user, now)
        tokens.revoke_all_api_tokens(user, now)


def _check_length(password: str, field: str, message: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidParams(message, {field: _("At least %(n)s characters.", n=MIN_PASSWORD)})


def record_sign_in(user: User, now: datetime, language: str | None = None) -> None:
    """The moment of a sign-in; an account without a language of its own yet takes
    `language`, the one the visitor used before signing in."""
    with committed():
        user.last_login_at = now
        if not user.locale and language in LOCALES:
            user.locale = language


def update_profile(user: User, *, name: str, locale: str) -> None:
    """A user's own name and language."""
    errors = _name_problems(name=name)
    if locale not in LOCALES:
        errors["locale"] = _("Must be one of: %(v)s.", v=", ".join(LOCALES))
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)
    with committed():
        user.name = name.strip()
        user.locale = locale


def change_password(
    user: User,
    *,
    current: str,
    new: str,
    session_id: int,
    keep_api_tokens: bool = False,
    now: datetime | None = None,
) -> None:
    """Needs the current password; the new one follows the usual length rule. Every
    other session of the user ends (`session_id` is the one asking), and every API token
    unless the user chose to keep them."""
    if not verify_password(user, current):
        raise InvalidParams(
            _("The password was not changed."), {"current": _("This is not your password.")}
        )
    _check_length(new, "new", _("The password was not changed."))
    now = now or utcnow()
    with committed():
        user.password_hash = hash_password(new)
        sessions.end_sessions(user, now, keep=session_id)
        if not keep_api_tokens:
            tokens.revoke_all_api_tokens(user, now)


def _name_problems(*, name: str, affiliation: str | None = None) -> dict[str, str]:
    """A name is required; it and the affiliation are single lines of text."""
    errors = {}
    if not name.strip():
        errors["name"] = _("This field is required.")
    for field, value in (("name", name), ("affiliation", affiliation)):
        if value and (problem := text_problem(value)):
            errors[field] = problem
    return errors


def _membership_problems(
    role: Role | str, agency: Agency | None, cluster: Cluster | None
) -> dict[str, str]:
    if role == Role.COORDINATOR and agency is None:
        return {"agency": _("A coordinator belongs to an agency.")}
    if role == Role.MANAGER and cluster is None:
        return {"cluster": _("A manager belongs to a cluster.")}
    return {}


def update_user(
    user: User,
    actor: User,
    *,
    name: str,
    role: Role,
    agency: Agency | None,
    cluster: Cluster | None,
    country: str | None,
    languages: Sequence[str],
    affiliation: str | None,
    active: bool,
    conflicts: Sequence[Cluster] = (),
) -> None:
    """An admin changes an account: role and membership, consultant details, whether
    it may sign in."""
    errors = {
        **_membership_problems(role, agency, cluster),
        **_name_problems(name=name, affiliation=affiliation),
    }
    if user.id == actor.id and (not active or role != Role.ADMIN):
        errors["active"] = _("You cannot lock yourself out of the administration.")
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)
    with committed():
        user.name = name.strip()
        user.role = role
        user.agency_id = agency.id if agency and role == Role.COORDINATOR else None
        user.cluster_id = cluster.id if cluster and role == Role.MANAGER else None
        user.country = country.upper() if country else None
        user.languages = [lang.strip().lower() for lang in languages if lang.strip()]
        user.affiliation = (affiliation or "").strip() or None
        user.active = active
        user.conflicts = list(conflicts) if role == Role.CONSULTANT else []
