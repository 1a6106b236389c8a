"""What each role sees on its pages, from the demo data."""

from certtrack.extensions import db
from certtrack.models import Application, State
from tests.web.conftest import cluster_id, open_application_id, sign_in


def text(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_manager_sees_the_path_the_label_and_what_comes_next(demo, client):
    sign_in(client, "manager@area.example")
    response = client.get("/dashboard")
    assert response.headers["Location"] == f"/clusters/{cluster_id(demo, 'Consorzio AREA')}"
    page = text(client.get(response.headers["Location"]))
    assert "Consorzio AREA" in page
    assert "95 days left" in page  # Silver valid until 28 Feb 2027
    assert "Renew the label, or go for the next level, before February 28, 2027." in page
    assert 'data-event="renew"' in page and 'data-event="upgrade"' in page
    assert page.count('class="timeline-bar') == 2  # Bronze then Silver
    assert "Superseded" in page
    assert "Formalise a three-year cluster strategy" in page
    assert "overdue" in page
    assert "Renewal window opened" in page  # the history, the daily pass's step included


def test_coordinator_dashboard_lists_the_work(demo, client):
    sign_in(client, "coordinator@informest.example")
    page = text(client.get("/dashboard"))
    assert "Waiting for a consultant" in page and "ASDI Sedia" in page
    assert 'data-expiring="180"' in page
    assert "Lapsed, still renewable" in page and "CMB s.c.r.l." in page
    assert "Moravian Engineering Cluster" not in page  # another agency


def test_board_groups_by_state_in_path_order_and_filters(demo, client):
    sign_in(client, "coordinator@informest.example")
    page = text(client.get("/board"))
    columns = [part.split('"')[0] for part in page.split('id="col-')[1:]]
    assert columns[:2] == ["draft", "submitted"] and columns[-1] == "lapsed"
    assert 'data-count="submitted">1<' in page and "unassigned" in page
    page = text(client.get("/board?q=polo"))
    assert "Polo Tecnologico di Pordenone" in page and "ASDI Sedia" not in page
    page = text(client.get("/board?level=silver"))
    assert "Consorzio AREA" in page and "DITENAVE" not in page


def test_assignment_form_shows_workload_and_explains_impartiality(demo, client):
    sign_in(client, "coordinator@informest.example")
    app_id = open_application_id(demo, "ASDI Sedia")
    page = text(client.get(f"/applications/{app_id}/assign"))
    assert "Luis Ortega" in page and "Reviews under way" in page
    area = open_application_id(demo, "Consorzio AREA")
    # Giulia works for Consorzio AREA: she is listed, disabled, with the reason.
    with demo.app_context():
        db.session.get(Application, area).state = State.SUBMITTED
        db.session.commit()
    page = text(client.get(f"/applications/{area}/assign"))
    assert "Giulia Bianchi works for Consorzio AREA and cannot assess it." in page
    assert "Anna Keller reviewed this cluster&#39;s previous process" in page


def test_consultant_sees_reviews_with_due_dates(demo, client):
    sign_in(client, "luis.ortega@experts.example")
    page = text(client.get("/dashboard"))
    assert "Polo Tecnologico di Pordenone" in page
    assert "Report due" in page
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    page = text(client.get(f"/applications/{review}/review"))
    assert page.count("<h2") >= 7  # six areas and the report
    assert 'value="64"' in page and "six more in talks." in page  # the saved draft


def test_coordinator_sees_expiring_and_lapsed_labels(demo, client):
    sign_in(client, "coordinator@informest.example")
    page = text(client.get("/expiring"))
    assert 'id="within-30"' in page and 'id="within-180"' in page
    assert "Consorzio AREA" in page  # Silver ends within 180 days
    assert "CMB s.c.r.l." in page  # lapsed, renewable


def test_italian_pages(demo, client):
    sign_in(client, "manager@area.example")
    client.post("/locale", data={"locale": "it"})
    page = text(client.get(f"/clusters/{cluster_id(demo, 'Consorzio AREA')}"))
    assert '<html lang="it">' in page
    assert "Esci" in page  # the sign-out button
    assert "28 feb 2027" in page  # dates formatted for Italian
    assert "Il percorso verso l'eccellenza" in page
    sign_in(client, "manager@ditenave.example")
    client.post("/locale", data={"locale": "it"})
    page = text(client.get(f"/clusters/{cluster_id(demo, 'DITENAVE')}"))
    assert '<dd class="col-6">2,5</dd>' in page  # 2.5 FTE, written the Italian way
    client.post("/locale", data={"locale": "en"})
    page = text(client.get(f"/clusters/{cluster_id(demo, 'DITENAVE')}"))
    assert '<dd class="col-6">2.5</dd>' in page
