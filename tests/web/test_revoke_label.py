"""Admins revoke a label with a reason; the public page, the certificate and the public
JSON then say revoked, and the application's history records it. Nobody else may, and a
label is revoked once."""

from datetime import datetime

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import AuditEntry, Label, LabelStatus, User
from certtrack.services import labels
from certtrack.workflow.errors import InvalidParams
from tests.web.conftest import TODAY, sign_in

ADMIN = "admin@certtrack.example"


def a_valid_label(demo) -> tuple[str, int]:
    with demo.app_context():
        label = db.session.scalar(
            select(Label).where(Label.status == LabelStatus.VALID).order_by(Label.id)
        )
        return label.number, label.application_id


def stored(demo, number: str) -> tuple[LabelStatus, object, object]:
    with demo.app_context():
        label = db.session.scalar(select(Label).where(Label.number == number))
        return label.status, label.revoked_on, label.revocation_reason


def test_an_admin_revokes_a_label_with_a_reason(demo, client):
    number, application_id = a_valid_label(demo)
    sign_in(client, ADMIN)
    assert f"/admin/labels/{number}/revoke" in client.get(f"/labels/{number}").get_data(
        as_text=True
    )
    form = client.get(f"/admin/labels/{number}/revoke")
    assert form.status_code == 200 and 'name="reason"' in form.get_data(as_text=True)
    response = client.post(
        f"/admin/labels/{number}/revoke", data={"reason": "  Membership figures falsified  "}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/labels/{number}"
    assert stored(demo, number) == (LabelStatus.REVOKED, TODAY, "Membership figures falsified")
    with demo.app_context():
        entry = db.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.application_id == application_id)
            .order_by(AuditEntry.id.desc())
        )
        assert entry.event == "revoke_label"
        assert entry.from_state == entry.to_state  # the application keeps its state
        assert entry.comment == "Membership figures falsified"
        assert entry.actor.email == ADMIN
        assert entry.data == {"label": number, "previous_status": "valid"}
    page = client.get(f"/labels/{number}").get_data(as_text=True)
    assert "Status: Revoked" in page and "Reason: Membership figures falsified" in page
    assert f"/admin/labels/{number}/revoke" not in page  # nothing left to revoke
    history = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Label revoked" in history
    data = client.get(f"/api/v1/public/labels/{number}").get_json()
    assert data["status"] == "revoked"
    assert data["revoked_on"] == TODAY.isoformat()
    assert data["revocation_reason"] == "Membership figures falsified"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("two\nlines", "Must be a single line without control characters."),
        ("x" * 301, "Field cannot be longer than 300 characters."),
    ],
)
def test_a_bad_reason_is_refused_beside_the_field(demo, client, reason, message):
    number, _ = a_valid_label(demo)
    sign_in(client, ADMIN)
    response = client.post(f"/admin/labels/{number}/revoke", data={"reason": reason})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'class="invalid-feedback' in text and message in text
    assert stored(demo, number) == (LabelStatus.VALID, None, None)


def test_the_service_refuses_a_blank_reason_too(demo):
    number, _ = a_valid_label(demo)
    with demo.app_context():
        admin = db.session.scalar(select(User).where(User.email == ADMIN))
        with pytest.raises(InvalidParams) as refused:
            labels.revoke(labels.by_number(number), admin, " \t ", TODAY, datetime(2026, 11, 25))
        assert refused.value.fields == {"reason": "This field is required."}
    assert stored(demo, number) == (LabelStatus.VALID, None, None)


def test_a_revoked_label_cannot_be_revoked_again(demo, client):
    number, application_id = a_valid_label(demo)
    sign_in(client, ADMIN)
    client.post(f"/admin/labels/{number}/revoke", data={"reason": "First reason"})
    with demo.app_context():
        entries = db.session.scalar(
            select(db.func.count()).where(
                AuditEntry.application_id == application_id, AuditEntry.event == "revoke_label"
            )
        )
    for method in ("GET", "POST"):
        response = client.open(
            f"/admin/labels/{number}/revoke", method=method, data={"reason": "Second reason"}
        )
        assert response.status_code == 409
        assert f"Label {number} is already revoked." in response.get_data(as_text=True)
    assert stored(demo, number) == (LabelStatus.REVOKED, TODAY, "First reason")
    with demo.app_context():
        assert entries == 1 and entries == db.session.scalar(
            select(db.func.count()).where(
                AuditEntry.application_id == application_id, AuditEntry.event == "revoke_label"
            )
        )


@pytest.mark.parametrize("email", ["coordinator@informest.example", "manager@area.example", None])
def test_only_admins_may_revoke(demo, client, email):
    number, _ = a_valid_label(demo)
    if email:
        sign_in(client, email)
        assert f"/admin/labels/{number}/revoke" not in client.get(f"/labels/{number}").get_data(
            as_text=True
        )
    for method in ("GET", "POST"):
        response = client.open(
            f"/admin/labels/{number}/revoke", method=method, data={"reason": "Not mine"}
        )
        if email:
            assert response.status_code == 403
        else:
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/login")
    assert stored(demo, number) == (LabelStatus.VALID, None, None)


def test_an_unknown_label_is_not_found(demo, client):
    sign_in(client, ADMIN)
    assert client.get("/admin/labels/B-XX-0000-00000/revoke").status_code == 404
