"""Revoked and superseded labels, and a cluster's labels chained in date order as
renewals and upgrades chain them, also across imports."""

from datetime import datetime

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Label, LabelStatus, State
from certtrack.services import portfolio_import
from tests.builders import snapshot
from tests.imports.conftest import TODAY, csv_bytes

NOW = datetime(2026, 11, 25, 9, 0)


def row(cluster, level, number, month, until, status="", reason=""):
    return [cluster, "IT", "", "", "", "", "", level, number, month, until, status, "", reason]


# Bronze, renewed, upgraded to Silver, then Gold; the rows in no particular order.
HISTORY = [
    row("Cluster Legno", "Gold", "L-G-4", "2025-01", "2028-01-31"),
    row("Cluster Legno", "Bronze", "L-B-1", "2016-01", "2018-01-31"),
    row("Cluster Legno", "Silver", "L-S-3", "2021-02", "2024-02-29", "superseded"),
    row("Cluster Legno", "Bronze", "L-B-2", "2018-01", "2020-01-31", "sostituito"),
    # Revoked without a reason given, another with one; the second is the newest.
    row("Cluster Mare", "Bronze", "M-B-1", "2022-03", "2024-03-31", "revoked"),
    row("Cluster Mare", "Silver", "M-S-2", "2024-06", "2027-06-30", "revocato", "Data falsified"),
]


def plan(cast, rows):
    return portfolio_import.plan(cast.agency, csv_bytes(rows), "p.csv", today=TODAY)


def labels():
    return {label.number: label for label in db.session.scalars(select(Label))}


def test_a_clusters_labels_chain_in_date_order(cast):
    preview = plan(cast, HISTORY)
    assert not preview.refused, [r.problems for r in preview.refused]
    portfolio_import.commit(preview, cast.coordinator, now=NOW)
    found = labels()
    chain = [found[n] for n in ("L-B-1", "L-B-2", "L-S-3", "L-G-4")]
    assert [label.status for label in chain] == [LabelStatus.SUPERSEDED] * 3 + [LabelStatus.VALID]
    assert [label.superseded_by for label in chain] == [*chain[1:], None]
    assert [label.application.previous for label in chain] == [
        None,
        *(label.application for label in chain[:-1]),
    ]
    assert [label.application.state for label in chain] == [
        State.RENEWED,
        State.UPGRADED,
        State.UPGRADED,
        State.FOLLOW_UP,
    ]


def test_revoked_labels_keep_their_reason_or_get_the_default(cast):
    portfolio_import.commit(plan(cast, HISTORY), cast.coordinator, now=NOW)
    older, newer = labels()["M-B-1"], labels()["M-S-2"]
    assert (older.status, older.revocation_reason, older.superseded_by_id) == (
        LabelStatus.REVOKED,
        "Revoked before import",
        None,  # a revoked label is nobody's predecessor in force
    )
    assert (newer.status, newer.revocation_reason, newer.revoked_on) == (
        LabelStatus.REVOKED,
        "Data falsified",
        None,  # the day is not in an agency's records
    )
    assert newer.application.previous == older.application
    assert older.application.state == State.UPGRADED
    assert newer.application.state == State.FOLLOW_UP  # as a revocation in the app leaves it


def test_superseded_and_revoked_labels_leave_the_register_but_stay_verifiable(cast, app):
    portfolio_import.commit(plan(cast, HISTORY), cast.coordinator, now=NOW)
    db.session.remove()
    listed = app.test_client().get("/register.json").get_json()
    numbers = [entry["number"] for entry in listed["items"]]
    assert "L-G-4" in numbers
    assert not {"L-B-1", "L-B-2", "L-S-3", "M-B-1", "M-S-2"} & set(numbers)
    superseded = app.test_client().get("/labels/L-S-3").get_data(as_text=True)
    assert "Superseded" in superseded and "L-G-4" in superseded
    revoked = app.test_client().get("/labels/M-S-2").get_data(as_text=True)
    assert "This label was revoked; it no longer holds." in revoked
    assert "Data falsified" in revoked


