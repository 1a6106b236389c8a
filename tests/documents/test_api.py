"""The documents API on both stores: multipart upload, list, read, delete, content; the
error shape for refused files; every role's answer on every operation."""

import io

import pytest

from tests.api.conftest import token_for
from tests.builders import PASSWORD
from tests.documents.conftest import ELF, LIMIT, PDF, blobs, document_rows, usage


def bearer(app, email):  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {token_for(app.test_client(), email, PASSWORD)}"}


def upload(app, headers, application_id, *files, **fields):  # type: ignore[no-untyped-def]
    return app.test_client().post(
        f"/api/v1/applications/{application_id}/documents",
        data={"files": [(io.BytesIO(body), name) for body, name in files], **fields},
        content_type="multipart/form-data",
        headers=headers,
    )


@pytest.fixture
def manager(app, scene):  # type: ignore[no-untyped-def]
    return bearer(app, scene.cast.manager.email)


def test_upload_list_read_content_delete(app, scene, manager):
    client = app.test_client()
    application_id = scene.application.id
    response = upload(app, manager, application_id, (PDF, "plan.pdf"), title="Plan")
    assert response.status_code == 201, response.get_json()
    [created] = response.get_json()
    assert created["title"] == "Plan" and created["content_type"] == "application/pdf"
    assert created["version"] == 1 and created["earlier_versions"] == []
    listed = client.get(f"/api/v1/applications/{application_id}/documents", headers=manager)
    assert [d["id"] for d in listed.get_json()["items"]] == [created["id"]]
    one = client.get(f"/api/v1/documents/{created['id']}", headers=manager).get_json()
    assert one["sha256"] == created["sha256"]
    content = client.get(
        f"/api/v1/documents/{created['id']}/content", headers=manager, buffered=True
    )
    assert content.status_code == 200 and content.data == PDF
    assert content.headers["Content-Disposition"].startswith("attachment;")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Cache-Control"].startswith("private")
    deleted = client.delete(f"/api/v1/documents/{created['id']}", headers=manager)
    assert deleted.status_code == 204
    assert blobs(app) == set()
    again = client.get(f"/api/v1/documents/{created['id']}/content", headers=manager)
    assert again.status_code == 404
    assert client.delete(f"/api/v1/documents/{created['id']}", headers=manager).status_code == 409


@pytest.mark.parametrize(
    ("body", "name", "status", "code"),
    [
        (b"x" * (LIMIT + 1), "big.txt", 413, "payload_too_large"),
        (ELF, "report.pdf", 415, "unsupported_media_type"),
        (b"", "empty.txt", 422, "invalid_params"),
    ],
    ids=["over-the-limit", "renamed-elf", "empty"],
)
def test_refused_files_answer_the_error_shape(app, scene, manager, body, name, status, code):
    response = upload(app, manager, scene.application.id, (body, name))
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code
    assert name in error["message"] and name in error["fields"]["files"]
    assert blobs(app) == set() and document_rows(app) == []
    assert usage(app, scene.application.id) == 0


def test_unknown_form_field_and_bad_link_are_refused(app, scene, manager):
    response = upload(app, manager, scene.application.id, (PDF, "a.pdf"), colour="red")
    assert response.status_code == 422
    assert "colour" in response.get_json()["error"]["fields"]
    response = upload(app, manager, scene.application.id, (PDF, "a.pdf"), indicator_id="1")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"indicator_id": "Not a quality indicator."}
    assert blobs(app) == set()


def test_every_role_on_every_document_operation(app, scene):
    """The manager uploaded; the same access rules as the application decide the rest,
    and only the uploader, the agency's coordinator and admins delete."""
    cast = scene.cast
    application_id = scene.application.id
    manager = bearer(app, cast.manager.email)
    [doc] = upload(app, manager, application_id, (PDF, "plan.pdf")).get_json()
    people = {
        "manager": cast.manager,
        "coordinator": cast.coordinator,
        "consultant": cast.consultant,
        "admin": cast.admin,
        "other_manager": cast.other_manager,
        "other_coordinator": cast.other_coordinator,
        "second_consultant": cast.second_consultant,
    }
    sees = {"manager", "coordinator", "consultant", "admin"}
    deletes = {"manager", "coordinator", "admin"}
    client = app.test_client()
    failures = []
    for role, person in [*people.items(), ("anon", None)]:
        headers = bearer(app, person.email) if person else {}

        anon, seen = person is None, role in sees
        answers = {
            "list": client.get(
                f"/api/v1/applications/{application_id}/documents", headers=headers
            ).status_code,
            "read": client.get(f"/api/v1/documents/{doc['id']}", headers=headers).status_code,
            "content": client.get(
                f"/api/v1/documents/{doc['id']}/content", headers=headers, buffered=True
            ).status_code,
            "upload": upload(app, headers, application_id, (b"", "e.txt")).status_code,
        }
        wanted = {
            name: 401 if anon else status if seen else 403
            for name, status in (("list", 200), ("read", 200), ("content", 200), ("upload", 422))
        }
        if answers != wanted:
            failures.append(f"{role}: {answers} != {wanted}")
    for role, person in people.items():
        if role not in deletes:
            status = client.delete(
                f"/api/v1/documents/{doc['id']}", headers=bearer(app, person.email)
            ).status_code
            if status != 403:
                failures.append(f"{role} delete: {status}")
    assert client.delete(f"/api/v1/documents/{doc['id']}").status_code == 401
    assert (
        client.delete(
            f"/api/v1/documents/{doc['id']}", headers=bearer(app, cast.coordinator.email)
        ).status_code
        == 204
    )
    assert not failures, "\n".join(failures)


def test_api_docs_page_shows_the_multipart_upload(app):
    """Regression: the API's page read every request body as JSON and failed (500) once
    an operation took multipart/form-data."""
    page = app.test_client().get("/api/v1/docs")
    assert page.status_code == 200
    assert "(multipart/form-data)" in page.get_data(as_text=True)
