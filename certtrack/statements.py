"""Counting and timing SQL statements: the tests bound them per page and per pass, the
benchmark scripts report them."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event


@contextmanager
def recorded(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` runs inside the block, in order."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def timed(engine: Engine) -> Iterator[list[tuple[str, float]]]:
    """The statements `engine` runs inside the block with their time in milliseconds
    (cursor execution only, not loading the rows into objects)."""
    timings: list[tuple[str, float]] = []

    def start(conn: Any, _cursor: Any, *_args: Any) -> None:
        conn.info.setdefault("statement_started", []).append(time.perf_counter())

    def stop(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started = conn.info["statement_started"].pop()
        timings.append((statement, (time.perf_counter() - started) * 1000))

    event.listen(engine, "before_cursor_execute", start)
    event.listen(engine, "after_cursor_execute", stop)
    try:
        yield timings
    finally:
        event.remove(engine, "before_cursor_execute", start)
        event.remove(engine, "after_cursor_execute", stop)
