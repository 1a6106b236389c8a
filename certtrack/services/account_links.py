"""Signed links for setting a password: a reset for a forgotten one, an invitation for a
new account. A link expires, and works once: it carries a fingerprint of the current
password hash, which setting a password changes."""

import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from certtrack.extensions import db
from certtrack.models import User
from certtrack.workflow.errors import NotFound

LIFETIMES = {"reset": timedelta(hours=2), "invitation": timedelta(days=14)}


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in LIFETIMES:
        raise ValueError(purpose)
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"certtrack-{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "no password yet").encode()).hexdigest()[:16]


def make_link_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str, purpose: str) -> User:
    """The active user a link was made for, or NotFound when the link is forged,
    expired, already used or for a deactivated account."""
    refused = NotFound(_("This link is invalid or has expired; ask for a new one."))
    try:
        data = _serializer(purpose).loads(token, max_age=int(LIFETIMES[purpose].total_seconds()))
    except (SignatureExpired, BadSignature):
        raise refused from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise refused
    return user
