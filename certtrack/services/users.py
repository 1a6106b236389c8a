"""Accounts: creation with role-specific membership, and passwords."""

from collections.abc import Sequence
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.extensions import db
from certtrack.i18n import LOCALES
from certtrack.models import Agency, Cluster, Role, User
from certtrack.services import throttle
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
    locale: str = "en",
) -> User:
    """Create an account. Coordinators belong to an agency, managers to a cluster.
    Without a password the account waits for its owner to set one (invitation)."""
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
    if locale not in LOCALES:
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
    """The active account that `email` and `password` open, or None; each failure counts
    towards the sign-in throttle, and SignInLocked is raised while it holds."""
    email = email.strip().lower()
    if throttle.locked(email, ip, now):
        raise throttle.SignInLocked(
            _("Too many failed attempts. Please wait a few minutes and try again.")
        )
    user = find_by_email(email)
    if user is None or not user.active or not verify_password(user, password):
        throttle.record_failure(email, ip, now)
        return None
    return user


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(user: User, password: str) -> bool:
    return user.password_hash is not None and check_password_hash(user.password_hash, password)


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidParams(
            _("The password is too short."),
            {"password": _("At least %(n)s characters.", n=MIN_PASSWORD)},
        )
    with committed():
        user.password_hash = hash_password(password)


def record_sign_in(user: User, now: datetime) -> None:
    with committed():
        user.last_login_at = now


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


def change_password(user: User, *, current: str, new: str) -> None:
    """Needs the current password; the new one follows the usual length rule."""
    if not verify_password(user, current):
        raise InvalidParams(
            _("The password was not changed."), {"current": _("This is not your password.")}
        )
    if len(new) < MIN_PASSWORD:
        raise InvalidParams(
            _("The password was not changed."),
            {"new": _("At least %(n)s characters.", n=MIN_PASSWORD)},
        )
    set_password(user, new)


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
