"""Gold's on-site visit: planned by the agency or the assigned consultant while the
application is submitted or under review, with its dates checked; the evidence is due
`gold_evidence_days_before_visit` before it."""

import io
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import IndicatorDefinition, IndicatorKind, Level, Setting
from certtrack.services import calendar, visits
from certtrack.workflow.deadlines import evidence_due
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams, NotAllowedInState
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, make_cast, snapshot
from tests.reminders.test_web_side import sign_in

TODAY = date(2026, 3, 2)
START, END = date(2026, 4, 20), date(2026, 4, 21)


def gold_in_review(assign: bool = True) -> Journey:
    """A Gold application (Gold open to anyone), submitted and, if `assign`, under review."""
    db.session.add(Setting(key="gold_prerequisite", value="none"))
    db.session.commit()
    journey = Journey(make_cast())
    journey.start(Level.GOLD, date(2026, 2, 2))
    if assign:
        journey.to_review(date(2026, 2, 16))
    else:
        journey.fire("submit", journey.cast.manager, date(2026, 2, 16))
    return journey


def plan(journey: Journey, actor, start=START, end=END, today=TODAY) -> None:
    visits.plan_visit(journey.application, actor, starts_on=start, ends_on=end, today=today)


def test_the_coordinator_and_the_assigned_consultant_plan_the_visit(ctx):
    journey = gold_in_review()
    cast = journey.cast
    plan(journey, cast.consultant)
    assert (journey.application.visit_starts_on, journey.application.visit_ends_on) == (START, END)
    plan(journey, cast.coordinator, date(2026, 4, 27), date(2026, 4, 28))
    assert journey.application.visit_starts_on == date(2026, 4, 27)
    # The evidence is due two weeks before the first day, by default.
    assert evidence_due(journey.application, load_policy()) == date(2026, 4, 13)
    db.session.add(Setting(key="gold_evidence_days_before_visit", value=21))
    db.session.commit()
    assert evidence_due(journey.application, load_policy()) == date(2026, 4, 6)


def test_who_may_not_plan_the_visit_is_refused_and_nothing_is_written(ctx):
    journey = gold_in_review()
    cast = journey.cast
    before = snapshot()
    for outsider in (cast.manager, cast.second_consultant, cast.other_coordinator):
        with pytest.raises(ForbiddenForRole):
            plan(journey, outsider)
    assert snapshot() == before


def test_the_visit_is_planned_only_for_gold_before_the_report(ctx):
    journey = gold_in_review(assign=False)
    cast = journey.cast
    plan(journey, cast.coordinator)  # submitted: the agency plans ahead
    with pytest.raises(ForbiddenForRole):
        plan(journey, cast.consultant)  # not assigned yet

    bronze = Journey(cast)
    bronze.cluster = cast.other_cluster
    bronze.manager = cast.other_manager
    bronze.coordinator = cast.other_coordinator
    bronze.start(Level.BRONZE, date(2026, 2, 2))
    bronze.to_review(date(2026, 2, 16))
    with pytest.raises(NotAllowedInState) as refused:
        plan(bronze, cast.other_coordinator)
    assert "Only a Gold assessment" in refused.value.message


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        (date(2026, 3, 1), date(2026, 3, 2), {"visit_starts_on"}),  # started yesterday
        (START, date(2026, 4, 19), {"visit_ends_on"}),  # ends before it starts
        (START, date(2026, 4, 23), {"visit_ends_on"}),  # four days: longer than three
        (None, None, {"visit_starts_on", "visit_ends_on"}),
    ],
)
def test_invalid_visit_dates_are_refused_by_field(ctx, start, end, fields):
    journey = gold_in_review()
    before = snapshot()
    with pytest.raises(InvalidParams) as refused:
        plan(journey, journey.cast.coordinator, start, end)
    assert set(refused.value.fields) == fields
    assert snapshot() == before


def test_a_visit_starting_today_and_of_three_days_is_accepted(ctx):
    journey = gold_in_review()
    plan(journey, journey.cast.coordinator, TODAY, date(2026, 3, 4))
    assert journey.application.visit_ends_on == date(2026, 3, 4)


def on_today():
    return time_machine.travel(datetime.combine(TODAY, time(10, 0), tzinfo=UTC), tick=False)


