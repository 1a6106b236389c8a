"""Two people acting on one application at once cannot both win."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from certtrack.extensions import db
from certtrack.models import Application, Level, State
from certtrack.services import applications
from certtrack.services.benchmarking import save_benchmarking
from certtrack.workflow.errors import Conflict, ForbiddenForRole, NotAllowedInState, StaleVersion
from tests.builders import Journey, make_cast, snapshot

DAY = date(2014, 10, 1)
REVIEWED = date(2014, 10, 20)


def test_stale_writer_gets_a_conflict(app):
    with app.app_context():
        cast = make_cast()
        journey = Journey(cast)
        journey.start()
        journey.fire("submit", cast.manager, DAY)
        app_id, coordinator_id, consultant_id = (
            journey.application.id,
            cast.coordinator.id,
            cast.consultant.id,
        )

    with app.app_context():  # first coordinator's request
        first = db.session.get(Application, app_id)
        assert first.state == State.SUBMITTED
        with app.app_context():  # a second request, served meanwhile
            second = db.session.get(Application, app_id)
            applications.fire(
                second,
                "assign_consultant",
                second.cluster.agency.coordinators[0],
                today=DAY,
                consultant_id=consultant_id,
            )
        before = snapshot()
        coordinator = db.session.get(type(cast.coordinator), coordinator_id)
        with pytest.raises(Conflict, match="Someone else changed this"):
            applications.fire(
                first, "return_for_changes", coordinator, today=DAY, reason="Incomplete"
            )
        assert snapshot() == before
        db.session.refresh(first)
        assert (first.state, first.version) == (State.CONSULTANT_REVIEW, 3)


def test_if_match_with_an_old_version_is_refused(ctx):
    cast = make_cast()
    journey = Journey(cast)
    application = journey.start()
    assert application.version == 1
    journey.fire("submit", cast.manager, DAY)
    assert application.version == 2
    with pytest.raises(StaleVersion) as refused:
        applications.fire(application, "withdraw", cast.manager, today=DAY, expected_version=1)
    assert (refused.value.code, refused.value.status) == ("precondition_failed", 412)
    applications.fire(application, "withdraw", cast.manager, today=DAY, expected_version=2)
    assert application.state == State.WITHDRAWN


def test_one_open_application_per_cluster(ctx):
    cast = make_cast()
    journey = Journey(cast)
    first = journey.start()
    with pytest.raises(NotAllowedInState, match="already has application"):
        applications.open_application(cast.cluster, Level.SILVER, cast.coordinator)
    # The database enforces it too, for requests that race past the check.
    db.session.add(Application(cluster_id=cast.cluster.id, level=Level.GOLD))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    applications.fire(first, "withdraw", cast.manager, today=DAY)
    second = applications.open_application(cast.cluster, Level.BRONZE, cast.coordinator)
    assert second.state == State.DRAFT


def test_open_application_permissions(ctx):
    cast = make_cast()
    for outsider in (cast.other_manager, cast.other_coordinator, cast.consultant):
        with pytest.raises(ForbiddenForRole):
            applications.open_application(cast.cluster, Level.BRONZE, outsider)


def test_a_save_racing_with_delivery_cannot_rewrite_the_delivered_report(app):
    """The consultant's page loaded the review; meanwhile the report was delivered. The
    late save is refused and the delivered summary and recommendations stay as delivered."""
    with app.app_context():
        cast = make_cast()
        journey = Journey(cast)
        journey.start()
        journey.to_review(DAY)
        journey.review(cast.consultant, REVIEWED, date(2014, 10, 15))
        app_id, consultant_id = journey.application.id, cast.consultant.id

    with app.app_context():  # the save request, which loaded the review before delivery
        saving = db.session.get(Application, app_id)
        consultant = db.session.get(type(cast.consultant), consultant_id)
        assert not saving.report_delivered
        with app.app_context():  # delivery, served meanwhile
            delivering = db.session.get(Application, app_id)
            applications.fire(delivering, "deliver_report", delivering.consultant, today=REVIEWED)
        before = snapshot()
        with pytest.raises(Conflict):
            save_benchmarking(
                saving,
                consultant,
                today=REVIEWED,
                summary="Rewritten after delivery",
                recommendations=[{"title": "Slipped in late", "priority": "high"}],
            )
        assert snapshot() == before
        db.session.expire_all()
        report = db.session.get(Application, app_id).report
        assert report.delivered_at is not None
        assert report.summary != "Rewritten after delivery"
        assert "Slipped in late" not in [rec.title for rec in report.recommendations]


def test_a_save_after_delivery_is_refused(ctx):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.to_review(DAY)
    journey.review(cast.consultant, REVIEWED, date(2014, 10, 15))
    journey.fire("deliver_report", cast.consultant, REVIEWED)
    before = snapshot()
    with pytest.raises(NotAllowedInState, match="delivered"):
        save_benchmarking(journey.application, cast.consultant, today=REVIEWED, summary="Later")
    assert snapshot() == before
