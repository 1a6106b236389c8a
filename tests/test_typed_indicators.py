"""Benchmarking indicators as typed measurements: the catalogue migration 0009 writes, each
measure's rule (in the service, the page and the API), the conversion of old text
answers, and the indicator wording in the reader's language."""

import importlib.util
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from certtrack import create_app
from certtrack.extensions import db
from certtrack.measurements import format_measurement
from certtrack.models import (
    IndicatorDefinition,
    IndicatorKind,
    Measure,
)
from certtrack.services.benchmarking import save_benchmarking
from certtrack.services.measures import measurement
from certtrack.vocabulary import indicator_guidance, indicator_name, indicator_unit
from certtrack.workflow import requirements
from certtrack.workflow.errors import GuardFailed, InvalidParams
from tests.builders import Journey, make_cast, snapshot

DAY = date(2014, 10, 20)
MIGRATION = (
    Path(__file__).parents[1] / "certtrack/migrations/versions/0009_typed_indicator_measurements.py"
)
INDICATORS_MD = Path(__file__).parents[1] / "docs/indicators.md"


def migration_0009():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def review(ctx):  # type: ignore[no-untyped-def]
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(date(2014, 10, 1))
    return journey


def benchmark(code: str) -> IndicatorDefinition:
    return db.session.scalars(
        select(IndicatorDefinition).where(IndicatorDefinition.code == code)
    ).one()


# --- the catalogue ---------------------------------------------------------------------


def test_every_bronze_indicator_has_its_measure_and_only_those(ctx):
    definitions = db.session.scalars(select(IndicatorDefinition)).all()
    bronze = [d for d in definitions if d.kind == IndicatorKind.BENCHMARK]
    assert len(bronze) == 36
    for d in bronze:
        assert d.measure and d.direction and d.name_it and d.guidance and d.guidance_it, d.code
        if d.measure == Measure.SCALE:
            assert [lv.step for lv in d.levels] == [0, 1, 2, 3, 4], d.code
            assert all(lv.label and lv.label_it for lv in d.levels)
            assert (d.minimum, d.maximum) == (0, 4)
        else:
            assert d.unit and d.unit_it and d.levels == [], d.code
        if d.measure == Measure.PERCENT:
            assert (d.minimum, d.maximum) == (0, 100)
        if d.measure == Measure.COUNT:
            assert d.minimum == 0
    others = [d for d in definitions if d.kind != IndicatorKind.BENCHMARK]
    assert all(d.measure is None and d.unit is None and not d.levels for d in others)
    assert all(d.name_it for d in others)  # Italian names for every indicator
    assert benchmark("B12").levels[2].label == "written strategy"
    assert benchmark("B07").unit_it == "ETP"


def test_the_migrated_catalogue_matches_the_indicator_table(ctx):
    """The table of docs/indicators.md, row by row: kind, unit and direction."""
    rows = re.findall(
        r"^\| (B\d\d) \| ([^|]+) \| (\w+) \| ([^|]+) \| (\w+) \|$",
        INDICATORS_MD.read_text(),
        re.MULTILINE,
    )
    assert len(rows) == 36
    for code, _name, kind, unit, direction in rows:
        d = benchmark(code)
        assert (d.measure.value, d.direction.value) == (kind, direction), code
        if kind == "scale":
            if "same wording" not in unit:
                assert [lv.label for lv in d.levels] == [w.strip() for w in unit.split("·")]
        else:
            assert d.unit == unit.strip(), code


# --- each measure's rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "number", "message"),
    [
        ("B01", 4.5, "Must be a whole number."),
        ("B01", -1, "Must be at least 0."),
        ("B01", "12", "Must be a number."),
        ("B02", 8, "Must be between 0 and 7."),
        ("B07", 1001, "Must be between 0 and 1000."),
        ("B07", 0.555, "At most two decimal places."),
        ("B07", True, "Must be a number."),
        ("B03", 100.5, "Must be between 0 and 100."),
        ("B03", -3, "Must be between 0 and 100."),
        ("B08", 5, "Must be one of the steps 0 to 4."),
        ("B08", 2.5, "Must be a whole number."),
        ("B13", 1e300, "Must be between 0 and 1000000000."),
    ],
)
def test_a_measurement_out_of_its_rule_is_refused_beside_it_and_nothing_saved(
    review, code, number, message
):
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        save_benchmarking(
            review.application,
            review.cast.consultant,
            today=DAY,
            values={"B05": {"number": 40}, code: {"number": number, "comment": "noted"}},
        )
    assert refused.value.fields == {f"values.{code}": message}
    assert snapshot() == before


