"""The edge of time: the only place that reads the clock for the app's calendar."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["CERTTRACK_TIMEZONE"]))


def local_today() -> date:
    """Today in the scheme's time zone (Europe/Rome by default): a label valid until
    31 October is still valid at 23:30 in Trieste."""
    return local_now().date()


def local_date(moment: datetime) -> date:
    """The scheme's calendar day of a naive UTC timestamp."""
    zone = ZoneInfo(current_app.config["CERTTRACK_TIMEZONE"])
    return moment.replace(tzinfo=UTC).astimezone(zone).date()
