"""Destructive or final steps (withdraw, reject, issue the label) are confirmed on the
page: the definition names them, the step's button opens the consequence and a final
button, and the server takes no such step posted without the confirmation."""

import re
from pathlib import Path

from sqlalchemy import func, select

from certtrack import confirmation
from certtrack.extensions import db
from certtrack.models import Application, AuditEntry, State, User
from certtrack.services.tokens import issue_api_token
from certtrack.workflow.definition import TRANSITIONS
from tests.web.conftest import open_application_id, sign_in

COORDINATOR = "coordinator@informest.example"
CONSULTANT = "luis.ortega@experts.example"


def test_the_destructive_and_final_steps_ask_for_confirmation():
    assert {t.event for t in TRANSITIONS if t.confirm} == {"withdraw", "reject", "issue_label"}
    assert all("cannot be undone" in str(t.confirm) for t in TRANSITIONS if t.confirm)


def facts(app, application_id):
    """The application's state, version and number of history rows."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        entries = db.session.scalar(
            select(func.count()).where(AuditEntry.application_id == application_id)
        )
        return application.state, application.version, entries


def test_withdraw_without_the_confirmation_shows_it_and_changes_nothing(demo, client):
    sedia = open_application_id(demo, "ASDI Sedia")
    before = facts(demo, sedia)
    sign_in(client, COORDINATOR)
    response = client.post(f"/applications/{sedia}/events/withdraw", data={"version": before[1]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<h1" in page and "Confirm: Withdraw" in page
    assert "nothing was changed" in page
    assert "The application stops for good" in page and "This cannot be undone." in page
    form = re.search(
        r'data-confirm="page".*?<form method="post" action="([^"]+)".*?</form>', page, re.S
    )
    assert form and form.group(1) == f"/applications/{sedia}/events/withdraw"
    assert 'name="confirmed" value="yes"' in form.group(0)
    assert f'name="version" value="{before[1]}"' in form.group(0)
    assert facts(demo, sedia) == before


def test_withdraw_with_the_confirmation_is_taken(demo, client):
    sedia = open_application_id(demo, "ASDI Sedia")
    sign_in(client, COORDINATOR)
    response = client.post(f"/applications/{sedia}/events/withdraw", data={"confirmed": "yes"})
    assert response.status_code == 302
    assert facts(demo, sedia)[0] == State.WITHDRAWN


def test_reject_without_the_confirmation_keeps_the_reason_typed(demo, client):
    polo = open_application_id(demo, "Polo Tecnologico di Pordenone")
    before = facts(demo, polo)
    sign_in(client, CONSULTANT)
    response = client.post(f"/applications/{polo}/events/reject", data={"reason": "No staff."})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The cluster will be told that the label is refused" in page
    assert re.search(r'<textarea[^>]*name="reason"[^>]*>No staff\.</textarea>', page)
    assert facts(demo, polo) == before


def test_a_step_refused_to_the_role_is_refused_before_any_confirmation(demo, client):
    sedia = open_application_id(demo, "ASDI Sedia")
    before = facts(demo, sedia)
    sign_in(client, "coordinator@czechinvest.example")
    assert client.post(f"/applications/{sedia}/events/withdraw").status_code == 403
    assert facts(demo, sedia) == before


def test_the_application_page_confirms_within_the_page(demo, client):
    """No JavaScript needed: the step's button is a <details> summary that opens the
    consequence and the final button, which sends the confirmation field."""
    sedia = open_application_id(demo, "ASDI Sedia")
    sign_in(client, COORDINATOR)
    page = client.get(f"/applications/{sedia}").get_data(as_text=True)
    block = re.search(r'<details[^>]*data-confirm="withdraw".*?</details>', page, re.S)
    assert block, "no confirmation for withdraw"
    html = block.group(0)
    assert re.search(r"<summary[^>]*>Withdraw</summary>", html)
    assert "This cannot be undone." in html
    assert 'name="confirmed" value="yes"' in html
    assert re.search(r'<button[^>]*type="submit"[^>]*>Confirm: Withdraw</button>', html)


def test_a_step_with_a_reason_opens_the_same_form_without_a_confirmation(demo, client):
    """Returning for changes takes a reason but is not final: the same <details> opens
    the reason and a button named after the step, and sends no confirmation."""
    sedia = open_application_id(demo, "ASDI Sedia")
    before = facts(demo, sedia)
    sign_in(client, COORDINATOR)
    page = client.get(f"/applications/{sedia}").get_data(as_text=True)
    block = re.search(r'<details[^>]*data-step="return_for_changes".*?</details>', page, re.S)
    assert block, "no form for return_for_changes"
    html = block.group(0)
    assert 'data-confirm="return_for_changes"' not in html and "data-consequence" not in html
    assert f'name="{confirmation.FIELD}"' not in html
    assert re.search(r"<summary[^>]*>Return for changes</summary>", html)
    assert '<label class="form-label" for="reason-return_for_changes">' in html
    assert re.search(r'<textarea[^>]*id="reason-return_for_changes"[^>]*name="reason"', html)
    assert f'name="version" value="{before[1]}"' in html
    assert re.search(r'<button[^>]*type="submit">Return for changes</button>', html)
    response = client.post(
        f"/applications/{sedia}/events/return_for_changes",
        data={"reason": "More members, please.", "version": before[1]},
    )
    assert response.status_code == 302
    assert facts(demo, sedia)[0] == State.DRAFT


def test_the_confirmation_field_is_named_once():
    """The macro writes the field certtrack.confirmation checks, not a copy of it."""
    macro = (Path(confirmation.__file__).parent / "templates" / "_confirm.html").read_text()
    assert f'"{confirmation.FIELD}"' not in macro and f'"{confirmation.VALUE}"' not in macro
    assert 'name="{{ confirmation_field }}" value="{{ confirmation_value }}"' in macro


def test_the_api_confirms_by_calling(demo):
    """API clients are not asked: calling is the confirmation."""
    sedia = open_application_id(demo, "ASDI Sedia")
    with demo.app_context():
        user = db.session.scalar(select(User).where(User.email == COORDINATOR))
        _row, token = issue_api_token(user, "test")
    api = demo.test_client()
    response = api.post(
        f"/api/v1/applications/{sedia}/events",
        json={"event": "withdraw"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert facts(demo, sedia)[0] == State.WITHDRAWN