def test_comment_and_unknown_fields_are_checked_per_indicator(review):
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        save_benchmarking(
            review.application,
            review.cast.consultant,
            today=DAY,
            values={"B01": {"number": 3, "comment": "x" * 2001, "unit": "people"}, "B02": []},
        )
    assert refused.value.fields == {
        "values.B01.comment": "At most 2000 characters.",
        "values.B01.unit": "Unknown field.",
        "values.B02": "Must be a number.",
    }
    assert snapshot() == before


def test_yes_no_takes_true_or_false_and_stores_one_or_zero(ctx):
    yes_no = IndicatorDefinition(code="X01", measure=Measure.YESNO)
    assert (measurement(yes_no, True), measurement(yes_no, False)) == (1, 0)
    assert measurement(yes_no, None) is None
    for wrong in ("yes", 2, 0.5):
        with pytest.raises(ValueError, match="Must be yes"):
            measurement(yes_no, wrong)


def test_valid_measurements_are_stored_with_their_comments(review):
    app = review.application
    save_benchmarking(
        app,
        review.cast.consultant,
        today=DAY,
        values={
            "B01": 64,
            "B07": {"number": Decimal("0.5"), "comment": "A part-time manager."},
            "B03": {"number": 78.25},
            "B08": {"number": 4},
            "B13": {"number": None, "comment": "The accounts are not closed yet."},
        },
    )
    db.session.expire_all()
    stored = {v.indicator.code: (v.number, v.comment) for v in app.indicator_values}
    assert stored == {
        "B01": (64, None),
        "B07": (Decimal("0.50"), "A part-time manager."),
        "B03": (Decimal("78.25"), None),
        "B08": (4, None),
        "B13": (None, "The accounts are not closed yet."),
    }


def test_a_comment_without_a_number_leaves_the_indicator_unanswered(review):
    values = {d.code: {"number": 1} for d in requirements.definitions_for(review.application.level)}
    values["B30"] = {"number": None, "comment": "No survey yet."}
    save_benchmarking(
        review.application,
        review.cast.consultant,
        today=DAY,
        interview_date=date(2014, 10, 15),
        values=values,
        summary="Good.",
        recommendations=[{"title": "Run a survey"}],
    )
    with pytest.raises(GuardFailed) as refused:
        review.fire("deliver_report", review.cast.consultant, DAY)
    assert "B30" in refused.value.fields["indicators"]


# --- the reader's language ---------------------------------------------------------


def test_measurements_read_in_the_readers_locale(app):
    with app.test_request_context(), app.app_context():
        fte, share, scale, area = (benchmark(c) for c in ("B07", "B03", "B12", "B05"))
        with force_locale("it"):
            assert format_measurement(fte, Decimal("0.50")) == "0,5 ETP"
            assert format_measurement(share, Decimal("12.5")) == "12,5%"
            assert format_measurement(scale, Decimal(2)) == "2 - strategia scritta"
            assert indicator_name(fte) == "Risorse umane della gestione del cluster"
            assert indicator_unit(fte) == "ETP"
            assert indicator_guidance(fte).startswith("Equivalenti a tempo pieno")
        with force_locale("en"):
            assert format_measurement(fte, Decimal("1234.5")) == "1,234.5 FTE"
            assert format_measurement(area, Decimal(45)) == "45% within 50 km of the cluster office"
            assert format_measurement(scale, Decimal(2)) == "2 - written strategy"
            assert format_measurement(scale, None) == ""
            yes_no = IndicatorDefinition(measure=Measure.YESNO)
            assert format_measurement(yes_no, Decimal(1)) == "Yes"
        with force_locale("it"):
            assert format_measurement(yes_no, Decimal(0)) == "No"
            assert format_measurement(yes_no, Decimal(1)) == "Sì"


