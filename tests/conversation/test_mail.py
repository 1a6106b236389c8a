"""A new message reaches the other participants by email, through the outbox and a real
SMTP server: each once, in their language, with an absolute link to the thread; an
internal note never reaches the cluster."""

from datetime import date, datetime

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, Role
from certtrack.services import conversation
from certtrack.services.dispatch import send_due
from tests.builders import Journey, add_user, make_cast
from tests.mail_server import BASE_URL

DAY = date(2014, 9, 1)
NOW = datetime(2014, 9, 1, 10, 0)
LATER = datetime(2014, 9, 1, 10, 5)


def setup_conversation():  # type: ignore[no-untyped-def]
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(DAY)
    cast.manager.locale = "it"
    colleague = add_user(Role.MANAGER, "second@ditenave.example", cluster_id=cast.cluster.id)
    opted_out = add_user(
        Role.MANAGER,
        "third@ditenave.example",
        cluster_id=cast.cluster.id,
        wants_conversation_messages=False,
    )
    db.session.commit()
    send_due(now=NOW)  # the workflow notices of the steps so far
    return cast, journey.application, colleague, opted_out


def test_a_message_reaches_each_other_participant_once_in_their_language(mail_app, smtp):
    cast, app, colleague, _opted_out = setup_conversation()
    smtp.inbox.received.clear()
    conversation.set_muted(colleague, app, True)
    message = conversation.post(
        app,
        cast.consultant,
        "Please send the **minutes** <script>alert(1)</script> [x](javascript:alert(1))",
        now=NOW,
    )
    send_due(now=LATER)
    send_due(now=LATER)  # again: nothing twice
    received = sorted(r.to[0] for r in smtp.inbox.received)
    # Not the author, not who muted it, not who turned these notices off, no outsider.
    assert received == sorted([cast.manager.email, cast.coordinator.email])
    link = f"{BASE_URL}/applications/{app.id}/conversation#message-{message.id}"
    [to_manager] = smtp.inbox.to(cast.manager.email)
    assert to_manager.subject == f"{cast.cluster.name}: un messaggio da {cast.consultant.name}"
    text, html = to_manager.part("text/plain"), to_manager.part("text/html")
    assert link in text and f'href="{link}"' in html
    # Plain text: the source as typed; HTML: the sanitised rendering.
    assert "Please send the **minutes** <script>" in text
    assert "<strong>minutes</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    [to_coordinator] = smtp.inbox.to(cast.coordinator.email)
    assert to_coordinator.subject == f"{cast.cluster.name}: a message from {cast.consultant.name}"
    assert "List-Unsubscribe" in to_coordinator.message


def test_an_internal_note_never_reaches_a_managers_mail(mail_app, smtp):
    cast, app, colleague, _opted_out = setup_conversation()
    smtp.inbox.received.clear()
    conversation.post(
        app, cast.coordinator, "Secret assessment: weak-funding", internal=True, now=NOW
    )
    send_due(now=LATER)
    assert [r.to[0] for r in smtp.inbox.received] == [cast.consultant.email]
    [note] = smtp.inbox.received
    assert "internal note" in note.subject
    assert "not visible to the cluster" in note.part("text/plain")
    for manager in (cast.manager, colleague):
        assert not smtp.inbox.to(manager.email)
    every_mail = "".join(
        r.message.as_string() for r in smtp.inbox.received if r.to[0] != cast.consultant.email
    )
    assert "weak-funding" not in every_mail


def test_a_notice_of_a_muted_conversation_is_cancelled_at_send_time(mail_app, smtp):
    """Muted after the post but before the dispatch: nothing goes out."""
    cast, app, _colleague, _opted_out = setup_conversation()
    smtp.inbox.received.clear()
    conversation.post(app, cast.coordinator, "Hello", now=NOW)
    conversation.set_muted(cast.manager, app, True)
    send_due(now=LATER)
    assert not smtp.inbox.to(cast.manager.email)
    statuses = dict(
        db.session.execute(
            select(OutboxMessage.recipient_id, OutboxMessage.status).where(
                OutboxMessage.kind == conversation.KIND
            )
        ).all()
    )
    assert statuses[cast.manager.id] == OutboxStatus.CANCELLED
    assert statuses[cast.consultant.id] == OutboxStatus.SENT
