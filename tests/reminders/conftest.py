"""Helpers of the reminder tests: the clock of a day, the daily pass and the dispatcher,
the environment of a `flask` process that sends to the tests' SMTP server."""

import os
from datetime import date, datetime, time

from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.reminders import run_daily_pass
from tests.mail_server import SmtpServer


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
