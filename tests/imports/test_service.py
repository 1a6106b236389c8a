"""The import's reading, checking and writing, without a web request."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Cluster, Label, LabelStatus, Level, State, User
from certtrack.services import portfolio_import
from certtrack.workflow.errors import InvalidParams, PayloadTooLarge
from tests.builders import add_label, snapshot
from tests.imports.conftest import GOOD, HEADERS_EN, HEADERS_IT, TODAY, csv_bytes, xlsx_bytes

NOW = datetime(2026, 11, 25, 9, 0)


def plan(cast, content, name="portfolio.csv"):
    return portfolio_import.plan(cast.agency, content, name, today=TODAY)


def test_a_good_file_previews_then_imports_all_rows(cast):
    before = snapshot()
    preview = plan(cast, csv_bytes(GOOD))
    assert [(r.line, r.outcome) for r in preview.rows] == [
        (2, "create"),
        (3, "create"),
        (4, "create"),
        (5, "update"),
    ]
    assert snapshot() == before  # a preview writes nothing
    portfolio_import.commit(preview, cast.coordinator, now=NOW)
    legno = db.session.scalar(select(Cluster).where(Cluster.name == "Cluster Legno"))
    assert (legno.agency_id, legno.country, legno.region) == (cast.agency.id, "IT", "FVG")
    assert sorted(u.email for u in legno.managers) == [
        "giulia@legno.example",
        "marco@legno.example",
    ]
    assert all(u.password_hash is None for u in legno.managers)  # they set one when invited
    silver = db.session.scalar(select(Label).where(Label.number == "IT-S-001"))
    assert (silver.valid_until, silver.interview_month, silver.status) == (
        date(2027, 1, 10),
        date(2025, 1, 1),
        LabelStatus.VALID,
    )
    # 46 days left: inside the renewal window.
    assert (silver.application.state, silver.application.imported_on) == (State.RENEWAL_DUE, TODAY)
    [entry] = silver.application.history
    assert (entry.event, entry.actor_id, entry.to_state) == (
        "portfolio_import",
        cast.coordinator.id,
        State.RENEWAL_DUE,
    )
    bronze = db.session.scalar(select(Label).where(Label.number == "IT-B-002"))
    assert (bronze.status, bronze.application.state) == (LabelStatus.LAPSED, State.LAPSED)
    assert cast.cluster.sector == "Naval"


def test_re_importing_the_same_file_changes_nothing(cast):
    content = xlsx_bytes(GOOD)
    portfolio_import.commit(plan(cast, content, "p.xlsx"), cast.coordinator, now=NOW)
    before = snapshot()
    again = plan(cast, content, "p.xlsx")
    assert {r.outcome for r in again.rows} == {"unchanged"}
    portfolio_import.commit(again, cast.coordinator, now=NOW)
    assert snapshot() == before


def test_xlsx_dates_and_italian_headers(cast):
    rows = [["Cluster Sedia", "IT", None, None, None, None, None, "Gold", "IT-G-9",
             datetime(2025, 6, 14), datetime(2027, 6, 30), None]]  # fmt: skip
    preview = plan(cast, xlsx_bytes(rows), "p.xlsx")
    assert preview.rows[0].outcome == "create", preview.rows[0].problems
    assert preview.new_labels[0][1]["interview_month"] == date(2025, 6, 1)


def test_semicolon_csv_with_italian_headers(cast):
    preview = plan(cast, csv_bytes(GOOD, HEADERS_IT, ";"))
    assert not preview.refused


BAD = [
    # unknown level, d/m/Y date that does not exist
    ["Cluster A", "IT", "", "", "", "", "", "Platinum", "N-1", "2025-01", "31/02/2027", ""],
    # another agency's cluster name, another agency's manager
    ["Moravian Engineering Cluster", "CZ", "", "", "", "", "", "", "", "", "", ""],
    ["Cluster B", "IT", "", "", "", "Someone", "manager@moravian.example", "", "", "", "", ""],
    # a label number of another cluster; a status the dates contradict
    ["Cluster C", "IT", "", "", "", "", "", "Bronze", "CZ-B-1", "2025-01", "2027-01-31", ""],
    ["Cluster D", "IT", "", "", "", "", "", "Bronze", "N-4", "2025-01", "2026-01-31", "valid"],
    # no country, a bad website
    ["Cluster E", "", "", "", "not a site", "", "", "", "", "", "", ""],
]  # fmt: skip


def test_bad_rows_are_refused_per_cell_and_nothing_is_written(cast):
    add_label(cast.other_cluster, "CZ-B-1", Level.BRONZE, LabelStatus.VALID, date(2027, 5, 31))
    before = snapshot()
    preview = plan(cast, csv_bytes([*GOOD, *BAD]))
    problems = {r.line: r.problems for r in preview.refused}
    assert set(problems[6]) == {"level", "valid_until"}
    assert problems[7] == {"cluster": "Another cluster already has this name."}
    assert problems[8] == {"manager_email": "This email belongs to another account."}
    assert problems[9] == {"number": "This label number belongs to another cluster."}
    assert "is Lapsed" in problems[10]["status"]
    assert set(problems[11]) == {"country", "website"}
    with pytest.raises(InvalidParams) as refused:
        portfolio_import.commit(preview, cast.coordinator, now=NOW)
    assert "row 6, Level" in refused.value.fields
    assert snapshot() == before  # the good rows were not written either


@pytest.mark.parametrize(
    ("content", "name", "error", "says"),
    [
        (b"", "p.csv", InvalidParams, "empty"),
        (b"Cluster name,Country\nX,IT\n", "p.csv", InvalidParams, "Missing columns"),
        (b"%PDF-1.4 nope", "p.pdf", InvalidParams, "CSV or an Excel"),
        (b"PK\x03\x04broken", "p.xlsx", InvalidParams, "CSV or an Excel"),
        (b"x" * (11 * 1024 * 1024), "p.csv", PayloadTooLarge, "larger than"),
    ],
)
def test_files_refused_as_a_whole(cast, content, name, error, says):
    with pytest.raises(error) as refused:
        plan(cast, content, name)
    assert says in refused.value.message


def test_unknown_columns_and_headers_only(cast):
    with pytest.raises(InvalidParams, match="Unknown columns: Colour"):
        plan(cast, csv_bytes([], [*HEADERS_EN, "Colour"]))
    with pytest.raises(InvalidParams, match="no rows"):
        plan(cast, csv_bytes([]))


def test_lookups_take_a_fixed_number_of_statements(cast):
    from certtrack.statements import recorded

    counts = []
    db.session.refresh(cast.agency)  # its language is read once per file
    for size in (10, 200):
        rows = [
            [f"Cluster {size}-{i}", "IT", "", "", "", f"M {i}", f"m{size}-{i}@x.example",
             "Bronze", f"N-{size}-{i}", "2025-01", "2027-01-31", ""]
            for i in range(size)
        ]  # fmt: skip
        with recorded(db.engine) as statements:
            plan(cast, csv_bytes(rows))
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6, counts
    assert db.session.scalar(select(func.count()).select_from(User)) == 7  # the cast only


def test_the_templates_read_back(cast):
    for language in ("en", "it"):
        for kind in ("csv", "xlsx"):
            content = portfolio_import.template(language, kind)
            preview = plan(cast, content, f"t.{kind}")
            assert preview.rows[0].outcome == "create", preview.rows[0].problems
