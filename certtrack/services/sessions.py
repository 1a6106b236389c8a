"""Server-side sign-in sessions. Flask-Login's session and remember cookies carry a
random secret instead of the user id; the secret is looked up here on every request, so
ending a session (signing out, a new password, "end this session" on another device)
ends every copy of its cookies. Only a SHA-256 hash of the secret is stored."""

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from certtrack.extensions import db
from certtrack.models import User, UserSession
from certtrack.models.base import utcnow
from certtrack.services.tokens import secret_hash
from certtrack.services.transaction import committed

# Ended and expired sessions stay listed in the database this long, then go.
FORGET_AFTER = timedelta(days=30)
# Writing last_seen_at on every request would turn reads into writes.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
USER_AGENT_LENGTH = 200


def remembered_lifetime() -> timedelta:
    """How long a "remember me" session lasts: as long as its cookie."""
    return timedelta(days=int(current_app.config["CERTTRACK_REMEMBER_DAYS"]))


def idle_lifetime() -> timedelta:
    """How long a session that is not remembered lasts without a request."""
    return timedelta(hours=int(current_app.config["CERTTRACK_SESSION_IDLE_HOURS"]))


def start(
    user: User,
    *,
    remember: bool,
    user_agent: str | None,
    ip: str | None,
    now: datetime | None = None,
) -> UserSession:
    """A new session for `user`; its secret goes on `user.session_token` for Flask-Login
    to put in the cookies, and is never stored."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=secret_hash(secret),
        remembered=remember,
        created_at=now,
        last_seen_at=now,
        expires_at=now + (remembered_lifetime() if remember else idle_lifetime()),
        user_agent=(user_agent or "")[:USER_AGENT_LENGTH] or None,
        ip=(ip or "")[:45] or None,
    )
    with committed():
        db.session.add(row)
    user.session_token = secret
    return row


def find(secret: str, now: datetime | None = None) -> UserSession | None:
    """The live session a cookie's secret belongs to, with its user; None for an
    unknown, ended or expired session or a deactivated account. Notes when it was last
    seen (at most once a minute)."""
    now = now or utcnow()
    row = db.session.scalar(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == secret_hash(secret))
    )
    if row is None or row.ended_at is not None or row.expires_at <= now or not row.user.active:
        return None
    if now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        with committed():
            row.last_seen_at = now
            if not row.remembered:
                row.expires_at = now + idle_lifetime()
    return row


def active_sessions(user: User, now: datetime | None = None) -> list[UserSession]:
    """The user's live sessions, the most recently seen first."""
    query = (
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > (now or utcnow()),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(query))


def end(user: User, session_id: int, now: datetime | None = None) -> bool:
    """End one of the user's own live sessions; False when there is no such session."""
    with committed():
        ended = end_sessions(user, now or utcnow(), only=session_id)
    return ended > 0


def end_others(user: User, keep: int, now: datetime | None = None) -> int:
    """End every session of the user but `keep` (the one asking); how many ended."""
    with committed():
        return end_sessions(user, now or utcnow(), keep=keep)


def end_sessions(
    user: User, now: datetime, *, keep: int | None = None, only: int | None = None
) -> int:
    """End the user's live sessions (all, all but `keep`, or `only` one) inside the
    caller's transaction; how many ended."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep)
    if only is not None:
        query = query.where(UserSession.id == only)
    result = db.session.execute(query.values(ended_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def forget_old(now: datetime) -> int:
    """Delete sessions that ended or expired more than FORGET_AFTER ago, inside the
    caller's transaction (the daily pass); how many went. One statement."""
    cutoff = now - FORGET_AFTER
    result = db.session.execute(
        delete(UserSession).where(
            or_(UserSession.ended_at < cutoff, UserSession.expires_at < cutoff)
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
