"""Password links: they set a password once, expire, and refuse anything forged."""

from datetime import UTC, datetime

import time_machine

from certtrack.extensions import db
from certtrack.models import Role, User
from certtrack.services.account_links import make_link_token
from certtrack.services.users import create_user, verify_password
from tests.builders import make_cast


def new_password(client, url, password="a brand new secret"):
    return client.post(url, data={"password": password, "confirm": password})


def test_reset_link_sets_the_password_once_and_signs_in(app, client):
    with app.app_context():
        cast = make_cast()
        token = make_link_token(cast.manager, "reset")
    url = f"/password/reset/{token}"
    assert client.get(url).status_code == 200
    response = new_password(client, url)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Sign out" in client.get("/").get_data(as_text=True)
    with app.app_context():
        manager = db.session.get(User, cast.manager.id)
        assert verify_password(manager, "a brand new secret")
    client.post("/logout")
    assert client.get(url).status_code == 404  # used: the password it was made for changed


def test_form_errors_beside_fields(app, client):
    with app.app_context():
        token = make_link_token(make_cast().manager, "reset")
    response = client.post(
        f"/password/reset/{token}", data={"password": "short", "confirm": "other"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Field must be between 8 and 200 characters long." in page
    assert "The passwords differ." in page


def test_links_expire(app, client):
    with app.app_context():
        cast = make_cast()
        with time_machine.travel(datetime(2026, 1, 10, 9, 0, tzinfo=UTC), tick=False):
            token = make_link_token(cast.manager, "reset")
    with time_machine.travel(datetime(2026, 1, 10, 10, 59, tzinfo=UTC), tick=False):
        assert client.get(f"/password/reset/{token}").status_code == 200
    with time_machine.travel(datetime(2026, 1, 10, 11, 1, tzinfo=UTC), tick=False):
        page = client.get(f"/password/reset/{token}")
        assert page.status_code == 404
        assert "This link is invalid or has expired" in page.get_data(as_text=True)


def test_forged_wrong_purpose_and_deactivated_links_are_refused(app, client):
    with app.app_context():
        cast = make_cast()
        reset = make_link_token(cast.manager, "reset")
        other = make_link_token(cast.other_manager, "reset")
        cast.other_manager.active = False
        db.session.commit()
    assert client.get(f"/invitation/{reset}").status_code == 404  # another purpose
    assert client.get(f"/password/reset/{reset[:-3]}abc").status_code == 404  # tampered
    assert client.get(f"/password/reset/{other}").status_code == 404  # deactivated


def test_invitation_lets_a_new_account_choose_its_password(app, client):
    with app.app_context():
        cast = make_cast()
        invited = create_user(
            email="new.manager@ditenave.example",
            name="Nuova Manager",
            role=Role.MANAGER,
            cluster=cast.cluster,
        )
        token = make_link_token(invited, "invitation")
    page = client.get(f"/invitation/{token}").get_data(as_text=True)
    assert "Welcome, Nuova Manager" in page
    response = new_password(client, f"/invitation/{token}", "benvenuta-2026")
    assert response.headers["Location"] == "/dashboard"
    client.post("/logout")
    signed_in = client.post(
        "/login", data={"email": "new.manager@ditenave.example", "password": "benvenuta-2026"}
    )
    assert signed_in.status_code == 302
    assert client.get(f"/invitation/{token}").status_code == 404
