"""`flask seed-scale`: a large scheme that is consistent with itself and with the day."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, text

from certtrack.extensions import db
from certtrack.models import (
    CLOSED_STATES,
    LABELLED_STATES,
    Agency,
    Application,
    Cluster,
    IndicatorKind,
    IndicatorValue,
    Label,
    LabelStatus,
    OutboxMessage,
    Report,
    Role,
    State,
    User,
)
from certtrack.services.clusters import create_cluster
from certtrack.services.users import create_user
from certtrack.workflow.dates import grace_end
from tests.web import conftest as web
from tests.web.conftest import TODAY, sign_in

frozen = web.frozen  # the web tests' clock, on the same day
SMALL = ["seed-scale", "--clusters", "60", "--labels-per-cluster", "3", "--agencies", "3"]


@pytest.fixture
def seeded(app: Flask, runner: FlaskCliRunner, frozen: None) -> str:
    """Seed the small scheme; return what the command printed."""
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    return result.output


def printed_password(output: str) -> str:
    found = re.search(r"password: (\S+)", output)
    assert found, output
    return found[1]


def test_seed_scale_leaves_the_planner_statistics_of_its_tables(app: Flask, seeded: str) -> None:
    """The bulk inserts are analysed, so the pages' plans fit the seeded tables."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            analysed = db.session.scalars(text("SELECT DISTINCT tbl FROM sqlite_stat1")).all()
        else:
            analysed = db.session.scalars(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
            ).all()
    assert {"label", "application", "audit_entry", "cluster"} <= set(analysed)


def test_seed_scale_prints_the_counts_it_made(app: Flask, seeded: str) -> None:
    printed = dict(re.findall(r"^(\w+(?:\[\w+\])?): (\d+)$", seeded, re.MULTILINE))
    with app.app_context():
        for model in (Agency, Cluster, User, Application, Label, Report, IndicatorValue):
            count = db.session.scalar(select(func.count()).select_from(model))
            assert int(printed[model.__tablename__]) == count, model
        for state in State:
            count = db.session.scalar(
                select(func.count()).select_from(Application).where(Application.state == state)
            )
            assert count, f"no application in {state}"
            assert int(printed[f"application[{state}]"]) == count
        assert db.session.scalar(select(func.count()).select_from(Cluster)) == 60
        assert db.session.scalar(select(func.count()).select_from(Label)) == 180
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        roles = db.session.scalars(select(User.role).distinct())
        assert set(roles) == set(Role)
        assert (
            db.session.scalar(
                select(func.count()).select_from(User).where(User.role == Role.COORDINATOR)
            )
            == 3
        )
    assert "Seeded in" in seeded


def test_seed_scale_chains_and_statuses_agree_with_the_day(app: Flask, seeded: str) -> None:
    with app.app_context():
        labels = {label.id: label for label in db.session.scalars(select(Label))}
        years = {label.interview_month.year for label in labels.values()}
        assert max(years) - min(years) >= 5
        for label in labels.values():
            if label.superseded_by_id is not None:
                successor = labels[label.superseded_by_id]
                assert label.status == LabelStatus.SUPERSEDED
                assert successor.cluster_id == label.cluster_id
                assert successor.interview_month > label.interview_month
                assert successor.application.previous_id is not None
            elif label.valid_until >= TODAY:
                assert label.status == LabelStatus.VALID
            elif grace_end(label.valid_until, 12) >= TODAY:
                assert label.status == LabelStatus.LAPSED
            else:
                assert label.status == LabelStatus.EXPIRED
            application = label.application
            assert application.level == label.level
            assert application.report_delivered
            assert application.report is not None and application.report.recommendations
            assert application.history[0].event == "create"
            if label.level.value == "bronze":
                kinds = {v.indicator.kind for v in application.indicator_values}
                assert kinds == {IndicatorKind.BENCHMARK}
        for application in db.session.scalars(select(Application)):
            if application.state in LABELLED_STATES:
                assert application.label is not None
                assert application.label.status == LabelStatus.VALID
            assert application.history[-1].to_state == application.state
        open_per_cluster = db.session.execute(
            select(Application.cluster_id, func.count())
            .where(Application.state.not_in(CLOSED_STATES))
            .group_by(Application.cluster_id)
        )
        assert all(count == 1 for _, count in open_per_cluster)


def test_seeded_coordinator_signs_in_and_sees_dashboard_and_board(
    app: Flask, client: FlaskClient, seeded: str
) -> None:
    sign_in(client, "coordinator1@scale.example", printed_password(seeded))
    assert client.get("/dashboard").status_code == 200
    board = client.get("/board")
    assert board.status_code == 200
    assert "Cluster 00001" in board.get_data(as_text=True)
    sign_in(client, "manager7@scale.example", printed_password(seeded))
    assert client.get("/dashboard", follow_redirects=True).status_code == 200  # their cluster


def test_seeded_database_takes_new_rows_after_the_seeded_ids(app: Flask, seeded: str) -> None:
    """PostgreSQL: explicit ids must not leave the sequences behind."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
        agency = db.session.get(Agency, 1)
        assert admin is not None and agency is not None
        cluster = create_cluster(agency, admin, {"name": "Fresh cluster", "country": "IT"})
        assert cluster.id == 61


def test_seed_scale_refuses_a_database_with_data(
    app: Flask, runner: FlaskCliRunner, seeded: str
) -> None:
    again = runner.invoke(args=SMALL)
    assert again.exit_code != 0
    assert "nothing was added" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Cluster)) == 60


def test_seed_scale_refuses_a_database_with_only_a_user(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        create_user(email="someone@x.example", name="Someone", role=Role.ADMIN, password="x" * 12)
    result = runner.invoke(args=SMALL)
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(func.count()).select_from(Agency)) == 0
