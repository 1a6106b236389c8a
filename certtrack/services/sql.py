"""SQL for work done in set operations (the daily pass builds its messages in SQL, not
row by row in Python): the day as bound parameters, and the expressions that PostgreSQL
and SQLite spell differently."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Float,
    String,
    bindparam,
    cast,
    literal,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.sql.visitors import InternalTraversal

T = TypeVar("T")


def insert_or_skip(
    table: Any, dialect_name: str, index_elements: list[str] | None = None
) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT DO NOTHING into `table`: a row whose key is taken already
    (by another process, or an earlier run of the same work) is skipped, not an error.
    Both databases spell it alike; SQLAlchemy keeps a construct per dialect."""
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing(index_elements=index_elements)


class Day:
    """The day a statement is about, in SQL. Every value a condition derives from the
    day goes through `on` and is worked out by the workflow's own Python rules
    (`day.on(lambda today: grace_cutoff(today, months))`), so no date rule has a second,
    SQL spelling.

    `Day(today)` binds the values of that day at once, for a statement run once.
    `Day()` leaves them as named parameters, for a statement built once and run on any
    day with `values(today)` (building a statement costs far more than running it)."""

    def __init__(self, today: date | None = None) -> None:
        self._today = today
        self._derived: dict[str, Callable[[date], Any]] = {}

    def on(self, derive: Callable[[date], T], type_: TypeEngine[T]) -> ColumnElement[T]:
        """The value `derive(today)` of the statement's day."""
        if self._today is not None:
            return literal(derive(self._today), type_)
        key = f"day_{len(self._derived)}"
        self._derived[key] = derive
        return bindparam(key, type_=type_)

    @property
    def today(self) -> ColumnElement[date]:
        return self.on(lambda today: today, Date())

    def plus(self, delta: timedelta) -> ColumnElement[date]:
        """The day `delta` after (before, if negative)."""
        return self.on(lambda today: today + delta, Date())

    def values(self, today: date) -> dict[str, Any]:
        """The parameters of a statement built with `Day()`, on `today`."""
        assert self._today is None, "a Day(today) has its values bound already"
        return {key: derive(today) for key, derive in self._derived.items()}


def joined(*parts: Any) -> ColumnElement[str]:
    """Text and columns concatenated, numbers written in decimal: a key or a link."""
    pieces: list[ColumnElement[str]] = [
        literal(part) if isinstance(part, str) else cast(part, String) for part in parts
    ]
    expression = pieces[0]
    for piece in pieces[1:]:
        expression = expression + piece
    return expression


class random_hex(FunctionElement[str]):
    """32 random hexadecimal digits, new for every row."""

    type = String()
    inherit_cache = True


@compiles(random_hex, "postgresql")
def _random_hex_postgresql(element: random_hex, compiler: SQLCompiler, **kw: Any) -> str:
    return "replace(CAST(gen_random_uuid() AS TEXT), '-', '')"


@compiles(random_hex, "sqlite")
def _random_hex_sqlite(element: random_hex, compiler: SQLCompiler, **kw: Any) -> str:
    return "lower(hex(randomblob(16)))"


class isoformat(FunctionElement[str]):
    """A timestamp column as Python's datetime.isoformat() writes it (microseconds only
    when there are some), so keys made in SQL equal those made in Python."""

    type = String()
    inherit_cache = True


@compiles(isoformat, "postgresql")
def _isoformat_postgresql(element: isoformat, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return (
        f"to_char({value}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"mod(CAST(date_part('microseconds', {value}) AS INTEGER), 1000000) = 0 "
        f"THEN '' ELSE to_char({value}, '.US') END"
    )


@compiles(isoformat, "sqlite")
def _isoformat_sqlite(element: isoformat, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLAlchemy stores SQLite timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff'.
    value = compiler.process(element.clauses, **kw)
    return (
        f"replace(substr({value}, 1, 19), ' ', 'T') || CASE WHEN "
        f"coalesce(substr({value}, 21, 6), '') IN ('', '000000') "
        f"THEN '' ELSE '.' || substr({value}, 21, 6) END"
    )


class isodate(FunctionElement[str]):
    """A date column as Python's date.isoformat() writes it (YYYY-MM-DD), whatever the
    server's date style."""

    type = String()
    inherit_cache = True


@compiles(isodate, "postgresql")
def _isodate_postgresql(element: isodate, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(isodate, "sqlite")
def _isodate_sqlite(element: isodate, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLAlchemy stores SQLite dates as 'YYYY-MM-DD' already.
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


class shifted(FunctionElement[date]):
    """A date column moved by a fixed number of days, then of months (both our own
    integers, written into the statement); months added to a month's first day."""

    type = Date()
    inherit_cache = True
    # The offsets are written into the SQL, so they belong in the cache key: without
    # them two statements differing only in an offset would share one compiled string.
    _traverse_internals = [
        *FunctionElement._traverse_internals,
        ("days", InternalTraversal.dp_plain_obj),
        ("months", InternalTraversal.dp_plain_obj),
    ]

    def __init__(self, day: Any, *, days: int = 0, months: int = 0) -> None:
        self.days, self.months = int(days), int(months)
        super().__init__(day)


@compiles(shifted, "postgresql")
def _shifted_postgresql(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    # date + integer is a date; date + interval a timestamp, cast back.
    value = f"({compiler.process(element.clauses, **kw)} + {element.days})"
    if element.months:
        value = f"CAST({value} + INTERVAL '{element.months} months' AS DATE)"
    return value


@compiles(shifted, "sqlite")
def _shifted_sqlite(element: shifted, compiler: SQLCompiler, **kw: Any) -> str:
    value = compiler.process(element.clauses, **kw)
    return f"date({value}, '{element.days:+d} days', '{element.months:+d} months')"


def grace_end_of(valid_until: Any, grace_months: int) -> ColumnElement[date]:
    """workflow.dates.grace_end in SQL for a label's end (always a month's last day):
    the last day of the month `grace_months` later."""
    first_after = shifted(valid_until, days=1, months=grace_months)
    return shifted(first_after, days=-1)


class json_object(FunctionElement[Any]):
    """A JSON object from alternating names and values, as a JSON column's value."""

    type = JSON()
    inherit_cache = True


@compiles(json_object, "postgresql")
def _json_object_postgresql(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_build_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object, "sqlite")
def _json_object_sqlite(element: json_object, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite has no boolean: without json() a flag would come back as 0 or 1.
    values = [
        f"json(CASE WHEN {compiler.process(clause, **kw)} THEN 'true' ELSE 'false' END)"
        if isinstance(clause.type, Boolean)
        else compiler.process(clause, **kw)
        for clause in element.clauses
    ]
    return f"json_object({', '.join(values)})"


def json_of(pairs: dict[str, Any]) -> json_object:
    """The JSON object {name: value} of SQL values (or Python constants)."""
    arguments: list[Any] = []
    for name, value in pairs.items():
        arguments += [literal(name), value if isinstance(value, ColumnElement) else literal(value)]
    return json_object(*arguments)


class days_between(FunctionElement[float]):
    """The days (with their fraction) from one timestamp column to another."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "postgresql")
def _days_between_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({end}) - julianday({start}))"