# --- converting the old text answers ---------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "number", "comment"),
    [
        ("B01", "42", Decimal(42), None),
        ("B01", "42 participants", Decimal(42), None),
        ("B01", "42 members", Decimal(42), "42 members"),
        ("B07", "0,5", Decimal("0.5"), None),
        ("B07", "3 FTE", Decimal(3), None),
        ("B03", "12 %", Decimal(12), None),
        ("B03", "12%", Decimal(12), None),
        ("B01", "12 %", None, "12 %"),  # a percentage is no count
        ("B03", "140", None, "140"),  # out of range
        ("B01", "4.5", None, "4.5"),  # a count is whole
        ("B08", "7", None, "7"),  # no such step
        ("B08", "2", Decimal(2), None),
        ("B01", "about ten", None, "about ten"),
        ("B01", "10 to 20", None, "10 to 20"),
        ("B13", "1.200.000", None, "1.200.000"),  # ambiguous: kept as written
        ("B01", "yes", None, "yes"),  # yes/no only for yes/no indicators
        ("B01", "\u0663", None, "\u0663"),  # ASCII digits only
    ],
)
def test_0009_reads_an_old_answer_conservatively(code, text, number, comment):
    assert migration_0009().parse_answer(code, text) == (number, comment)


def test_0009_reads_yes_and_no_for_yes_no_indicators(monkeypatch):
    module = migration_0009()
    monkeypatch.setitem(module.BENCHMARK, "X01", ("yesno", None, None, "up", None, None))
    for answer, number in (("yes", 1), ("Sì", 1), ("si", 1), ("TRUE", 1), ("no", 0), ("false", 0)):
        assert module.parse_answer("X01", answer) == (number, None)
    assert module.parse_answer("X01", "maybe") == (None, "maybe")


def test_0009_converts_stored_text_answers_and_counts_them(empty_database_url, capsys):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    answers = {"B01": "42", "B07": "0,5", "B03": "about ten", "B08": "2", "B13": "  ", "B02": "yes"}
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO agency (id, name, short_name, country, region)"
                    " VALUES (1, 'Informest', 'INF', 'IT', 'FVG')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO cluster (id, agency_id, name, country, website_in_english,"
                    " eccp_listed, member_types, created_at) VALUES (1, 1, 'DITENAVE', 'IT',"
                    " true, true, '[]', '2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO application (id, cluster_id, level, state, version, created_at)"
                    " VALUES (1, 1, 'bronze', 'consultant_review', 1, '2026-01-01 00:00:00')"
                )
            )
            ids = dict(connection.execute(text("SELECT code, id FROM indicator_definition")).all())
            for code, answer in answers.items():
                connection.execute(
                    text(
                        "INSERT INTO indicator_value (application_id, indicator_id, value)"
                        " VALUES (1, :indicator, :value)"
                    ),
                    {"indicator": ids[code], "value": answer},
                )
            connection.execute(
                text(
                    "INSERT INTO indicator_value (application_id, indicator_id, met)"
                    " VALUES (1, :indicator, true)"
                ),
                {"indicator": ids["BMR1"]},
            )
        capsys.readouterr()
        upgrade(revision="0009")
        assert "indicator values: 3 parsed, 2 kept as comments" in capsys.readouterr().out
        with db.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT d.code, v.number, v.comment, v.met FROM indicator_value v"
                    " JOIN indicator_definition d ON d.id = v.indicator_id"
                )
            ).all()
        stored = {code: (number, comment, met) for code, number, comment, met in rows}
        assert {code: (number, comment) for code, (number, comment, _met) in stored.items()} == {
            "B01": (Decimal(42), None),
            "B07": (Decimal("0.5"), None),
            "B03": (None, "about ten"),
            "B08": (Decimal(2), None),
            "B13": (None, None),
            "B02": (None, "yes"),
            "BMR1": (None, None),
        }
        assert stored["BMR1"][2] in (True, 1)  # baseline answers stay as they were
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            back = dict(
                connection.execute(
                    text(
                        "SELECT d.code, v.value FROM indicator_value v"
                        " JOIN indicator_definition d ON d.id = v.indicator_id"
                    )
                ).all()
            )
        assert back == {
            "B01": "42",
            "B07": "0.5",
            "B03": "about ten",
            "B08": "2",
            "B13": None,
            "B02": "yes",
            "BMR1": None,
        }
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
