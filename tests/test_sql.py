"""SQL written for both databases (certtrack/services/sql.py)."""

from datetime import date

from sqlalchemy import Date, literal, select

from certtrack.extensions import db
from certtrack.services.sql import grace_end_of, shifted


def test_statements_differing_only_in_an_offset_are_not_confused(ctx):
    # SQLAlchemy caches compiled statements by their structure; the offsets are part of
    # the SQL, so each must give its own statement.
    day = literal(date(2027, 1, 31), Date)
    results = [db.session.scalar(select(shifted(day, days=d))) for d in (1, 2, -30)]
    assert results == [date(2027, 2, 1), date(2027, 2, 2), date(2027, 1, 1)]
    months = [db.session.scalar(select(shifted(day, days=1, months=m))) for m in (1, 12)]
    assert months == [date(2027, 3, 1), date(2028, 2, 1)]


def test_grace_end_is_the_last_day_of_the_month_months_later(ctx):
    end = literal(date(2026, 11, 30), Date)
    assert db.session.scalar(select(grace_end_of(end, 12))) == date(2027, 11, 30)
    assert db.session.scalar(select(grace_end_of(end, 3))) == date(2027, 2, 28)
