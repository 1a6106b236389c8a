"""Files posted with a conversation message, on both stores: stored with the message or
not at all, listed under it and in the Documents list, and an internal note's files
kept from the cluster's managers on the pages, in the API and at the download route."""

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import ConversationMessage, Document
from certtrack.services import conversation
from certtrack.services.dispatch import send_due
from certtrack.services.documents import Upload
from certtrack.workflow.errors import InvalidParams
from tests.api.conftest import token_for
from tests.builders import PASSWORD, Journey, make_cast
from tests.documents.conftest import (
    ELF,
    LIMIT,
    PDF,
    PNG,
    app,
    blobs,
    document_rows,
    journey,
    s3_endpoint,
    usage,
)
from tests.web.conftest import sign_in as sign_in_as

# The documents tests' app on both stores and their journey.
__all__ = ["app", "journey", "s3_endpoint"]
NOTE_TEXT = "Between us: the budget looks thin."


def sign_in(client: FlaskClient, email: str) -> None:
    sign_in_as(client, email, PASSWORD)


def messages_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ConversationMessage)) or 0


def post_form(client: FlaskClient, app_id: int, body: str, files):  # type: ignore[no-untyped-def]
    data = {"body": body, "files": [(io.BytesIO(data), name) for data, name in files]}
    return client.post(
        f"/applications/{app_id}/conversation", data=data, content_type="multipart/form-data"
    )


def test_a_message_with_two_files_stores_both_with_it(app, journey, client):
    app_id = journey.application.id
    sign_in(client, journey.cast.manager.email)
    response = post_form(
        client, app_id, "Minutes and map.", [(PDF, "minutes.pdf"), (PNG, "map.png")]
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    rows = document_rows(app)
    assert [(d.file_name, d.content_type) for d in rows] == [
        ("minutes.pdf", "application/pdf"),
        ("map.png", "image/png"),
    ]
    with app.app_context():
        message = db.session.scalar(select(ConversationMessage))
        assert {d.message_id for d in rows} == {message.id}
    assert blobs(app) == {d.storage_key for d in rows}
    assert usage(app, app_id) == len(PDF) + len(PNG)
    thread = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    for doc in rows:
        assert f'href="/documents/{doc.id}/download"' in thread and doc.file_name in thread
    detail = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert "attached to a message" in detail and "minutes.pdf" in detail
    with client.get(f"/documents/{rows[0].id}/download") as download:
        assert download.status_code == 200 and download.data == PDF


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [(ELF, "tool.pdf", 415), (b"x" * (LIMIT + 1), "big.txt", 413), (b"", "empty.txt", 422)],
)
def test_a_refused_file_refuses_the_whole_post_and_stores_nothing(
    app, journey, client, data, name, status
):
    app_id = journey.application.id
    sign_in(client, journey.cast.manager.email)
    response = post_form(client, app_id, "Keep this text.", [(PDF, "ok.pdf"), (data, name)])
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "Keep this text." in page and name in page  # the text kept, the reason shown
    assert messages_count(app) == 0
    assert document_rows(app) == []
    assert blobs(app) == set()
    assert usage(app, app_id) == 0


def test_a_refused_message_stores_none_of_its_files(app, journey):
    with pytest.raises(InvalidParams):
        conversation.post(
            journey.application,
            journey.cast.manager,
            "   ",
            files=[Upload(io.BytesIO(PDF), "a.pdf")],
        )
    assert messages_count(app) == 0 and document_rows(app) == [] and blobs(app) == set()


def note_with_file(journey: Journey) -> Document:
    message = conversation.post(
        journey.application,
        journey.cast.coordinator,
        NOTE_TEXT,
        internal=True,
        files=[Upload(io.BytesIO(PDF), "secret-budget.pdf")],
    )
    [document] = message.attachments
    return document


