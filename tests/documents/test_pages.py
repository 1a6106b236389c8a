"""Uploads, downloads, replacements and deletions through the pages, on both stores:
each file is refused or stored exactly as the page says, and the store and the tables
agree afterwards."""

import io
import re

import pytest
from flask_babel import refresh
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from certtrack.documents.responses import content_disposition
from certtrack.extensions import db
from certtrack.models import AuditEntry
from tests.builders import PASSWORD
from tests.documents.conftest import ELF, LIMIT, PDF, blobs, document_rows, usage

# What the confirmation's final button sends with a delete.
CONFIRMED = {"confirmed": "yes"}


def signed_in(app, email):  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def post_files(client, application_id, *files, **fields):  # type: ignore[no-untyped-def]
    data = {"files": [(io.BytesIO(body), name) for body, name in files], **fields}
    return client.post(
        f"/applications/{application_id}/documents",
        data=data,
        content_type="multipart/form-data",
        buffered=True,
    )


@pytest.fixture
def manager(app, scene):  # type: ignore[no-untyped-def]
    return signed_in(app, scene.cast.manager.email)


def refusal_beside_the_field(page: str) -> str:
    found = re.search(
        r'<div (?:id="[^"]*" )?class="invalid-feedback d-block" data-refusal>([^<]+)</div>', page
    )
    assert found, "no refusal beside the field"
    return found.group(1)


def test_upload_two_files_lists_them_and_downloads(app, scene, manager):
    response = post_files(manager, scene.application.id, (PDF, "plan.pdf"), (b"a;b\n", "t.csv"))
    assert response.status_code == 302
    rows = document_rows(app)
    assert [(r.file_name, r.content_type) for r in rows] == [
        ("plan.pdf", "application/pdf"),
        ("t.csv", "text/csv"),
    ]
    assert blobs(app) == {r.storage_key for r in rows}
    page = manager.get(f"/applications/{scene.application.id}").get_data(as_text=True)
    assert "plan.pdf" in page and "Document uploaded" in page
    download = manager.get(f"/documents/{rows[0].id}/download", buffered=True)
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"plan.pdf\"; filename*=UTF-8''plan.pdf"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"].startswith("private")


@pytest.mark.parametrize(
    ("body", "name", "status", "says"),
    [
        (b"x" * (LIMIT + 1), "big.txt", 413, "big.txt is larger than the limit of 64 kB"),
        (ELF, "report.pdf", 415, "report.pdf is not a file type we accept"),
        (b"MZ\x90\x00" + b"\x00" * 60, "report.pdf", 415, "report.pdf is not a file type"),
        (b"", "empty.pdf", 422, "empty.pdf is empty"),
    ],
    ids=["over-the-limit", "renamed-elf", "renamed-exe", "empty"],
)
def test_refused_file_is_named_beside_the_field_and_nothing_is_kept(
    app, scene, manager, body, name, status, says
):
    response = post_files(manager, scene.application.id, (PDF, "fine.pdf"), (body, name))
    assert response.status_code == status
    assert says in refusal_beside_the_field(response.get_data(as_text=True))
    assert blobs(app) == set()
    assert document_rows(app) == []
    assert usage(app, scene.application.id) == 0


def test_file_name_with_path_and_control_characters(app, scene, manager):
    response = post_files(
        manager, scene.application.id, (PDF, "../../x/rap\x00port\x1b\t\u202e.pdf")
    )
    assert response.status_code == 302
    [row] = document_rows(app)
    assert row.file_name == "rapport.pdf"
    [key] = blobs(app)
    assert "rapport" not in key and ".." not in key
    download = manager.get(f"/documents/{row.id}/download", buffered=True)
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"rapport.pdf\"; filename*=UTF-8''rapport.pdf"
    )


def test_line_break_in_the_file_name_breaks_the_part_and_nothing_is_stored(app, scene, manager):
    """A raw CR LF ends the part's header: no file arrives, the page says so."""
    response = post_files(manager, scene.application.id, (PDF, "a\r\nb.pdf"))
    assert response.status_code == 422
    assert "Choose a file." in refusal_beside_the_field(response.get_data(as_text=True))
    assert blobs(app) == set() and document_rows(app) == []


def test_non_ascii_name_is_encoded(app, scene, manager):
    post_files(manager, scene.application.id, (PDF, "Verbale già firmato;.pdf"))
    [row] = document_rows(app)
    disposition = manager.get(f"/documents/{row.id}/download", buffered=True).headers[
        "Content-Disposition"
    ]
    assert disposition == (
        'attachment; filename="Verbale gi_ firmato_.pdf";'
        " filename*=UTF-8''Verbale%20gi%C3%A0%20firmato%3B.pdf"
    )


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ('a"b.pdf', "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"),
        (
            "a\\b\r\nX: y.pdf",
            "attachment; filename=\"a_b__X_ y.pdf\"; filename*=UTF-8''a%5Cb%0D%0AX%3A%20y.pdf",
        ),
        ("日本.pdf", "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf"),
    ],
)
def test_content_disposition_cannot_be_broken_out_of(name, header):
    assert content_disposition(name) == header