def test_the_page_shows_the_visit_and_puts_errors_beside_the_fields(app, client):
    with app.app_context():
        journey = gold_in_review()
        cast, application_id = journey.cast, journey.application.id
        coordinator, manager = cast.coordinator.email, cast.manager.email
    url = f"/applications/{application_id}"
    with on_today():
        sign_in(client, coordinator)
        response = client.post(
            f"{url}/visit", data={"visit_starts_on": "2026-04-20", "visit_ends_on": "2026-04-19"}
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        field = page[page.index('id="visit_ends_on"') :]
        assert field.index("The visit cannot end before it starts.") < field.index("</div>")
        response = client.post(
            f"{url}/visit", data={"visit_starts_on": "someday", "visit_ends_on": "2026-04-21"}
        )
        assert response.status_code == 422
        assert "is-invalid" in response.get_data(as_text=True)

        response = client.post(
            f"{url}/visit", data={"visit_starts_on": "2026-04-20", "visit_ends_on": "2026-04-21"}
        )
        assert response.status_code == 302
        page = client.get(url).get_data(as_text=True)
        assert "Apr 20, 2026 to Apr 21, 2026" in page
        assert "Apr 6, 2026" in page  # the evidence due date
        assert f'action="/applications/{application_id}/visit"' in page

        sign_in(client, manager)
        page = client.get(url).get_data(as_text=True)
        assert "Apr 20, 2026 to Apr 21, 2026" in page
        assert f"{url}/visit" not in page  # the cluster reads the dates, does not set them
        assert client.post(f"{url}/visit", data={}).status_code == 403


def test_the_calendar_feed_shows_the_visit_and_the_evidence_due_date(ctx):
    journey = gold_in_review()
    cast = journey.cast
    plan(journey, cast.consultant)
    policy = load_policy()
    for person in (cast.manager, cast.coordinator, cast.consultant):
        found = {e.uid: e for e in calendar.entries(person, policy)}
        visit = found[f"visit-{journey.application.id}"]
        assert (visit.start, visit.end) == (START, date(2026, 4, 22))
        assert found[f"evidence-{journey.application.id}"].start == date(2026, 4, 6)
    assert not [e for e in calendar.entries(cast.other_manager, policy) if "visit" in e.uid]


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_evidence_checklist_for_consultant_coordinator_and_manager(app, client):
    with app.app_context():
        journey = gold_in_review()
        cast = journey.cast
        plan(journey, cast.consultant)
        application_id = journey.application.id
        first, second = quality_indicators()[:2]
        people = {
            "consultant": cast.consultant.email,
            "coordinator": cast.coordinator.email,
            "manager": cast.manager.email,
        }
        outsider = cast.other_manager.email
    url = f"/applications/{application_id}"
    with on_today():
        sign_in(client, people["manager"])
        page = client.get(url).get_data(as_text=True)
        assert "0 of 31 have evidence" in page
        # Each missing indicator has its own upload, tied to it.
        assert f'name="link" value="indicator:{first.id}"' in page
        response = client.post(
            f"{url}/documents",
            data={"link": f"indicator:{first.id}", "files": (io.BytesIO(PDF), "strategy.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)

        for role, email in people.items():
            sign_in(client, email)
            page = client.get(url).get_data(as_text=True)
            assert "1 of 31 have evidence" in page, role
            start, end = page.index("data-evidence-missing"), page.index("data-evidence-present")
            missing = page[start:end]
            assert f"{second.code}</strong> {second.name}" in missing, role
            assert f"{first.code}</strong>" not in missing, role
            present = page[page.index("data-evidence-present") :]
            assert "strategy.pdf" in present.split("</ul>")[0], role
            assert "/download" in present.split("</ul>")[0], role
            # Everyone on the application may add evidence while it is open.
            assert f'name="link" value="indicator:{second.id}"' in page, role

        sign_in(client, outsider)
        assert client.get(url).status_code == 403


def test_no_evidence_checklist_below_gold(app, client):
    with app.app_context():
        journey = Journey(make_cast())
        journey.start(Level.BRONZE, date(2026, 2, 2))
        journey.to_review(date(2026, 2, 16))
        application_id, email = journey.application.id, journey.cast.consultant.email
    with on_today():
        sign_in(client, email)
        page = client.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "have evidence" not in page
    assert "Assessment visit" not in page


def quality_indicators() -> list[IndicatorDefinition]:
    query = select(IndicatorDefinition).where(IndicatorDefinition.kind == IndicatorKind.QUALITY)
    return list(db.session.scalars(query.order_by(IndicatorDefinition.position)))
