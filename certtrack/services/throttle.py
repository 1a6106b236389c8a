"""Slowing down password guessing: too many failed sign-ins for one address, or from one
network address, within a window lock further attempts until the window has passed.

An attempt is counted (reserved) before its password is checked, by a conditional UPDATE
that only succeeds while the counter is under the limit; concurrent requests wait for
each other on the counter's row (PostgreSQL) or the database's write lock (SQLite), so
however many arrive at once, no more than the limit are ever checked. A successful
sign-in gives its attempt back."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, delete, select, update

from certtrack.extensions import db
from certtrack.models import LoginAttempt
from certtrack.services.sql import insert_or_skip
from certtrack.services.transaction import committed


class SignInLocked(Exception):
    """Too many recent failures for this address or from this client."""


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("LOGIN_WINDOW_MINUTES", 15)))


def _counters(email: str, ip: str) -> list[tuple[str, int]]:
    """The counters an attempt takes, always in this order (so that concurrent
    transactions lock rows in the same order and cannot deadlock), with their limits."""
    config = current_app.config
    return [
        (f"email:{email[:254]}", int(config.get("LOGIN_MAX_FAILURES_PER_EMAIL", 5))),
        (f"ip:{ip[:45]}", int(config.get("LOGIN_MAX_FAILURES_PER_IP", 20))),
    ]


def reserve(email: str, ip: str, now: datetime) -> None:
    """Count an attempt for `email` from `ip` before its password is checked; raises
    SignInLocked (and counts nothing) while either counter is at its limit."""
    cutoff = now - _window()
    dialect = db.session.get_bind().dialect.name
    with committed():
        for key, limit in _counters(email, ip):
            db.session.execute(
                insert_or_skip(LoginAttempt, dialect, ["key"]).values(
                    key=key, failures=0, window_started_at=now
                )
            )
            expired = LoginAttempt.window_started_at <= cutoff
            taken = db.session.execute(
                update(LoginAttempt)
                .where(LoginAttempt.key == key, expired | (LoginAttempt.failures < limit))
                .values(
                    failures=case((expired, 1), else_=LoginAttempt.failures + 1),
                    window_started_at=case((expired, now), else_=LoginAttempt.window_started_at),
                )
                .execution_options(synchronize_session=False)
            )
            if not taken.rowcount:  # type: ignore[attr-defined]
                db.session.rollback()  # the other counter's reservation too
                raise SignInLocked(
                    _("Too many failed attempts. Please wait a few minutes and try again.")
                )


def release(email: str, ip: str, now: datetime) -> None:
    """A successful sign-in: the address starts afresh and the client gets its attempt
    back. Counters whose window is long over are forgotten."""
    (email_key, _limit), (ip_key, _ip_limit) = _counters(email, ip)
    with committed():
        db.session.execute(
            update(LoginAttempt).where(LoginAttempt.key == email_key).values(failures=0)
        )
        db.session.execute(
            update(LoginAttempt)
            .where(LoginAttempt.key == ip_key, LoginAttempt.failures > 0)
            .values(failures=LoginAttempt.failures - 1)
        )
    _forget_old(now)


def clear(email: str) -> None:
    """The address starts afresh (its owner just proved who they are)."""
    (email_key, _limit), _ip = _counters(email, "")
    with committed():
        db.session.execute(
            update(LoginAttempt).where(LoginAttempt.key == email_key).values(failures=0)
        )


def _forget_old(now: datetime) -> None:
    # Rows another request holds are skipped, not waited for: housekeeping never blocks
    # (nor deadlocks with) a sign-in.
    old = (
        select(LoginAttempt.id)
        .where(LoginAttempt.window_started_at < now - 2 * _window())
        .with_for_update(skip_locked=True)
    )
    with committed():
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(old)))
