"""The edge of time: the only place that reads the clock for the app's calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["CERTTRACK_TIMEZONE"]))


def local_today() -> date:
    """Today in the scheme's time zone (Europe/Rome by default): a label valid until
    31 October is still valid at 23:30 in Trieste."""
    return local_now().date()
