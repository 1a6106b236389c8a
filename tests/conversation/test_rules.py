"""Who reads and writes an application's conversation, role by role, state by state,
with the real services."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import CLOSED_STATES, ConversationMessage, OutboxMessage, State
from certtrack.services import conversation
from certtrack.workflow.definition import PERMISSIONS
from certtrack.workflow.errors import WorkflowError
from certtrack.workflow.permissions import reads_internal_notes
from certtrack.workflow.types import Thing
from tests.builders import Journey, make_cast

DAY = date(2014, 9, 1)
NOW = datetime(2014, 9, 1, 10, 0)


def refused_code(application, person, body="Hello", internal=False) -> str | None:  # type: ignore[no-untyped-def]
    try:
        conversation.post(application, person, body, internal=internal, now=NOW)
    except WorkflowError as error:
        return error.code
    return None


def messages_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ConversationMessage)) or 0


@pytest.fixture
def reviewed(ctx):  # type: ignore[no-untyped-def]
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(DAY)
    return cast, journey.application


def test_everyone_working_on_the_application_posts_and_outsiders_are_refused(reviewed):
    cast, app = reviewed
    for person in (cast.manager, cast.coordinator, cast.consultant, cast.admin):
        assert refused_code(app, person) is None, person
    for outsider in (cast.other_manager, cast.other_coordinator, cast.second_consultant):
        assert refused_code(app, outsider) == "forbidden_for_role", outsider
    assert refused_code(app, None) == "forbidden_for_role"
    assert messages_count() == 4


def test_internal_notes_are_written_and_read_by_the_agency_side_only(reviewed):
    cast, app = reviewed
    for person in (cast.coordinator, cast.consultant, cast.admin):
        assert refused_code(app, person, internal=True) is None, person
        assert reads_internal_notes(person, app)
    assert refused_code(app, cast.manager, internal=True) == "forbidden_for_role"
    for outsider in (
        cast.manager,
        cast.other_manager,
        cast.other_coordinator,
        cast.second_consultant,
    ):
        assert not reads_internal_notes(outsider, app), outsider
    conversation.post(app, cast.manager, "Visible to all", now=NOW)
    seen = db.session.scalars(conversation.messages(cast.manager, app)).all()
    assert [m.body for m in seen] == ["Visible to all"]
    assert len(db.session.scalars(conversation.messages(cast.coordinator, app)).all()) == 4


def test_a_closed_application_keeps_its_conversation_readable_and_takes_no_more(reviewed):
    cast, app = reviewed
    conversation.post(app, cast.coordinator, "Before", now=NOW)
    conversation.post(app, cast.coordinator, "Note before", internal=True, now=NOW)
    journey = Journey(cast)
    journey.fire("reject", cast.coordinator, DAY, reason="Not eligible.")
    for person in (cast.manager, cast.coordinator, cast.consultant, cast.admin):
        assert refused_code(app, person) == "not_allowed_in_state", person
    assert refused_code(app, cast.coordinator, internal=True) == "not_allowed_in_state"
    assert len(db.session.scalars(conversation.messages(cast.coordinator, app)).all()) == 2
    assert reads_internal_notes(cast.coordinator, app)  # reading outlives the state
    assert [m.body for m in db.session.scalars(conversation.messages(cast.manager, app))] == [
        "Before"
    ]


@pytest.mark.parametrize(
    ("body", "field_problem"),
    [("", "Write a message."), ("   \n ", "Write a message."), ("x" * 10001, "At most"),
     ("a\x00b", "not allowed"), ("bell\x07", "control character")],
)  # fmt: skip
def test_unfit_text_is_refused_beside_the_field_and_nothing_is_written(
    reviewed, body, field_problem
):
    cast, app = reviewed
    with pytest.raises(WorkflowError) as raised:
        conversation.post(app, cast.manager, body, now=NOW)
    assert raised.value.code == "invalid_params"
    assert field_problem in raised.value.fields["body"]
    assert messages_count() == 0
    notices = select(func.count()).where(OutboxMessage.kind == conversation.KIND)
    assert db.session.scalar(notices) == 0


def test_a_deactivated_account_posts_nothing(reviewed):
    cast, app = reviewed
    cast.coordinator.active = False
    db.session.commit()
    assert refused_code(app, cast.coordinator) == "forbidden_for_role"
    assert not reads_internal_notes(cast.coordinator, app)


def test_a_former_consultant_loses_the_internal_notes(reviewed):
    """Reassigned: the new consultant reads the notes, the former one no longer the
    application at all."""
    cast, app = reviewed
    conversation.post(app, cast.coordinator, "Note", internal=True, now=NOW)
    journey = Journey(cast)
    journey.fire(
        "reassign_consultant", cast.coordinator, DAY, consultant_id=cast.second_consultant.id
    )
    assert reads_internal_notes(cast.second_consultant, app)
    assert not reads_internal_notes(cast.consultant, app)
    assert refused_code(app, cast.consultant) == "forbidden_for_role"


def test_mute_and_unmute_are_idempotent(reviewed):
    cast, app = reviewed
    assert not conversation.is_muted(cast.manager, app)
    conversation.set_muted(cast.manager, app, True)
    conversation.set_muted(cast.manager, app, True)
    assert conversation.is_muted(cast.manager, app)
    conversation.set_muted(cast.manager, app, False)
    conversation.set_muted(cast.manager, app, False)
    assert not conversation.is_muted(cast.manager, app)


def test_the_permissions_table_gives_internal_notes_to_the_agency_side_while_open():
    for state in State:
        roles = PERMISSIONS[state][Thing.INTERNAL_NOTES]
        if state in CLOSED_STATES:
            assert roles == set(), state
        else:
            assert roles == {"coordinator", "consultant", "admin"}, state
            assert "manager" in PERMISSIONS[state][Thing.THREAD], state
