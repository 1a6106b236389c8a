"""Emails that let people set their password: invitations and resets. They go out
through the outbox like every other message."""

from collections.abc import Iterable
from datetime import datetime

from certtrack.models import User
from certtrack.models.base import utcnow
from certtrack.services import outbox
from certtrack.services.account_links import make_link_token
from certtrack.services.transaction import committed
from certtrack.services.users import find_by_email


def _slot(now: datetime) -> str:
    """Ten-minute slots: asking again and again within one sends one email."""
    return now.strftime("%Y%m%d%H%M")[:-1]


def invitation(user: User, inviter: str, now: datetime) -> outbox.Draft:
    """The invitation for `user` to choose a password, from `inviter` (a name)."""
    return outbox.Draft(
        key=f"invitation:{user.id}:{_slot(now)}",
        kind="invitation",
        recipient_id=user.id,
        link=f"/invitation/{make_link_token(user, 'invitation')}",
        context={"inviter": inviter},
    )


def invite(user: User, inviter: User, now: datetime | None = None) -> bool:
    """Queue an invitation to choose a password. False if one went out just now."""
    with committed():
        return outbox.write([invitation(user, inviter.name, now or utcnow())]) == 1


def invite_all(users: Iterable[User], inviter: str, now: datetime) -> int:
    """Queue invitations for many new accounts in the caller's transaction (it does not
    commit), so they go out only if what created the accounts is committed. Returns how
    many were queued."""
    return outbox.write([invitation(user, inviter, now) for user in users], now)


def request_password_reset(email: str, now: datetime | None = None) -> None:
    """Queue a reset link if an active account has this address. Says nothing either
    way, so the form does not reveal who has an account."""
    now = now or utcnow()
    user = find_by_email(email)
    if user is None or not user.active:
        return
    with committed():
        outbox.enqueue(
            "password_reset",
            user,
            key=f"password_reset:{user.id}:{_slot(now)}",
            link=f"/password/reset/{make_link_token(user, 'reset')}",
        )
