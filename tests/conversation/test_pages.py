"""The conversation on the pages: posting, refusals with the text kept, internal notes
marked and kept from the cluster, the application page's preview and history, muting,
the thread's pages."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Application, ConversationMessage, User
from certtrack.models.base import utcnow
from certtrack.services import conversation
from tests.web.conftest import open_application_id, sign_in
from tests.web.test_permissions import ROLES

NOTE_LABEL = "Internal note — not visible to the cluster"


def area(demo) -> int:  # type: ignore[no-untyped-def]
    return open_application_id(demo, "Consorzio AREA")


def count_messages(demo) -> int:  # type: ignore[no-untyped-def]
    with demo.app_context():
        return db.session.scalar(select(func.count()).select_from(ConversationMessage)) or 0


def test_a_manager_posts_and_reads_it_on_the_thread_and_the_application_page(demo, client):
    app_id = area(demo)
    sign_in(client, ROLES["manager"])
    response = client.post(
        f"/applications/{app_id}/conversation", data={"body": "The *minutes* are ready."}
    )
    assert response.status_code == 302
    with demo.app_context():
        newest = db.session.scalar(
            select(ConversationMessage).order_by(ConversationMessage.id.desc())
        )
        assert (newest.body, newest.internal) == ("The *minutes* are ready.", False)
    assert response.headers["Location"].endswith(
        f"/applications/{app_id}/conversation#message-{newest.id}"
    )
    thread = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert f'id="message-{newest.id}"' in thread and "The <em>minutes</em> are ready." in thread
    page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "The <em>minutes</em> are ready." in page  # the preview
    assert f'data-history-message="{newest.id}"' in page  # and the history


def test_a_refused_post_keeps_the_text_and_says_why_beside_the_field(demo, client):
    app_id = area(demo)
    before = count_messages(demo)
    sign_in(client, ROLES["manager"])
    response = client.post(
        f"/applications/{app_id}/conversation", data={"body": "Dear all,\x07 the minutes"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r"<textarea[^>]*>\s*Dear all,.*the minutes</textarea>", page, re.S)
    assert 'class="invalid-feedback">Contains a control character' in page
    empty = client.post(f"/applications/{app_id}/conversation", data={"body": "  "})
    assert empty.status_code == 422
    assert 'class="invalid-feedback">Write a message.' in empty.get_data(as_text=True)
    assert count_messages(demo) == before


def test_only_the_agency_side_is_offered_and_may_write_an_internal_note(demo, client):
    app_id = area(demo)
    sign_in(client, ROLES["manager"])
    page = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert 'name="internal"' not in page and NOTE_LABEL not in page
    before = count_messages(demo)
    forged = client.post(
        f"/applications/{app_id}/conversation", data={"body": "Psst", "internal": "y"}
    )
    assert forged.status_code == 403
    assert count_messages(demo) == before
    for role in ("coord", "consultant", "admin"):
        sign_in(client, ROLES[role])
        page = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
        assert 'name="internal"' in page, role
    posted = client.post(
        f"/applications/{app_id}/conversation", data={"body": "Between us", "internal": "y"}
    )
    assert posted.status_code == 302
    thread = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    # Marked in words and in colour.
    item = thread[thread.rindex("<li", 0, thread.index("Between us")) : thread.index("Between us")]
    assert "data-internal" in item and "border-warning" in item and NOTE_LABEL in item


def test_internal_notes_stay_out_of_the_clusters_pages_and_history(demo, client):
    app_id = area(demo)
    with demo.app_context():
        notes = db.session.scalars(
            select(ConversationMessage).where(
                ConversationMessage.application_id == app_id, ConversationMessage.internal
            )
        ).all()
        assert notes
        note_ids = [note.id for note in notes]
    sign_in(client, ROLES["manager"])
    for url in (f"/applications/{app_id}", f"/applications/{app_id}/conversation"):
        page = client.get(url).get_data(as_text=True)
        for note_id in note_ids:
            assert f'id="message-{note_id}"' not in page, url
            assert f'data-history-message="{note_id}"' not in page, url
            assert f"#message-{note_id}" not in page, url
        assert "Internal note" not in page
    sign_in(client, ROLES["coord"])
    page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert all(f'data-history-message="{note_id}"' in page for note_id in note_ids)
    assert "not visible to the cluster" in page


def test_mute_and_unmute_from_the_thread(demo, client):
    app_id = area(demo)
    sign_in(client, ROLES["manager"])
    assert client.post(f"/applications/{app_id}/conversation/mute").status_code == 302
    page = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert "Unmute" in page and "Muted: you get no emails" in page
    with demo.app_context():
        manager = db.session.scalar(select(User).where(User.email == ROLES["manager"]))
        application = db.session.get(Application, app_id)
        assert conversation.is_muted(manager, application)
    assert client.post(f"/applications/{app_id}/conversation/unmute").status_code == 302
    page = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert "Mute this conversation" in page


def test_the_thread_opens_on_its_newest_page_and_the_application_page_stays_bounded(demo, client):
    app_id = area(demo)
    with demo.app_context():
        application = db.session.get(Application, app_id)
        coordinator = db.session.scalar(select(User).where(User.email == ROLES["coord"]))
        start = utcnow()
        for n in range(60):
            conversation.post(
                application, coordinator, f"Numbered {n:02d}.", now=start + timedelta(minutes=n)
            )
    sign_in(client, ROLES["manager"])
    newest = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert "Numbered 59." in newest and "Numbered 00." not in newest
    assert newest.index("Numbered 58.") < newest.index("Numbered 59.")  # newest last
    first = client.get(f"/applications/{app_id}/conversation?page=1").get_data(as_text=True)
    assert "Numbered 00." not in newest and "Numbered 59." not in first
    page = client.get(f"/applications/{app_id}").get_data(as_text=True)
    shown = re.findall(r"Numbered (\d\d)\.", page)
    assert shown == ["57", "58", "59"]  # the preview; the history names no bodies
    assert "Earlier messages are in the conversation." in page


def test_no_feed_or_export_carries_a_message(demo, client):
    """Conversations stay in the conversation: the calendar feed and the CSV exports
    carry no message, internal or not."""
    with demo.app_context():
        bodies = []
        for message in db.session.scalars(select(ConversationMessage)):
            message.body = f"conversation-marker-{message.id}-end"
            bodies.append(message.body)
        db.session.commit()
    assert bodies
    for role in ("coord", "manager", "consultant"):
        sign_in(client, ROLES[role])
        page = client.post("/account/calendar").get_data(as_text=True)
        feed = re.search(r"data-feed-url>([^<]+)<", page)
        assert feed, role
        answer = client.get(urlsplit(feed.group(1)).path)
        assert answer.status_code == 200 and answer.mimetype == "text/calendar"
        texts = [answer.get_data(as_text=True)]
        if role == "coord":
            for export in ("clusters", "labels", "recommendations"):
                texts.append(client.get(f"/exports/{export}.csv").get_data(as_text=True))
        assert not [body for body in bodies for text in texts if body in text], role
