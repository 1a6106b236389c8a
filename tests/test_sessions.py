"""Sign-in sessions live on the server: signing out, a new password and "end this
session" really end them, whatever copies of the cookies are around."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import User, UserSession
from certtrack.services.account_links import make_link_token
from certtrack.services.reminders import run_daily_pass
from tests.builders import PASSWORD, make_cast

MANAGER = "manager@ditenave.example"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW_PASSWORD = "a brand new secret"


@pytest.fixture
def manager_id(app: Flask) -> int:
    with app.app_context():
        return make_cast().manager.id


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in(app: Flask, email: str = MANAGER, remember: bool = False) -> FlaskClient:
    client = app.test_client(use_cookies=True)
    data = {"email": email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    response = client.post("/login", data=data, headers={"User-Agent": f"Browser of {email}"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def with_cookie(app: Flask, name: str, value: str) -> FlaskClient:
    """A new browser holding only a copy of one cookie."""
    client = app.test_client()
    client.set_cookie(name, value)
    return client


def is_signed_in(client: FlaskClient) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def token_for(client: FlaskClient, email: str = MANAGER) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201
    return str(response.get_json()["token"])


def token_works(client: FlaskClient, token: str) -> bool:
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def reset_password(app: Flask, client: FlaskClient, user_id: int) -> None:
    with app.app_context():
        link = make_link_token(db.session.get(User, user_id), "reset")
    response = client.post(
        f"/password/reset/{link}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302


def change_password(client: FlaskClient, **extra: str):  # type: ignore[no-untyped-def]
    data = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD, **extra}
    return client.post("/account/password", data=data)


def session_ids(app: Flask, email: str) -> list[int]:
    with app.app_context():
        query = (
            select(UserSession.id)
            .join(UserSession.user)
            .where(User.email == email, UserSession.ended_at.is_(None))
            .order_by(UserSession.id)
        )
        return list(db.session.scalars(query))


def test_a_copied_session_cookie_stops_working_after_logout(app, manager_id, clock):
    browser = signed_in(app)
    copy = with_cookie(app, "session", browser.get_cookie("session").value)
    assert is_signed_in(copy)
    browser.post("/logout")
    assert not is_signed_in(copy)
    assert not is_signed_in(browser)


def test_a_remember_me_cookie_stops_working_after_logout(app, manager_id, clock):
    browser = signed_in(app, remember=True)
    remembered = browser.get_cookie("remember_token").value
    assert is_signed_in(with_cookie(app, "remember_token", remembered))
    browser.post("/logout")
    assert not is_signed_in(with_cookie(app, "remember_token", remembered))


def test_a_remember_me_cookie_stops_working_after_a_password_reset(app, manager_id, clock):
    remembered = signed_in(app, remember=True).get_cookie("remember_token").value
    reset_password(app, app.test_client(), manager_id)
    assert not is_signed_in(with_cookie(app, "remember_token", remembered))


def test_remember_me_lasts_thirty_days_in_the_cookie_and_on_the_server(app, manager_id, clock):
    browser = signed_in(app, remember=True)
    cookie = browser.get_cookie("remember_token")
    assert cookie.expires is not None
    assert timedelta(days=29) < cookie.expires - START < timedelta(days=31)
    clock.shift(timedelta(days=29))
    assert is_signed_in(with_cookie(app, "remember_token", cookie.value))
    clock.shift(timedelta(days=2))
    assert not is_signed_in(with_cookie(app, "remember_token", cookie.value))


def test_a_session_left_idle_ends_and_one_in_use_goes_on(app, manager_id, clock):
    idle, busy = signed_in(app), signed_in(app)
    for _hour in range(14):
        clock.shift(timedelta(hours=1))
        assert is_signed_in(busy)
    assert not is_signed_in(idle)


def test_last_seen_is_written_at_most_once_a_minute(app, manager_id, clock):
    browser = signed_in(app)

    def last_seen() -> datetime:
        with app.app_context():
            return db.session.scalar(select(UserSession.last_seen_at))

    first = last_seen()
    clock.shift(timedelta(seconds=30))
    assert is_signed_in(browser) and last_seen() == first
    clock.shift(timedelta(seconds=40))
    assert is_signed_in(browser) and last_seen() == first + timedelta(seconds=70)


def test_a_bearer_token_stops_working_after_a_password_reset(app, manager_id, clock):
    client = app.test_client()
    token = token_for(client)
    assert token_works(client, token)
    reset_password(app, client, manager_id)
    assert not token_works(client, token)


def test_a_password_change_ends_other_sessions_and_tokens(app, manager_id, clock):
    here, elsewhere = signed_in(app), signed_in(app, remember=True)
    remembered = elsewhere.get_cookie("remember_token").value
    token = token_for(app.test_client())
    assert change_password(here).status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert not is_signed_in(with_cookie(app, "remember_token", remembered))
    assert not token_works(here, token)


def test_a_password_change_may_keep_the_api_tokens(app, manager_id, clock):
    here, elsewhere = signed_in(app), signed_in(app)
    token = token_for(app.test_client())
    assert change_password(here, keep_api_tokens="y").status_code == 302
    assert token_works(here, token)
    assert not is_signed_in(elsewhere)


def test_a_refused_password_change_ends_nothing(app, manager_id, clock):
    here, elsewhere = signed_in(app), signed_in(app)
    token = token_for(app.test_client())
    assert change_password(here, current="not my password").status_code == 422
    assert is_signed_in(elsewhere) and token_works(here, token)


def test_an_invitation_ends_every_session(app, manager_id, clock):
    browser = signed_in(app)
    with app.app_context():
        link = make_link_token(db.session.get(User, manager_id), "invitation")
    other = app.test_client()
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert other.post(f"/invitation/{link}", data=data).status_code == 302
    assert not is_signed_in(browser)
    assert is_signed_in(other)  # signed in with a session of its own


def test_ending_another_session_from_the_account_page_signs_that_client_out(app, manager_id, clock):
    here, laptop, phone = signed_in(app), signed_in(app), signed_in(app)
    mine, laptop_id, _phone = session_ids(app, MANAGER)
    page = here.get("/account").get_data(as_text=True)
    assert f'data-session="{laptop_id}"' in page and "this session" in page
    assert here.post(f"/account/sessions/{laptop_id}/end").status_code == 302
    assert not is_signed_in(laptop)
    assert is_signed_in(here) and is_signed_in(phone)
    assert here.post(f"/account/sessions/{mine}/end").status_code == 404  # sign out instead
    assert here.post("/account/sessions/end-others").status_code == 302
    assert not is_signed_in(phone)
    assert is_signed_in(here)
    assert session_ids(app, MANAGER) == [mine]


def test_the_sessions_list_shows_only_the_users_own_sessions(app, manager_id, clock):
    manager = signed_in(app)
    coordinator = signed_in(app, "coord@informest.example")
    [theirs] = session_ids(app, "coord@informest.example")
    [mine] = session_ids(app, MANAGER)
    page = manager.get("/account").get_data(as_text=True)
    assert f'data-session="{mine}"' in page and "Browser of manager@ditenave.example" in page
    assert f'data-session="{theirs}"' not in page and "coord@informest.example" not in page
    assert manager.post(f"/account/sessions/{theirs}/end").status_code == 404
    assert is_signed_in(coordinator)


def test_a_deactivated_account_is_signed_out(app, manager_id, clock):
    browser = signed_in(app)
    with app.app_context():
        db.session.get(User, manager_id).active = False
        db.session.commit()
    assert not is_signed_in(browser)


def test_the_cookies_carry_no_user_id(app, manager_id, clock):
    browser = signed_in(app, remember=True)
    remembered = browser.get_cookie("remember_token").value
    assert not remembered.startswith(f"{manager_id}|")
    assert not is_signed_in(with_cookie(app, "remember_token", f"{manager_id}|forged"))


def test_the_daily_pass_forgets_sessions_over_a_month_after_they_ended(app, manager_id):
    with app.app_context():
        user = db.session.get(User, manager_id)
        now, day = START.replace(tzinfo=None), timedelta(days=1)  # stored as naive UTC

        def session(name: str, *, ended: datetime | None, expires: datetime) -> None:
            db.session.add(
                UserSession(
                    user_id=user.id,
                    token_hash=name,
                    remembered=False,
                    created_at=now - 60 * day,
                    last_seen_at=now - 60 * day,
                    expires_at=expires,
                    ended_at=ended,
                )
            )

        session("ended long ago", ended=now - 31 * day, expires=now + day)
        session("expired long ago", ended=None, expires=now - 31 * day)
        session("ended lately", ended=now - 29 * day, expires=now + day)
        session("live", ended=None, expires=now + day)
        db.session.commit()
        run_daily_pass(now.date(), now=now)
        kept = db.session.scalars(select(UserSession.token_hash)).all()
    assert sorted(kept) == ["ended lately", "live"]
