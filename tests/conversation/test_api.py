"""GET and POST /api/v1/applications/{id}/messages, role by role: the same rules as the
pages, internal notes only for the agency's side, the body as source and sanitised
HTML."""

from sqlalchemy import func, select

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import ConversationMessage
from tests.api.conftest import ApiClient, token_for
from tests.web.conftest import open_application_id
from tests.web.test_permissions import ROLES


def api_as(app, role: str) -> ApiClient:  # type: ignore[no-untyped-def]
    client = app.test_client()
    return ApiClient(client, token_for(client, ROLES[role], PASSWORD))


def messages_url(demo) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/applications/{open_application_id(demo, 'Consorzio AREA')}/messages"


def count(demo) -> int:  # type: ignore[no-untyped-def]
    with demo.app_context():
        return db.session.scalar(select(func.count()).select_from(ConversationMessage)) or 0


def test_every_role_reads_what_it_may(demo):
    url = messages_url(demo)
    seen = {}
    for role in ("admin", "coord", "consultant", "manager"):
        answer = api_as(demo, role).get(url)
        assert answer.status_code == 200, role
        seen[role] = answer.get_json()
    for role in ("other_coord", "other_manager", "other_consultant"):
        answer = api_as(demo, role).get(url)
        assert answer.status_code == 403, role
        assert answer.get_json()["error"]["code"] == "forbidden_for_role"
    anonymous = demo.test_client().get(url)
    assert anonymous.status_code == 401
    manager_items = seen["manager"]["items"]
    assert manager_items and not any(item["internal"] for item in manager_items)
    for role in ("admin", "coord", "consultant"):
        assert any(item["internal"] for item in seen[role]["items"]), role
        assert seen[role]["total"] == seen["manager"]["total"] + 1
    first = manager_items[0]
    assert set(first) == {
        "id", "application_id", "author", "author_role", "created_at", "edited_at",
        "internal", "body", "html",
    }  # fmt: skip
    assert "<strong>renew</strong>" in first["html"] and "**renew**" in first["body"]
    times = [item["created_at"] for item in manager_items]
    assert times == sorted(times)


def test_lists_page_like_the_others(demo):
    api = api_as(demo, "coord")
    url = messages_url(demo)
    page = api.get(f"{url}?limit=1&sort=-created_at").get_json()
    assert (page["total"], page["limit"], len(page["items"])) == (3, 1, 1)
    assert page["next"] and "offset=1" in page["next"]
    assert api.get(f"{url}?colour=red").status_code == 422


def test_posting_a_message_and_an_internal_note(demo):
    url = messages_url(demo)
    posted = api_as(demo, "manager").post(
        url, json={"body": "Hello <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    assert posted.status_code == 201
    body = posted.get_json()
    assert body["internal"] is False and body["author_role"] == "manager"
    assert "<script" not in body["html"] and 'href="javascript' not in body["html"]
    assert body["body"].startswith("Hello <script>")
    note = api_as(demo, "consultant").post(url, json={"body": "Between us", "internal": True})
    assert note.status_code == 201 and note.get_json()["internal"] is True
    items = api_as(demo, "manager").get(url).get_json()["items"]
    assert "Between us" not in [item["body"] for item in items]


def test_refusals_write_nothing(demo):
    url = messages_url(demo)
    before = count(demo)
    manager = api_as(demo, "manager")
    forged = manager.post(url, json={"body": "Psst", "internal": True})
    assert forged.status_code == 403
    assert forged.get_json()["error"]["code"] == "forbidden_for_role"
    empty = manager.post(url, json={"body": "  "})
    assert empty.status_code == 422
    assert empty.get_json()["error"]["fields"] == {"body": "Write a message."}
    assert manager.post(url, json={}).status_code == 422
    assert manager.post(url, json={"body": "x", "internal": "yes"}).status_code == 422
    assert api_as(demo, "other_manager").post(url, json={"body": "Hi"}).status_code == 403
    assert (
        api_as(demo, "admin")
        .post("/api/v1/applications/999999/messages", json={"body": "x"})
        .status_code
        == 404
    )
    assert demo.test_client().post(url, json={"body": "Hi"}).status_code == 401
    assert count(demo) == before
