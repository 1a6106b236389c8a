"""Web tests run against the demo data, with the clock frozen on the day it was seeded."""

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import Application, Cluster, State, User
from tests.demo_copy import DemoCopies

TODAY = date(2026, 11, 25)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(
        datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Rome")), tick=False
    ):
        yield


@pytest.fixture
def demo(app: Flask, frozen: None, demo_copies: DemoCopies) -> Flask:
    demo_copies.seed(app, TODAY)
    return app


def sign_in(
    client: FlaskClient, email: str, password: str = PASSWORD, locale: str | None = "en"
) -> FlaskClient:
    """Signed in as `email`, reading `locale` as chosen with the language switch before
    signing in (the demo's Italian accounts read Italian otherwise); None: the account's."""
    client.post("/logout")
    if locale:
        client.post("/locale", data={"locale": locale})
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def cluster_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Cluster.id).where(Cluster.name == name))


def user_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def open_application_id(app: Flask, cluster_name: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Application.id)
            .join(Cluster)
            .where(Cluster.name == cluster_name)
            .order_by(Application.id.desc())
        )


def state_of(app: Flask, application_id: int) -> State:
    with app.app_context():
        return db.session.get(Application, application_id).state
