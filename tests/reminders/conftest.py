"""A real SMTP server on 127.0.0.1 (aiosmtpd) and an app that sends to it."""

import email
import email.policy
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from certtrack import create_app
from certtrack.extensions import db
from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.reminders import run_daily_pass
from tests.conftest import empty_tables

BASE_URL = "https://certtrack.example"


@dataclass
class Received:
    to: list[str]
    message: Message

    @property
    def subject(self) -> str:
        # Long subjects arrive folded over lines; mail clients unfold them.
        return " ".join(str(self.message["Subject"]).split())

    def part(self, kind: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == kind:
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        raise AssertionError(f"no {kind} part")


@dataclass
class Inbox:
    """What the SMTP server accepted, and addresses it refuses for good."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                Received(
                    list(envelope.rcpt_tos),
                    email.message_from_bytes(envelope.content, policy=email.policy.default),
                )
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.to]

    def subjects(self) -> list[tuple[str, str]]:
        return [(r.to[0], r.subject) for r in self.received]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(migrated: str, smtp: SmtpServer) -> Iterator[Flask]:
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        MAIL_SUPPRESS_SEND=False,
        CERTTRACK_BASE_URL=BASE_URL,
    )
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def flask_env(database_url: str, smtp: SmtpServer, **settings: str) -> dict[str, str]:
    """The environment of a `flask ...` process of the testing config that sends to
    `smtp` and uses the test database."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "FLASK_CONFIG": "testing",
        "TEST_DATABASE_URL": database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_SUPPRESS_SEND": "false",
        **settings,
    }


def noon(day: date) -> datetime:
    """A UTC timestamp well inside `day` in Rome."""
    return datetime.combine(day, time(11, 0))


def pass_and_send(day: date) -> Outcome:
    """The daily pass of `day`, then the dispatcher as it would run that day."""
    run_daily_pass(day, now=noon(day))
    return send_due(now=noon(day))
