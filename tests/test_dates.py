"""Label validity at month ends and across leap years."""

from datetime import date, timedelta

import pytest

from certtrack.workflow.dates import (
    add_months,
    end_of_month,
    grace_cutoff,
    grace_end,
    months_between,
    renewal_window_opens,
    valid_until,
)


@pytest.mark.parametrize(
    ("interview", "expected"),
    [
        (date(2014, 10, 15), date(2016, 10, 31)),  # the seed's CLUS3 Bronze labels
        (date(2014, 10, 1), date(2016, 10, 31)),
        (date(2014, 10, 31), date(2016, 10, 31)),
        (date(2022, 2, 10), date(2024, 2, 29)),  # ends in a leap February
        (date(2024, 2, 29), date(2026, 2, 28)),  # interviewed on a leap day
        (date(2023, 12, 31), date(2025, 12, 31)),  # year end
        (date(2015, 4, 30), date(2017, 4, 30)),  # 30-day month
    ],
)
def test_valid_until_end_of_interview_month_two_years_later(interview, expected):
    assert valid_until(interview, 24) == expected


def test_valid_until_other_durations():
    assert valid_until(date(2023, 11, 5), 36) == date(2026, 11, 30)
    assert valid_until(date(2023, 11, 5), 3) == date(2024, 2, 29)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2015, 1, 31), 1) == date(2015, 2, 28)
    assert add_months(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert add_months(date(2016, 3, 31), -1) == date(2016, 2, 29)
    assert add_months(date(2016, 12, 15), 1) == date(2017, 1, 15)
    assert add_months(date(2017, 1, 15), -13) == date(2015, 12, 15)


def test_months_between_counts_calendar_months():
    assert months_between(date(2014, 10, 1), date(2016, 4, 30)) == 18
    assert months_between(date(2014, 10, 31), date(2016, 10, 1)) == 24
    assert months_between(date(2016, 5, 1), date(2016, 4, 30)) == -1


def test_grace_end_is_a_year_after_expiry_at_month_end():
    assert grace_end(date(2016, 10, 31), 12) == date(2017, 10, 31)
    assert grace_end(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert grace_end(date(2023, 2, 28), 12) == date(2024, 2, 29)


def test_renewal_window_opens_180_days_before():
    assert renewal_window_opens(date(2016, 10, 31), 180) == date(2016, 5, 4)
    assert renewal_window_opens(date(2024, 2, 29), 180) == date(2023, 9, 2)


def test_grace_cutoff_agrees_with_grace_end_every_day():
    """The SQL-friendly cutoff and the per-label rule give the same answer for every
    month-end validity and every day over four years (leap years included)."""
    ends = [end_of_month(date(year, month, 1)) for year in (2015, 2016) for month in range(1, 13)]
    day = date(2015, 1, 1)
    while day < date(2019, 1, 1):
        cutoff = grace_cutoff(day, 12)
        for end in ends:
            assert (end < cutoff) == (day > grace_end(end, 12)), (day, end)
        day += timedelta(days=1)