def test_an_internal_notes_file_is_invisible_and_undownloadable_for_a_manager(app, journey, client):
    document = note_with_file(journey)
    app_id, doc_id = journey.application.id, document.id
    sign_in(client, journey.cast.manager.email)
    for path in (f"/applications/{app_id}/conversation", f"/applications/{app_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "secret-budget.pdf" not in page and f"/documents/{doc_id}/" not in page
    assert client.get(f"/documents/{doc_id}/download").status_code == 404
    assert client.post(f"/documents/{doc_id}/delete", data={"confirmed": "yes"}).status_code == 404
    token = token_for(client, journey.cast.manager.email, PASSWORD)
    listed = client.get(
        f"/api/v1/applications/{app_id}/messages", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert "secret-budget.pdf" not in str(listed)


@pytest.mark.parametrize("who", ["coordinator", "consultant"])
def test_an_internal_notes_file_is_there_for_the_agencys_side(app, journey, client, who):
    document = note_with_file(journey)
    app_id, doc_id = journey.application.id, document.id
    email = getattr(journey.cast, who).email
    sign_in(client, email)
    thread = client.get(f"/applications/{app_id}/conversation").get_data(as_text=True)
    assert "secret-budget.pdf" in thread and f"/documents/{doc_id}/download" in thread
    detail = client.get(f"/applications/{app_id}").get_data(as_text=True)
    assert f'id="document-{doc_id}"' in detail
    with client.get(f"/documents/{doc_id}/download") as download:
        assert download.data == PDF
    token = token_for(client, email, PASSWORD)
    listed = client.get(
        f"/api/v1/applications/{app_id}/messages", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    [note] = [m for m in listed["items"] if m["internal"]]
    [attachment] = note["attachments"]
    assert attachment["id"] == doc_id and attachment["file_name"] == "secret-budget.pdf"
    assert attachment["size"] == len(PDF) and attachment["content_type"] == "application/pdf"
    assert attachment["download_url"].endswith(f"/documents/{doc_id}/download")


def test_the_api_takes_a_multipart_message_with_files(app, journey, client):
    app_id = journey.application.id
    token = token_for(client, journey.cast.consultant.email, PASSWORD)
    response = client.post(
        f"/api/v1/applications/{app_id}/messages",
        data={
            "body": "Here is the plan.",
            "internal": "true",
            "files": [(io.BytesIO(PDF), "plan.pdf"), (io.BytesIO(PNG), "chart.png")],
        },
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["internal"] is True
    assert [a["file_name"] for a in created["attachments"]] == ["plan.pdf", "chart.png"]
    assert len(blobs(app)) == 2


def test_the_api_refuses_a_multipart_message_with_a_bad_file_and_stores_nothing(
    app, journey, client
):
    token = token_for(client, journey.cast.consultant.email, PASSWORD)
    response = client.post(
        f"/api/v1/applications/{journey.application.id}/messages",
        data={"body": "Plan.", "files": [(io.BytesIO(PDF), "a.pdf"), (io.BytesIO(ELF), "b.pdf")]},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type" and "b.pdf" in error["fields"]["files"]
    assert messages_count(app) == 0 and document_rows(app) == [] and blobs(app) == set()


def test_the_api_still_takes_json(app, journey, client):
    token = token_for(client, journey.cast.consultant.email, PASSWORD)
    response = client.post(
        f"/api/v1/applications/{journey.application.id}/messages",
        json={"body": "Plain."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201 and response.get_json()["attachments"] == []


def test_the_email_notice_names_the_attachments_not_their_content(mail_app, smtp, tmp_path: Path):
    mail_app.config["DOCUMENT_STORAGE_PATH"] = str(tmp_path / "documents")
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(date(2014, 9, 1))
    send_due(now=datetime(2014, 9, 1, 10, 0))
    smtp.inbox.received.clear()
    secret = b"%PDF-1.4\n% TOP-SECRET-CONTENT\n%%EOF\n"
    conversation.post(
        journey.application,
        cast.consultant,
        "See the files.",
        files=[Upload(io.BytesIO(secret), "budget.pdf"), Upload(io.BytesIO(PNG), "map.png")],
        now=datetime(2014, 9, 1, 10, 1),
    )
    send_due(now=datetime(2014, 9, 1, 10, 5))
    [to_manager] = smtp.inbox.to(cast.manager.email)
    text, html = to_manager.part("text/plain"), to_manager.part("text/html")
    assert "budget.pdf, map.png" in text and "budget.pdf, map.png" in html
    assert "TOP-SECRET-CONTENT" not in to_manager.message