def test_re_importing_the_history_changes_nothing(cast):
    portfolio_import.commit(plan(cast, HISTORY), cast.coordinator, now=NOW)
    before = snapshot()
    again = plan(cast, HISTORY)
    assert {r.outcome for r in again.rows} == {"unchanged"}
    portfolio_import.commit(again, cast.coordinator, now=NOW)
    assert snapshot() == before


def test_a_later_file_adds_a_newer_label_to_the_chain(cast):
    first = [row("Cluster Legno", "Silver", "L-S-1", "2023-01", "2026-12-31")]
    portfolio_import.commit(plan(cast, first), cast.coordinator, now=NOW)
    silver = labels()["L-S-1"]
    assert silver.application.state == State.RENEWAL_DUE
    later = [*first, row("Cluster Legno", "Gold", "L-G-2", "2026-10", "2029-10-31")]
    preview = plan(cast, later)
    assert [r.outcome for r in preview.rows] == ["unchanged", "create"]
    assert "supersedes L-S-1" in preview.rows[1].changes
    portfolio_import.commit(preview, cast.coordinator, now=NOW)
    db.session.expire_all()
    found = labels()
    silver, gold = found["L-S-1"], found["L-G-2"]
    assert (silver.status, silver.superseded_by) == (LabelStatus.SUPERSEDED, gold)
    assert gold.application.previous == silver.application
    assert silver.application.state == State.UPGRADED
    assert [(e.event, e.from_state, e.to_state) for e in silver.application.history][-1] == (
        "portfolio_import",
        State.RENEWAL_DUE,
        State.UPGRADED,
    )
    before = snapshot()
    portfolio_import.commit(plan(cast, later), cast.coordinator, now=NOW)
    assert snapshot() == before  # and that file again changes nothing


def test_statuses_that_disagree_with_the_chain_are_refused(cast):
    portfolio_import.commit(
        plan(cast, [row("Cluster Mare", "Gold", "M-G-9", "2025-01", "2027-01-31")]),
        cast.coordinator,
        now=NOW,
    )
    before = snapshot()
    rows = [
        # superseded with nothing newer
        row("Cluster A", "Bronze", "A-1", "2025-01", "2027-01-31", "superseded"),
        # said valid though a newer label follows
        row("Cluster B", "Bronze", "B-1", "2019-01", "2021-01-31", "expired"),
        row("Cluster B", "Silver", "B-2", "2025-01", "2028-01-31"),
        # a reason for a label not revoked
        row("Cluster C", "Bronze", "C-1", "2025-01", "2027-01-31", "", "Because"),
        # older than the label the cluster holds
        row("Cluster Mare", "Bronze", "M-B-1", "2020-01", "2022-01-31"),
        # an import does not revoke a recorded label
        row("Cluster Mare", "Gold", "M-G-9", "2025-01", "2027-01-31", "revoked"),
    ]
    problems = {r.line: r.problems for r in plan(cast, rows).refused}
    assert problems == {
        2: {"status": "A superseded label needs a newer label of the same cluster in the file."},
        3: {"status": "Label B-2 of this cluster is newer, so this one is superseded."},
        5: {"revocation_reason": "Give a reason only for a revoked label."},
        6: {
            "interview_month": "The cluster already holds a newer label, M-G-9; an import "
            "adds labels after the newest one."
        },
        7: {
            "status": "This label is recorded as not revoked; an import does not revoke an "
            "issued label: revoke it on its page."
        },
    }
    assert snapshot() == before


def test_the_templates_name_the_new_columns(cast):
    from tests.imports.conftest import HEADERS_EN, HEADERS_IT

    assert HEADERS_EN[-2:] == ["Manager language", "Revocation reason"]
    assert HEADERS_IT[-2:] == ["Lingua del referente", "Motivo della revoca"]
    english = portfolio_import.template("en", "csv").decode().splitlines()[0]
    assert english.endswith("Status,Manager language,Revocation reason")
