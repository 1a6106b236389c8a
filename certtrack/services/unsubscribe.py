"""One-click unsubscribe (RFC 8058) from the messages a user may turn off.

The link carries a signed token naming the user and the setting, so following it works
without signing in; it can only ever turn that one setting off."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from certtrack.extensions import db
from certtrack.models import OutboxMessage, User
from certtrack.services.messages import OPT_OUTS
from certtrack.services.outbox import external_url
from certtrack.services.transaction import committed
from certtrack.workflow.errors import NotFound

# What each setting a user may turn off is called, here and on the settings page.
PREFERENCES = {
    "wants_digest": _l("The weekly digest (coordinators)"),
    "wants_recommendation_reminders": _l("Reminders about recommendations coming due or overdue"),
    "wants_conversation_messages": _l("New messages in the conversations of applications"),
}


@dataclass(frozen=True)
class Unsubscription:
    user: User
    setting: str

    @property
    def name(self) -> str:
        return str(PREFERENCES[self.setting])


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="certtrack-unsubscribe")


def link_for(message: OutboxMessage) -> str | None:
    """The unsubscribe address for a message a user may turn off, else None."""
    setting = OPT_OUTS.get(message.kind)
    if setting is None:
        return None
    token = _serializer().dumps({"user": message.recipient_id, "setting": setting})
    return external_url(f"/notifications/unsubscribe/{token}")


def read(token: str) -> Unsubscription:
    """What a link would turn off, or NotFound for a forged, altered or stale link."""
    refused = NotFound(_("This unsubscribe link is invalid."))
    try:
        data = _serializer().loads(token)
    except BadSignature:
        raise refused from None
    if not isinstance(data, dict) or data.get("setting") not in PREFERENCES:
        raise refused
    user_id = data.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active:
        raise refused
    return Unsubscription(user, data["setting"])


def turn_off(token: str) -> Unsubscription:
    """Turn off the setting a link names (again is harmless)."""
    unsubscription = read(token)
    with committed():
        setattr(unsubscription.user, unsubscription.setting, False)
    return unsubscription
