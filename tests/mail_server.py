"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it accepts."""

import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import Message

from aiosmtpd.controller import Controller

from tests.network import free_port

# The site's address in the links of the messages the tests' apps send.
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


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def app_settings(self) -> dict[str, object]:
        """The configuration that sends an app's mail here, with links to BASE_URL."""
        return {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": self.port,
            "MAIL_SUPPRESS_SEND": False,
            "CERTTRACK_BASE_URL": BASE_URL,
        }

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
