"""The edge of time: the only place that reads the clock for the app's calendar."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def local_now() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["CERTTRACK_TIMEZONE"]))


def local_today() -> date:
    """Today in the scheme's time zone (Europe/Rome by default): a label valid until
    31 October is still valid at 23:30 in Trieste."""
    return local_now().date()


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CERTTRACK_TIMEZONE"])


def local_date(moment: datetime) -> date:
    """The scheme's calendar day of a naive UTC timestamp."""
    return moment.replace(tzinfo=UTC).astimezone(_zone()).date()


def day_start(day: date) -> datetime:
    """The naive UTC instant at which the scheme's calendar `day` begins, so that
    `local_date(moment) < day` exactly when `moment < day_start(day)`: what lets SQL
    compare stored UTC timestamps with local days. (Where a clock change skips midnight,
    fold=0 reads it with the offset before the change: the instant the day begins.)"""
    return datetime.combine(day, time(0), tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)
