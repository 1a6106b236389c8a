"""Signing in and out, and how errors reach people and programs."""

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import User
from tests.builders import PASSWORD, make_cast


def login(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_sign_in_and_out(app, client):
    with app.app_context():
        make_cast()
    page = client.get("/login")
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)
    response = login(client, "Manager@Ditenave.example")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Sign out" in client.get("/").get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 302
    assert "Sign in" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_explained_beside_the_field(app, client):
    with app.app_context():
        make_cast()
    response = login(client, "manager@ditenave.example", "nope")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Wrong email or password." in page
    assert "Sign out" not in page


def test_deactivated_account_cannot_sign_in(app, client):
    with app.app_context():
        cast = make_cast()
        cast.manager.active = False
        db.session.commit()
    response = login(client, "manager@ditenave.example")
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_next_only_redirects_locally(app, client):
    with app.app_context():
        make_cast()
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": "admin@certtrack.example", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/dashboard"
    client.post("/logout")
    response = client.post(
        "/login?next=/somewhere", data={"email": "admin@certtrack.example", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/somewhere"


def test_errors_are_pages_for_people_and_json_for_the_api(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "Page not found" in page.get_data(as_text=True)
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404
    assert api.get_json() == {
        "error": {
            "code": "not_found",
            "message": api.get_json()["error"]["message"],
            "fields": {},
        }
    }
    assert api.get_json()["error"]["message"]


def test_unexpected_errors_answer_500_and_roll_back(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and "nothing was saved" in page.get_data(as_text=True)
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "internal_error"


def test_repeated_failures_lock_sign_in_for_a_while(app, client):
    with app.app_context():
        make_cast()
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        for _ in range(5):
            assert login(client, "manager@ditenave.example", "guess").status_code == 422
        locked = login(client, "manager@ditenave.example")  # even the right password
        assert locked.status_code == 429
        assert "Too many failed attempts" in locked.get_data(as_text=True)
        assert login(client, "coord@informest.example").status_code == 302  # others may
        client.post("/logout")
        clock.shift(timedelta(minutes=16))
        assert login(client, "manager@ditenave.example").status_code == 302


def test_sign_in_is_recorded(app, client):
    with app.app_context():
        cast = make_cast()
        assert cast.manager.last_login_at is None
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        login(client, "manager@ditenave.example")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "manager@ditenave.example"))
        assert user.last_login_at == datetime(2026, 3, 1, 9, 0)
