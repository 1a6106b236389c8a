"""Accounts: creation with role-specific membership, and passwords."""

from collections.abc import Sequence

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Role, User
from certtrack.services.transaction import committed
from certtrack.workflow.errors import InvalidParams

MIN_PASSWORD = 8
LOCALES = ("en", "it")


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
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
            errors["email"] = _("An account with this email already exists.")
    if not name.strip():
        errors["name"] = _("This field is required.")
    if role == Role.COORDINATOR and agency is None:
        errors["agency"] = _("A coordinator belongs to an agency.")
    if role == Role.MANAGER and cluster is None:
        errors["cluster"] = _("A manager belongs to a cluster.")
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
        languages=[lang.lower() for lang in languages],
        affiliation=affiliation,
        locale=locale,
        password_hash=hash_password(password) if password else None,
    )
    with committed():
        db.session.add(user)
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
