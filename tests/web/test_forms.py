"""Forms keep what was typed, put errors beside the field, and refused steps say why."""

import re
from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Cluster, IndicatorValue, Recommendation, Setting, State
from certtrack.workflow import requirements
from tests.builders import snapshot
from tests.web.conftest import cluster_id, open_application_id, sign_in, state_of, user_id


def field_error(page: str, field: str) -> str:
    """The error message rendered right after the named input (or textarea)."""
    pattern = (
        rf'name="{re.escape(field)}"[^>]*>(?:[^<]*</textarea>)?'
        r'\s*<div (?:id="[^"]*" )?class="invalid-feedback[^"]*">([^<]+)<'
    )
    match = re.search(pattern, page)
    assert match, f"no error beside {field}"
    return match.group(1).strip()


def test_profile_errors_beside_fields_and_nothing_saved(demo, client):
    sign_in(client, "manager@area.example")
    area = cluster_id(demo, "Consorzio AREA")
    with demo.app_context():
        before = snapshot()
    response = client.post(
        f"/clusters/{area}/edit",
        data={
            "agency_id": "1",
            "name": "DITENAVE",
            "country": "Italy",
            "committed_members": "-4",
            "website": "https://x.example",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "country") == "Two letters, e.g. IT."
    assert field_error(page, "committed_members") == "Number must be at least 0."
    with demo.app_context():
        assert snapshot() == before
    response = client.post(
        f"/clusters/{area}/edit",
        data={"agency_id": "1", "name": "DITENAVE", "country": "IT"},
    )
    assert (
        field_error(response.get_data(as_text=True), "name")
        == "Another cluster already has this name."
    )
    response = client.post(
        f"/clusters/{area}/edit",
        data={
            "agency_id": "1",
            "name": "Consorzio AREA",
            "country": "IT",
            "committed_members": "70",
            "member_types": ["sme", "research"],
        },
    )
    assert response.status_code == 302
    with demo.app_context():
        cluster = db.session.get(Cluster, area)
        assert (cluster.committed_members, cluster.member_types) == (70, ["research", "sme"])


def test_refused_step_is_explained_and_changes_nothing(demo, client):
    sign_in(client, "manager@parco.example")
    draft = open_application_id(demo, "Parco Agroalimentare di San Daniele")
    with demo.app_context():
        db.session.get(
            Cluster, cluster_id(demo, "Parco Agroalimentare di San Daniele")
        ).committed_members = 9
        db.session.commit()
        before = snapshot()
    response = client.post(
        f"/applications/{draft}/events/submit",
        headers={"Referer": f"http://localhost/applications/{draft}"},
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The cluster has 9 committed members; at least 15 are required." in page
    with demo.app_context():
        assert snapshot() == before
    assert state_of(demo, draft) == State.DRAFT


def test_stale_form_is_refused(demo, client):
    sign_in(client, "coordinator@informest.example")
    submitted = open_application_id(demo, "ASDI Sedia")
    response = client.post(
        f"/applications/{submitted}/events/return_for_changes",
        data={"reason": "More members please", "version": "1"},
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The application changed since you loaded it" in page
    assert state_of(demo, submitted) == State.SUBMITTED


def test_workflow_buttons_move_the_application(demo, client):
    sign_in(client, "coordinator@informest.example")
    submitted = open_application_id(demo, "ASDI Sedia")
    response = client.post(
        f"/applications/{submitted}/events/return_for_changes", data={"reason": ""}
    )
    assert "reason: This field is required." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    luis = user_id(demo, "luis.ortega@experts.example")
    response = client.post(
        f"/applications/{submitted}/assign",
        data={"consultant_id": str(luis), "comment": "Speaks Italian"},
    )
    assert response.status_code == 302
    assert state_of(demo, submitted) == State.CONSULTANT_REVIEW
    page = client.get(f"/applications/{submitted}").get_data(as_text=True)
    assert "Speaks Italian" in page and "Luis Ortega" in page


def test_assign_refuses_a_consultant_that_is_not_impartial(demo, client):
    sign_in(client, "coordinator@informest.example")
    area = open_application_id(demo, "Consorzio AREA")
    with demo.app_context():
        db.session.get(Application, area).state = State.SUBMITTED
        db.session.commit()
    giulia = user_id(demo, "giulia.bianchi@experts.example")
    response = client.post(f"/applications/{area}/assign", data={"consultant_id": str(giulia)})
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert state_of(demo, area) == State.SUBMITTED


def test_review_form_saves_a_draft_and_shows_errors_beside_fields(demo, client):
    sign_in(client, "luis.ortega@experts.example")
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    response = client.post(
        f"/applications/{review}/review",
        data={
            "interview_date": "2026-12-24",
            "v_B01": "61",
            "recommendations-0-title": "Hire a project officer",
            "save": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "interview_date") == "The interview date lies in the future."
    assert 'value="Hire a project officer"' in page  # what was typed is kept
    response = client.post(
        f"/applications/{review}/review",
        data={
            "interview_date": "2026-11-20",
            "v_B01": "61",
            "c_B01": "61 members",
            "summary": "Good.",
            "recommendations-0-title": "Hire a project officer",
            "save": "1",
        },
    )
    assert response.status_code == 302
    with demo.app_context():
        values = dict(
            db.session.execute(
                select(IndicatorValue.number, IndicatorValue.comment).where(
                    IndicatorValue.application_id == review
                )
            ).all()
        )
        assert values[61] == "61 members"
        titles = db.session.scalars(select(Recommendation.title)).all()
        assert "Hire a project officer" in titles


def test_review_cannot_be_delivered_incomplete_then_can(demo, client):
    sign_in(client, "luis.ortega@experts.example")
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    response = client.post(
        f"/applications/{review}/review", data={"interview_date": "2026-11-20", "deliver": "1"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The report cannot be delivered yet." in page
    assert field_error(page, "summary") == "Write the report summary."
    # Each missing indicator is refused beside its field and linked from the summary.
    assert (
        'id="v_B01-error" class="invalid-feedback">Record this indicator before delivering.<'
        in page
    )
    assert '<a class="alert-link" href="#v_B36">' in page
    with demo.app_context():
        codes = [
            d.code for d in requirements.definitions_for(db.session.get(Application, review).level)
        ]
    data = {f"v_{code}": "3" for code in codes}
    data.update(
        {
            "interview_date": "2026-11-20",
            "summary": "Solid.",
            "recommendations-0-title": "Grow",
            "deliver": "1",
        }
    )
    response = client.post(f"/applications/{review}/review", data=data)
    assert response.status_code == 302 and response.headers["Location"] == f"/applications/{review}"
    with demo.app_context():
        assert db.session.get(Application, review).report.delivered_at is not None


def test_manager_updates_a_recommendation(demo, client):
    sign_in(client, "manager@ditenave.example")
    with demo.app_context():
        rec_id = db.session.scalar(
            select(Recommendation.id)
            .join(Recommendation.report)
            .join(Application)
            .join(Cluster)
            .where(Cluster.name == "DITENAVE", Recommendation.title.like("Run a yearly%"))
        )
    response = client.post(f"/recommendations/{rec_id}", data={"status": "dropped", "note": ""})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Say why the recommendation is dropped." in page
    client.post(
        f"/recommendations/{rec_id}",
        data={
            "status": "done",
            "evidence": "Survey 2026 sent to 48 members",
            "note": "Results in March",
        },
    )
    with demo.app_context():
        rec = db.session.get(Recommendation, rec_id)
        assert (rec.status.value, rec.evidence, rec.completed_on) == (
            "done",
            "Survey 2026 sent to 48 members",
            date(2026, 11, 25),
        )
        assert rec.notes[-1].text == "Results in March"


def test_admin_settings_are_validated_and_take_effect(demo, client):
    sign_in(client, "admin@certtrack.example")
    page = client.get("/admin/settings").get_data(as_text=True)
    data = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', page))
    data["gold_prerequisite"] = "silver"
    data["min_committed_members"] = "lots"
    for flag in ("require_english_website", "require_eccp_listing", "forbid_same_consultant_twice"):
        data[flag] = "y"
    response = client.post("/admin/settings", data=data)
    assert response.status_code == 422
    assert (
        field_error(response.get_data(as_text=True), "min_committed_members")
        == "This value is not valid."
    )
    data["min_committed_members"] = "20"
    assert client.post("/admin/settings", data=data).status_code == 302
    with demo.app_context():
        stored = dict(db.session.execute(select(Setting.key, Setting.value)).all())
    assert stored == {"min_committed_members": 20, "gold_prerequisite": "silver"}


def test_refused_save_has_an_error_summary_and_marks_each_invalid_field(demo, client):
    """GOV.UK's pattern, given by the shared macros: a summary at the top whose links go
    to each field's id, the field marked invalid and described by its message, and
    what was typed kept."""
    sign_in(client, "manager@area.example")
    area = cluster_id(demo, "Consorzio AREA")
    response = client.post(
        f"/clusters/{area}/edit",
        data={"agency_id": "1", "name": "DITENAVE", "country": "Italy", "committed_members": "-4"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = re.search(
        r'<div class="alert alert-danger error-summary"[^>]*>(.*?)</div>', page, re.S
    )
    assert summary, "no error summary"
    assert 'tabindex="-1"' in page.split("error-summary", 1)[1].split(">", 1)[0]
    assert "There is a problem" in summary.group(1)
    assert (
        '<a class="alert-link" href="#country">Country: Two letters, e.g. IT.</a>'
        in summary.group(1)
    )
    assert page.index("error-summary") < page.index("<h1")
    country = re.search(r'<input[^>]*name="country"[^>]*>', page)
    assert country
    assert 'aria-invalid="true"' in country.group(0)
    assert 'aria-describedby="country-error country-hint"' in country.group(0)
    assert 'value="Italy"' in country.group(0)
    assert '<div id="country-error" class="invalid-feedback">Two letters, e.g. IT.</div>' in page
    assert '<script src="/static/forms.js"></script>' in page
    untouched = re.search(r'<input[^>]*name="name"[^>]*>', page)
    assert untouched and "aria-invalid" not in untouched.group(0)


def test_success_is_announced_as_a_status_and_a_problem_as_an_alert(demo, client):
    sign_in(client, "manager@area.example")
    client.post("/account", data={"name": "Marco Furlan", "locale": "en"})
    page = client.get("/account").get_data(as_text=True)
    assert re.search(r'<div class="alert alert-success[^"]*" role="status">\s*Your profile', page)
    application = open_application_id(demo, "Consorzio AREA")
    client.post(f"/applications/{application}/events/issue_label")  # not a manager's step
    page = client.get(f"/applications/{application}").get_data(as_text=True)
    assert re.search(r'<div class="alert alert-danger[^"]*" role="alert">', page)
