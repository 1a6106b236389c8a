"""`flask seed-demo`: every state has something to show, and running it twice adds nothing."""

from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import func, select

from certtrack.demo import seed
from certtrack.demo.data import PASSWORD, PEOPLE
from certtrack.extensions import db
from certtrack.models import Application, Label, LabelStatus, Level, State, User
from certtrack.services.time_events import run_time_events
from certtrack.services.users import verify_password
from certtrack.workflow import validate_definition
from tests.builders import snapshot

TODAY = date(2026, 11, 25)


def test_demo_covers_every_state_and_label_status(ctx):
    seed(TODAY)
    states = set(db.session.scalars(select(Application.state)))
    assert states == set(State)
    assert validate_definition() == []
    statuses = set(db.session.scalars(select(Label.status)))
    assert statuses >= {
        LabelStatus.VALID,
        LabelStatus.LAPSED,
        LabelStatus.EXPIRED,
        LabelStatus.SUPERSEDED,
    }
    levels = set(db.session.scalars(select(Label.level).where(Label.status == LabelStatus.VALID)))
    assert levels == set(Level)
    expiring = db.session.scalar(
        select(func.count()).where(
            Label.status == LabelStatus.VALID,
            Label.valid_until <= TODAY + timedelta(days=180),
        )
    )
    assert expiring >= 1
    # nothing is left for the daily pass to do on the seeding day
    assert run_time_events(TODAY) == []


def test_demo_is_idempotent_and_logins_work(ctx):
    first = seed(TODAY)
    assert first[0] == "Demo data ready for 2026-11-25 (10 cluster stories added)."
    before = snapshot()
    second = seed(TODAY)
    assert second[0] == "Demo data ready for 2026-11-25 (0 cluster stories added)."
    assert snapshot() == before
    for _key, _name, email, *_ in PEOPLE:
        user = db.session.scalar(select(User).where(User.email == email))
        assert verify_password(user, PASSWORD), email


def test_cli_prints_the_logins(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"Every demo account uses the password: {PASSWORD}" in result.output
    assert "coordinator@informest.example" in result.output
    assert "manager@ditenave.example" in result.output


def test_audit_trail_is_an_unbroken_chain_for_every_path(ctx):
    """The demo walks every path; each application's history starts with its creation
    and every step leaves from the state the previous one reached."""
    seed(TODAY)
    for application in db.session.scalars(select(Application)):
        steps = application.history
        assert (steps[0].event, steps[0].from_state, steps[0].to_state) == (
            "create",
            None,
            State.DRAFT,
        )
        for earlier, later in pairwise(steps):
            assert later.from_state == earlier.to_state, (application.id, later.event)
            assert later.at >= earlier.at, (application.id, later.event)
        assert steps[-1].to_state == application.state
        successor = application.next
        if application.state in (State.RENEWED, State.UPGRADED):
            assert successor is not None and successor.history[0].data == {
                "previous_id": application.id
            }
