"""A manager account the import creates gets the invitation a coordinator's would send,
through the outbox and a real SMTP server, in the row's language or the agency's."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import OutboxMessage
from certtrack.models.base import utcnow
from certtrack.services import portfolio_import
from certtrack.services.dispatch import send_due
from certtrack.workflow.errors import InvalidParams
from tests.builders import make_cast
from tests.imports.conftest import csv_bytes

DAY = date(2026, 11, 25)
ROWS = [
    ["Cluster Legno", "IT", "", "", "", "Giulia Rossi", "giulia@legno.example",
     "", "", "", "", "", "en"],
    # No language given: the agency's (Informest is Italian).
    ["Cluster Mare", "IT", "", "", "", "Sara Blu", "sara@mare.example", "", "", "", "", "", ""],
    # Already an account: no invitation.
    ["DITENAVE", "IT", "", "", "", "Manager", "manager@ditenave.example",
     "", "", "", "", "", ""],
]  # fmt: skip


def outbox_size():
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_new_managers_are_invited_once_in_their_language_on_commit(mail_app, smtp):
    with time_machine.travel(datetime.combine(DAY, time(9), ZoneInfo("UTC")), tick=False):
        cast = make_cast()
        preview = portfolio_import.plan(cast.agency, csv_bytes(ROWS), "p.csv", today=DAY)
        assert outbox_size() == 0  # a preview invites nobody
        portfolio_import.commit(preview, cast.coordinator, now=utcnow())
        send_due(now=utcnow())
        invited = {r.to[0]: r for r in smtp.inbox.received}
        assert sorted(invited) == ["giulia@legno.example", "sara@mare.example"]
        assert invited["giulia@legno.example"].subject == "You are invited to certtrack"
        assert invited["sara@mare.example"].subject == "Sei invitato su certtrack"
        body = invited["giulia@legno.example"].part("text/plain")
        assert f"{cast.coordinator.name} invites you to certtrack" in body
        assert "https://certtrack.example/invitation/" in body
        # Importing the file again (an hour later, beyond the ten-minute slot) invites
        # nobody: the accounts exist.
        count = outbox_size()
    with time_machine.travel(datetime.combine(DAY, time(10), ZoneInfo("UTC")), tick=False):
        again = portfolio_import.plan(cast.agency, csv_bytes(ROWS), "p.csv", today=DAY)
        portfolio_import.commit(again, cast.coordinator, now=utcnow())
        send_due(now=utcnow())
        assert outbox_size() == count
        assert len(smtp.inbox.received) == 2


def test_a_refused_file_invites_nobody(mail_app, smtp):
    with time_machine.travel(datetime.combine(DAY, time(9), ZoneInfo("UTC")), tick=False):
        cast = make_cast()
        bad = [*ROWS, ["Cluster X", "IT", "", "", "", "", "", "Platinum", "N-9", "2025-01",
                       "2027-01-31", "", ""]]  # fmt: skip
        preview = portfolio_import.plan(cast.agency, csv_bytes(bad), "p.csv", today=DAY)
        assert preview.refused
        with pytest.raises(InvalidParams):
            portfolio_import.commit(preview, cast.coordinator, now=utcnow())
        send_due(now=utcnow())
        assert outbox_size() == 0 and smtp.inbox.received == []
