"""Each application's conversation: reading it (internal notes only for those who may),
posting to it, muting it, and telling the other participants of a new message through
the outbox, in the post's own transaction."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import joinedload

from certtrack.extensions import db
from certtrack.models import Application, ConversationMessage, ConversationMute, Role, User
from certtrack.models.base import utcnow
from certtrack.services import outbox
from certtrack.services.outbox import Draft
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow import permissions
from certtrack.workflow.errors import InvalidParams
from certtrack.workflow.types import Thing

MAX_BODY = 10000
KIND = "conversation_message"


def thread_link(application_id: int, message_id: int | None = None) -> str:
    """The path of the conversation page (its last page, where new messages are)."""
    path = f"/applications/{application_id}/conversation"
    return f"{path}#message-{message_id}" if message_id else path


def visible_to(user: User, application: Application) -> ColumnElement[bool]:
    """WHERE clause on ConversationMessage: what `user` reads of this application's
    conversation (the caller has checked that they see the application)."""
    mine = ConversationMessage.application_id == application.id
    if permissions.reads_internal_notes(user, application):
        return mine
    return mine & ConversationMessage.internal.is_(False)


def messages(user: User, application: Application) -> Select[ConversationMessage]:
    """The messages `user` reads, oldest first, with their authors."""
    return (
        select(ConversationMessage)
        .where(visible_to(user, application))
        .options(joinedload(ConversationMessage.author))
        .order_by(ConversationMessage.created_at, ConversationMessage.id)
    )


@dataclass(frozen=True)
class Latest:
    """The end of the conversation for the application page: its last messages and how
    many there are in all."""

    messages: list[ConversationMessage]
    total: int


def latest(user: User, application: Application, count: int) -> Latest:
    """The last `count` messages `user` reads (oldest of them first), in two queries."""
    newest = (
        messages(user, application)
        .order_by(None)
        .order_by(ConversationMessage.created_at.desc(), ConversationMessage.id.desc())
        .limit(count)
    )
    found = list(reversed(db.session.scalars(newest).all()))
    total = db.session.scalar(
        select(func.count()).select_from(ConversationMessage).where(visible_to(user, application))
    )
    return Latest(found, total or 0)


def may_post(user: User, application: Application, internal: bool = False) -> bool:
    """Whether `user` may post now (an internal note with `internal`)."""
    thing = Thing.INTERNAL_NOTES if internal else Thing.THREAD
    return permissions.allows(user, application, Thing.THREAD) and permissions.allows(
        user, application, thing
    )


def post(
    application: Application,
    author: User,
    body: str,
    *,
    internal: bool = False,
    now: datetime | None = None,
) -> ConversationMessage:
    """Add a message (or an internal note) and queue its notices to the other
    participants. Refused: those outside the conversation, a closed application, an
    internal note from the cluster's side, an empty or unfit body."""
    for thing in (Thing.THREAD, Thing.INTERNAL_NOTES) if internal else (Thing.THREAD,):
        refused = permissions.refusal(author, application, thing)
        if refused:
            raise refused
    text = (body or "").strip()
    problem = (
        _("Write a message.")
        if not text
        else _("At most %(n)s characters.", n=MAX_BODY)
        if len(text) > MAX_BODY
        else text_problem(text, multiline=True)
    )
    if problem:
        raise InvalidParams(_("The message was not sent."), {"body": problem})
    now = now or utcnow()
    with committed():
        message = ConversationMessage(
            application_id=application.id,
            author_id=author.id,
            created_at=now,
            body=text,
            internal=internal,
        )
        db.session.add(message)
        db.session.flush()
        outbox.write(
            [
                Draft(
                    key=f"{KIND}:{message.id}:{person.id}",
                    kind=KIND,
                    recipient_id=person.id,
                    link=thread_link(application.id, message.id),
                    context={"message": message.id},
                    application_id=application.id,
                )
                for person in recipients(application, author, internal=internal)
            ],
            now=now,
        )
    return message


def recipients(application: Application, author: User, *, internal: bool) -> list[User]:
    """Who hears of a new message: the cluster's managers (not of an internal note), the
    agency's coordinators and the assigned consultant; not its author, nobody who
    muted the conversation or turned these notices off, nobody deactivated."""
    muted = select(ConversationMute.user_id).where(
        ConversationMute.application_id == application.id
    )
    cluster = application.cluster
    sides: list[ColumnElement[bool]] = [
        (User.role == Role.COORDINATOR) & (User.agency_id == cluster.agency_id)
    ]
    if not internal:
        sides.append((User.role == Role.MANAGER) & (User.cluster_id == cluster.id))
    if application.consultant_id is not None:
        sides.append(User.id == application.consultant_id)
    query = select(User).where(
        or_(*sides),
        User.active.is_(True),
        User.wants_conversation_messages.is_(True),
        User.id != author.id,
        User.id.not_in(muted),
    )
    people = db.session.scalars(query.order_by(User.id)).all()
    # The rule of who reads the message has the last word (a consultant is on the
    # agency's side; managers never read internal notes).
    return [p for p in people if not internal or permissions.reads_internal_notes(p, application)]


def is_muted(user: User, application: Application) -> bool:
    """Whether `user` muted the application's conversation."""
    return db.session.get(ConversationMute, (user.id, application.id)) is not None


def set_muted(user: User, application: Application, muted: bool) -> None:
    """Mute or unmute the conversation for `user` (again is harmless). The caller has
    checked that `user` sees the application."""
    with committed():
        db.session.execute(
            delete(ConversationMute).where(
                ConversationMute.user_id == user.id,
                ConversationMute.application_id == application.id,
            )
        )
        if muted:
            db.session.add(ConversationMute(user_id=user.id, application_id=application.id))
