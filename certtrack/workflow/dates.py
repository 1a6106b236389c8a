"""Calendar arithmetic for label validity: months, month ends, leap years."""

import calendar
from datetime import date, timedelta


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def valid_until(interview: date, months: int) -> date:
    """A label holds until the end of the interview month, `months` later."""
    return end_of_month(add_months(month_start(interview), months))


def grace_end(label_valid_until: date, grace_months: int) -> date:
    """Last day on which an expired label can still be renewed."""
    return end_of_month(add_months(month_start(label_valid_until), grace_months))


def renewal_window_opens(label_valid_until: date, window_days: int) -> date:
    return label_valid_until - timedelta(days=window_days)


def grace_cutoff(today: date, grace_months: int) -> date:
    """Labels valid until a day before this one are past their grace period today.

    today > grace_end(v) exactly when v falls before the first day of the month lying
    `grace_months` before today's month (valid_until is always a month end)."""
    return month_start(add_months(today, -grace_months))
