"""API tokens and calendar feed secrets: random, shown once, stored as SHA-256 hashes,
expiring (API tokens) and revocable."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from certtrack.extensions import db
from certtrack.models import ApiToken, CalendarFeed, User
from certtrack.models.base import utcnow
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow.errors import InvalidParams

# Writing last_used_at on every request would turn reads into writes; once a minute tells
# the user enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    """What is stored of a secret handed to a client (tokens, feeds, sessions)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_token(user: User, name: str, now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidParams(
            _("Name the token (at most 100 characters)."),
            {"name": _("Name the token (at most 100 characters).")},
        )
    if problem := text_problem(name):
        raise InvalidParams(problem, {"name": problem})
    now = now or utcnow()
    secret = "ct_" + secrets.token_urlsafe(32)
    days = int(current_app.config.get("CERTTRACK_API_TOKEN_DAYS", 30))
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:10],
        token_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    with committed():
        db.session.add(token)
    return token, secret


def user_for_api_token(secret: str, now: datetime | None = None) -> User | None:
    """The active user a valid (not expired, not revoked) token belongs to."""
    now = now or utcnow()
    # The user comes in the same statement: every API request asks this.
    token = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == secret_hash(secret))
        .options(joinedload(ApiToken.user))
    )
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = token.user
    if not user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        with committed():
            token.last_used_at = now
    return user


def revoke_api_token(user: User, token_id: int, now: datetime | None = None) -> bool:
    """Revoke one of the user's own tokens; False when there is no such live token."""
    with committed():
        result = db.session.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
            )
            .values(revoked_at=now or utcnow())
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def revoke_all_api_tokens(user: User, now: datetime) -> None:
    """Revoke every live token of the user, inside the caller's transaction (a new
    password ends them)."""
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def api_tokens(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def new_calendar_feed(user: User, now: datetime | None = None) -> str:
    """A new secret feed address for `user`; any previous one stops working."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(24)
    with committed():
        _revoke_feeds(user, now)
        db.session.add(
            CalendarFeed(user_id=user.id, token_hash=secret_hash(secret), created_at=now)
        )
    return secret


def revoke_calendar_feed(user: User, now: datetime | None = None) -> None:
    with committed():
        _revoke_feeds(user, now or utcnow())


def _revoke_feeds(user: User, now: datetime) -> None:
    db.session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def has_calendar_feed(user: User) -> bool:
    query = select(CalendarFeed.id).where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
    )
    return db.session.scalar(query) is not None


def user_for_calendar_feed(secret: str) -> User | None:
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == secret_hash(secret))
    )
    if feed is None or feed.revoked_at is not None or not feed.user.active:
        return None
    return feed.user
