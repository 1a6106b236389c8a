"""Imported labels join the path: from the day after the import the daily pass sends the
notices their dates call for, through a real SMTP server, and never one whose day came
before the import; revoked and superseded labels get none."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from certtrack.models.base import utcnow
from certtrack.services import portfolio_import
from tests.builders import make_cast
from tests.imports.conftest import csv_bytes
from tests.reminders.conftest import pass_and_send

IMPORT_DAY = date(2026, 11, 25)
ROWS = [
    # Ends in 46 days: its 90-day notice (12 October) is past, the 30- and 7-day ones are not.
    ["Cluster Legno", "IT", "", "", "", "Giulia Rossi", "giulia@legno.example",
     "Silver", "IT-S-001", "2025-01", "2027-01-10", "", "en"],
    # Lapsed in April: its lapse notice is past; 90 days before its grace year ends
    # (31 March 2027) is 31 December.
    ["Cluster Mare", "IT", "", "", "", "Sara Blu", "sara@mare.example",
     "Gold", "IT-G-002", "2024-03", "2026-03-31", "", "en"],
    # Expired long ago: nothing more to say.
    ["Cluster Vecchio", "IT", "", "", "", "Ugo Neri", "ugo@vecchio.example",
     "Bronze", "IT-B-003", "2020-01", "2022-01-31", "", "en"],
    # Superseded: would end in 36 days, but the Silver that followed it holds until 2029.
    ["Cluster Rovere", "IT", "", "", "", "Pia Verdi", "pia@rovere.example",
     "Bronze", "IT-B-004", "2024-12", "2026-12-31", "superseded", "en"],
    ["Cluster Rovere", "", "", "", "", "", "",
     "Silver", "IT-S-005", "2026-06", "2029-06-30", "", ""],
    # Revoked: would end in 41 days.
    ["Cluster Faggio", "IT", "", "", "", "Ivo Gialli", "ivo@faggio.example",
     "Silver", "IT-S-006", "2024-01", "2027-01-05", "revoked", "en", "Misused"],
]  # fmt: skip
MANAGERS = ["giulia@", "sara@", "ugo@", "pia@", "ivo@"]


def at(day: date) -> datetime:
    return datetime.combine(day, time(11, 0), tzinfo=ZoneInfo("UTC"))


def test_imported_labels_get_their_coming_notices_and_no_past_one(mail_app, smtp):
    with time_machine.travel(at(IMPORT_DAY), tick=False):
        cast = make_cast()
        plan = portfolio_import.plan(cast.agency, csv_bytes(ROWS), "p.csv", today=IMPORT_DAY)
        assert not plan.refused
        portfolio_import.commit(plan, cast.coordinator, now=utcnow())
    sent: dict[date, list[tuple[str, str]]] = {}
    invitations: list[str] = []
    day = IMPORT_DAY + timedelta(days=1)
    while day <= date(2027, 1, 10):
        with time_machine.travel(at(day), tick=False):
            before = len(smtp.inbox.received)
            pass_and_send(day)
            new = smtp.inbox.received[before:]
            invitations += [r.to[0] for r in new if r.subject == "You are invited to certtrack"]
            new = [r for r in new if r.subject != "You are invited to certtrack"]
            # Everything but the coordinator's weekly digest, which is not about a label.
            label_mail = [
                (r.to[0], r.subject) for r in new if "coord@" not in r.to[0] or "label" in r.subject
            ]
            if label_mail:
                sent[day] = sorted(label_mail)
        day += timedelta(days=1)
    coordinator = cast.coordinator.email
    # Each new manager is invited once, on the first dispatch after the import.
    assert sorted(invitations) == sorted(
        f"{name}{domain}.example"
        for name, domain in zip(
            MANAGERS, ["legno", "mare", "vecchio", "rovere", "faggio"], strict=True
        )
    )
    assert sent == {
        date(2026, 12, 11): sorted(
            [
                ("giulia@legno.example", "Cluster Legno: the Silver label ends in 30 days"),
                (coordinator, "Cluster Legno: the Silver label ends in 30 days"),
            ]
        ),
        date(2026, 12, 31): sorted(
            [
                ("sara@mare.example", "Cluster Mare: 90 days left to renew the Gold label"),
                (coordinator, "Cluster Mare: 90 days left to renew the Gold label"),
            ]
        ),
        date(2027, 1, 3): sorted(
            [
                ("giulia@legno.example", "Cluster Legno: the Silver label ends in 7 days"),
                (coordinator, "Cluster Legno: the Silver label ends in 7 days"),
            ]
        ),
    }