def test_replace_keeps_earlier_version_and_delete_keeps_the_history(app, scene, manager):
    application_id = scene.application.id
    post_files(manager, application_id, (PDF, "plan.pdf"), title="Plan")
    [first] = document_rows(app)
    response = manager.post(
        f"/documents/{first.id}/replace",
        data={"file": (io.BytesIO(PDF + b"%v2"), "plan-v2.pdf"), "title": ""},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = manager.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Earlier versions" in page and "version 2" in page
    current = document_rows(app)[1]
    assert current.replaces_id == first.id and current.title == "Plan"
    assert len(blobs(app)) == 2
    response = manager.post(f"/documents/{current.id}/delete", data=CONFIRMED)
    assert response.status_code == 302
    assert blobs(app) == set()
    assert all(r.deleted_at is not None for r in document_rows(app))
    assert usage(app, application_id) == 0
    with app.app_context():
        events = db.session.scalars(
            select(AuditEntry.event)
            .where(AuditEntry.application_id == application_id)
            .order_by(AuditEntry.id)
        ).all()
    assert events[-3:] == ["document_uploaded", "document_replaced", "document_deleted"]
    manager.post("/locale", data={"locale": "it"})
    refresh()  # the test's app context (where requests run too) cached the locale
    page = manager.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Documento caricato" in page and "Documento sostituito" in page
    assert "Documento eliminato" in page


def test_download_is_in_the_history(app, scene, manager):
    post_files(manager, scene.application.id, (PDF, "plan.pdf"))
    [row] = document_rows(app)
    manager.get(f"/documents/{row.id}/download", buffered=True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.event, entry.data["document_id"]) == ("document_downloaded", row.id)


def test_only_upload_routes_take_large_bodies(app, scene, manager):
    """Regression: the upload routes raise the 1 MB body limit for themselves only."""
    app.config["DOCUMENT_MAX_BYTES"] = 3 * 1024 * 1024
    app.config["DOCUMENT_QUOTA_BYTES"] = 10 * 1024 * 1024
    big = b"line of text\n" * (2 * 1024 * 1024 // 13)
    # Encoded here: the test client spools bodies this large to a file it never closes.
    boundary, body = encode_multipart({"files": FileStorage(io.BytesIO(big), "big.txt")})
    response = manager.post(
        f"/applications/{scene.application.id}/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302
    assert document_rows(app)[0].size == len(big)
    refused = manager.post("/account", data={"name": "x" * (2 * 1024 * 1024)})
    assert refused.status_code == 413


def test_other_roles_and_states(app, scene):
    """Another cluster's manager sees nothing; the assigned consultant uploads but may
    not delete the manager's file; a coordinator may."""
    cast = scene.cast
    post_files(signed_in(app, cast.manager.email), scene.application.id, (PDF, "plan.pdf"))
    [row] = document_rows(app)
    outsider = signed_in(app, cast.other_manager.email)
    assert outsider.get(f"/documents/{row.id}/download", buffered=True).status_code == 403
    assert post_files(outsider, scene.application.id, (PDF, "x.pdf")).status_code == 403
    consultant = signed_in(app, cast.consultant.email)
    assert consultant.get(f"/documents/{row.id}/download", buffered=True).status_code == 200
    assert consultant.post(f"/documents/{row.id}/delete", data=CONFIRMED).status_code == 403
    assert post_files(consultant, scene.application.id, (PDF, "notes.pdf")).status_code == 302
    coordinator = signed_in(app, cast.coordinator.email)
    assert coordinator.post(f"/documents/{row.id}/delete", data=CONFIRMED).status_code == 302
    assert len(blobs(app)) == 1


def test_delete_without_confirmation_shows_it_and_keeps_the_document(app, scene, manager):
    """Deleting cannot be undone: the page's Delete opens the consequence and a final
    button; a post without the confirmation gets the confirmation (422), the document,
    its bytes and the quota stay."""
    post_files(manager, scene.application.id, (PDF, "plan.pdf"))
    [row] = document_rows(app)
    page = manager.get(f"/applications/{scene.application.id}").get_data(as_text=True)
    confirm = re.search(rf'<details[^>]*data-confirm="delete-{row.id}".*?</details>', page, re.S)
    assert confirm and "This cannot be undone." in confirm.group(0)
    assert 'name="confirmed" value="yes"' in confirm.group(0)
    response = manager.post(f"/documents/{row.id}/delete")
    assert response.status_code == 422
    asked = response.get_data(as_text=True)
    assert "nothing was changed" in asked and "This cannot be undone." in asked
    assert f'action="/documents/{row.id}/delete"' in asked
    [kept] = document_rows(app)
    assert kept.deleted_at is None
    assert blobs(app) == {kept.storage_key}
    assert usage(app, scene.application.id) == kept.size
    assert manager.post(f"/documents/{row.id}/delete", data=CONFIRMED).status_code == 302
    assert document_rows(app)[0].deleted_at is not None
