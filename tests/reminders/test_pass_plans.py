"""How the pass's statements run, read from the databases' own plans rather than from a
clock: the outbox is looked up by key for each message, and on PostgreSQL every lookup
is done before the first row is written."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from certtrack.demo.scale import seed_scale
from certtrack.extensions import db
from certtrack.services.outbox import sending_domain
from certtrack.services.reminder_kinds import BY_NAME, KINDS
from certtrack.services.reminders import insertion
from certtrack.workflow.policy import load_policy
from tests.reminders.conftest import noon

SEEDED = date(2026, 11, 25)
LATER = SEEDED + timedelta(days=400)  # a first catch-up: every kind has messages due


def plan(name: str, explain: str) -> list[Any]:
    """The database's plan of the statement the pass runs for the kind on LATER, with
    the same parameters: the driver is handed `explain` + the statement instead."""
    built = insertion(BY_NAME[name], load_policy(), db.engine.dialect.name, sending_domain())
    rows: list[Any] = []

    def explained(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> Any:
        return f"{explain} {statement}", parameters

    def read(conn: Any, cursor: Any, *_: Any) -> None:
        rows.extend(cursor.fetchall())

    event.listen(db.engine, "before_cursor_execute", explained, retval=True)
    event.listen(db.engine, "after_cursor_execute", read)
    try:
        db.session.execute(built.statement, built.parameters(LATER, noon(LATER)))
    finally:
        event.remove(db.engine, "before_cursor_execute", explained)
        event.remove(db.engine, "after_cursor_execute", read)
    return rows


def outbox_reads(node: dict[str, Any], sorted_above: bool = False) -> list[bool]:
    """For each node of a PostgreSQL plan that reads the outbox: whether a Sort (which
    reads all its input before giving the first row) lies between it and the INSERT."""
    reads = [sorted_above] if node.get("Relation Name") == "outbox_message" else []
    if node["Node Type"] == "ModifyTable":
        reads = []  # the INSERT's own target
    below = sorted_above or node["Node Type"] == "Sort"
    for child in node.get("Plans", []):
        reads += outbox_reads(child, below)
    return reads


@pytest.mark.parametrize("name", [kind.name for kind in KINDS])
def test_the_catch_up_reads_the_outbox_before_writing_to_it(ctx, name):
    """Regression: planned on a (nearly) empty outbox, PostgreSQL checked each message's
    key by scanning the outbox; interleaved with the writes, each scan also read every
    row the statement had added, and a first catch-up took time growing with the square
    of the labels. Sorted first, every check is done before the first write."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's plan: test_sqlite_looks_each_key_up_in_its_index")
    seed_scale(20, labels_per_cluster=2, agencies=2, today=SEEDED)
    [[[root]]] = plan(name, "EXPLAIN (FORMAT JSON)")
    reads = outbox_reads(root["Plan"])
    assert reads and all(reads), name


@pytest.mark.parametrize("name", [kind.name for kind in KINDS])
def test_sqlite_looks_each_key_up_in_its_index(ctx, name):
    """SQLite writes as it selects, so each check must be an index look-up, never a
    scan of the outbox (which would read the rows already added)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's plan: test_the_catch_up_reads_the_outbox_before_writing_to_it")
    seed_scale(20, labels_per_cluster=2, agencies=2, today=SEEDED)
    details = [row[-1] for row in plan(name, "EXPLAIN QUERY PLAN")]
    on_outbox = [detail for detail in details if "outbox_message" in detail]
    assert on_outbox, details
    assert not [detail for detail in on_outbox if detail.startswith("SCAN")], details
