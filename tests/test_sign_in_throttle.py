"""Sign-in gives nothing away: parallel guesses cannot get past the throttle, and an
unknown address takes as long to refuse as a wrong password."""

import statistics
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import LoginAttempt, Role
from certtrack.services import users
from tests.builders import PASSWORD, add_user, make_cast

MANAGER = "manager@ditenave.example"
LIMIT = 5  # LOGIN_MAX_FAILURES_PER_EMAIL's default


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every stored hash a password is checked against, in order."""
    checked: list[str] = []
    lock = threading.Lock()
    real = users.check_password_hash

    def recording(stored: str, password: str) -> bool:
        with lock:
            checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "check_password_hash", recording)
    return checked


def login(client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"email": email, "password": password})


def guess_together(app: Flask, count: int, email: str = MANAGER) -> Counter[int]:
    """`count` wrong guesses at the same moment, each from its own browser and thread."""
    barrier = threading.Barrier(count)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def guess(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        status = login(client, email, f"guess number {n}").status_code
        with lock:
            statuses[status] += 1

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_parallel_wrong_guesses_check_at_most_the_limit(app, verified):
    with app.app_context():
        make_cast()
    statuses = guess_together(app, 30)
    assert statuses == {422: LIMIT, 429: 30 - LIMIT}
    assert len(verified) == LIMIT
    assert login(app.test_client(), MANAGER, PASSWORD).status_code == 429  # still locked


def test_parallel_guesses_at_unknown_addresses_are_throttled_too(app, verified):
    statuses = guess_together(app, 12, "nobody@nowhere.example")
    assert statuses == {422: LIMIT, 429: 12 - LIMIT}
    assert len(verified) == LIMIT


def test_a_locked_address_answers_without_checking_any_password(app, client, verified):
    with app.app_context():
        make_cast()
    for _ in range(LIMIT):
        assert login(client, MANAGER, "guess").status_code == 422
    verified.clear()
    assert login(client, MANAGER, PASSWORD).status_code == 429
    assert verified == []


def test_a_successful_sign_in_gives_its_attempts_back(app, client):
    with app.app_context():
        make_cast()
    for _ in range(LIMIT - 1):
        assert login(client, MANAGER, "guess").status_code == 422
    assert login(client, MANAGER, PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(LIMIT - 1):
        assert login(client, MANAGER, "guess").status_code == 422
    assert login(client, MANAGER, PASSWORD).status_code == 302


def test_counters_of_long_ago_are_forgotten(app, client):
    with app.app_context():
        make_cast()
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        login(client, "someone@else.example", "guess")
        clock.shift(timedelta(hours=1))
        assert login(client, MANAGER, PASSWORD).status_code == 302
    with app.app_context():
        keys = set(db.session.scalars(select(LoginAttempt.key)))
    assert keys == {f"email:{MANAGER}", "ip:127.0.0.1"}


@pytest.mark.parametrize("case", ["unknown", "no password yet", "deactivated"])
def test_accounts_that_cannot_sign_in_still_verify_a_hash_of_the_same_method(
    app, client, verified, case
):
    with app.app_context():
        cast = make_cast()
        add_user(Role.ADMIN, "invited@certtrack.example").password_hash = None
        cast.admin.active = False
        db.session.commit()
        own_hash = cast.admin.password_hash
    email = {
        "unknown": "nobody@nowhere.example",
        "no password yet": "invited@certtrack.example",
        "deactivated": "admin@certtrack.example",
    }[case]
    assert login(client, email, PASSWORD).status_code == 422
    [checked] = verified
    method = app.config["PASSWORD_HASH_METHOD"]
    assert checked.startswith(method + "$") and checked != own_hash


def test_an_unknown_email_takes_as_long_as_a_wrong_password(app, monkeypatch):
    # A hash slow enough to stand out from the rest of the request.
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:150000")
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_EMAIL", 1000)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 1000)
    with app.app_context():
        make_cast()
        manager = db.session.scalar(select(users.User).where(users.User.email == MANAGER))
        manager.password_hash = users.hash_password(PASSWORD)
        db.session.commit()
    client = app.test_client()

    def median(email: str) -> float:
        times = []
        for _ in range(7):
            began = time.perf_counter()
            assert login(client, email, "wrong password").status_code == 422
            times.append(time.perf_counter() - began)
        return statistics.median(times)

    median("nobody@nowhere.example")  # warm up (the dummy hash is made once)
    existing, unknown = median(MANAGER), median("nobody@nowhere.example")
    assert unknown >= 0.5 * existing, (existing, unknown)
