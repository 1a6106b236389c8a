"""Slowing down password guessing: too many failed sign-ins for one address, or from one
network address, within a window lock further attempts until the window has passed."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from certtrack.extensions import db
from certtrack.models import LoginAttempt
from certtrack.services.transaction import committed


class SignInLocked(Exception):
    """Too many recent failures for this address or from this client."""


def _limits() -> tuple[int, int, timedelta]:
    config = current_app.config
    return (
        int(config.get("LOGIN_MAX_FAILURES_PER_EMAIL", 5)),
        int(config.get("LOGIN_MAX_FAILURES_PER_IP", 20)),
        timedelta(minutes=int(config.get("LOGIN_WINDOW_MINUTES", 15))),
    )


def locked(email: str, ip: str, now: datetime) -> bool:
    """Whether sign-in is locked for this address or this client right now."""
    per_email, per_ip, window = _limits()
    since = now - window
    by_email, by_ip = db.session.execute(
        select(
            func.count().filter(LoginAttempt.email == email),
            func.count().filter(LoginAttempt.ip == ip),
        ).where(LoginAttempt.at > since, or_(LoginAttempt.email == email, LoginAttempt.ip == ip))
    ).one()
    return int(by_email) >= per_email or int(by_ip) >= per_ip


def record_failure(email: str, ip: str, now: datetime) -> None:
    _per_email, _per_ip, window = _limits()
    with committed():
        db.session.add(LoginAttempt(email=email[:254], ip=ip[:45], at=now))
        # Keep the table small: older attempts no longer count.
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - 2 * window))


def clear(email: str) -> None:
    with committed():
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
