"""The scheme's number of Silver improvement areas is a setting; both forms offer that
many, so a Silver with another number can be named and delivered through the pages."""

import re

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Setting, State
from certtrack.workflow import requirements
from tests.web.conftest import open_application_id, sign_in, state_of, user_id


def area_fields(page: str, prefix: str) -> list[str]:
    return re.findall(rf'name="({prefix}-\d+-title)"', page)


def test_silver_with_four_improvement_areas_is_named_and_delivered_through_the_pages(demo, client):
    with demo.app_context():
        db.session.add(Setting(key="silver_improvement_areas", value=4))
        db.session.commit()
    # Consorzio AREA renews its Silver: a new Silver draft, whose manager names four areas.
    sign_in(client, "manager@area.example")
    renewing = open_application_id(demo, "Consorzio AREA")
    response = client.post(f"/applications/{renewing}/events/renew")
    silver = open_application_id(demo, "Consorzio AREA")
    assert silver != renewing and response.headers["Location"] == f"/applications/{silver}"
    page = client.get(f"/applications/{silver}").get_data(as_text=True)
    assert area_fields(page, "areas") == [f"areas-{i}-title" for i in range(4)]
    areas = {f"areas-{i}-{part}": f"{part} {i}" for i in range(4) for part in ("title", "effect")}
    response = client.post(f"/applications/{silver}/improvement-areas", data=areas)
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post(f"/applications/{silver}/events/submit")
    assert state_of(demo, silver) == State.SUBMITTED

    sign_in(client, "coordinator@informest.example")
    anna = user_id(demo, "anna.keller@experts.example")
    response = client.post(f"/applications/{silver}/assign", data={"consultant_id": str(anna)})
    assert response.status_code == 302, response.get_data(as_text=True)

    # The consultant's form carries the four areas and delivers the report.
    sign_in(client, "anna.keller@experts.example")
    page = client.get(f"/applications/{silver}/review").get_data(as_text=True)
    assert area_fields(page, "improvement_areas") == [
        f"improvement_areas-{i}-title" for i in range(4)
    ]
    with demo.app_context():
        definitions = requirements.definitions_for(db.session.get(Application, silver).level)
        data = {f"v_{d.code}": "yes" if d.kind.value == "baseline" else "2" for d in definitions}
    data.update({f"improvement_{key}": value for key, value in areas.items()})
    data.update(
        {
            "interview_date": "2026-11-25",
            "summary": "Four areas worked on.",
            "recommendations-0-title": "Keep going",
            "deliver": "1",
        }
    )
    response = client.post(f"/applications/{silver}/review", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with demo.app_context():
        application = db.session.get(Application, silver)
        assert application.report_delivered
        assert [a.title for a in application.improvement_areas] == [f"title {i}" for i in range(4)]
        assert db.session.scalar(select(Application.state).where(Application.id == silver)) == (
            State.CONSULTANT_REVIEW
        )
