"""JSON clients that authenticate the way programs do: a token from POST /auth/token."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from tests.builders import PASSWORD
from tests.demo_copy import DemoCopies

ROME = ZoneInfo("Europe/Rome")


@dataclass
class ApiClient:
    client: FlaskClient
    token: str

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    def get(self, url: str, **kw: Any):  # type: ignore[no-untyped-def]
        return self.client.get(url, headers=self.headers(kw.pop("headers", None)), **kw)

    def post(self, url: str, json: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.client.post(url, json=json, headers=self.headers(kw.pop("headers", None)), **kw)

    def put(self, url: str, json: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.client.put(url, json=json, headers=self.headers(kw.pop("headers", None)), **kw)

    def patch(self, url: str, json: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        return self.client.patch(
            url, json=json, headers=self.headers(kw.pop("headers", None)), **kw
        )


def token_for(client: FlaskClient, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["token"])


@pytest.fixture
def as_user(app: Flask):  # type: ignore[no-untyped-def]
    """as_user(email) -> an ApiClient with a fresh token of that user."""

    def make(email: str, password: str = PASSWORD) -> ApiClient:
        client = app.test_client()
        return ApiClient(client, token_for(client, email, password))

    return make


def at_noon(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=ROME)


@pytest.fixture
def demo_day(app: Flask, demo_copies: DemoCopies) -> Iterator[date]:
    """The demo seeded for 2026-11-25, with the clock on that day."""
    day = date(2026, 11, 25)
    with time_machine.travel(at_noon(day), tick=False):
        demo_copies.seed(app, day)
        yield day
