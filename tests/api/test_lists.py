"""Lists: pages, sorting, the label filters, who sees what, and a fixed number of
statements whatever the page size."""

from certtrack.demo.data import PASSWORD as DEMO_PASSWORD
from certtrack.extensions import db
from certtrack.models import Cluster
from certtrack.statements import recorded
from tests.api.conftest import ApiClient, token_for
from tests.builders import ELIGIBLE_PROFILE


def demo_api(app, email):  # type: ignore[no-untyped-def]
    client = app.test_client()
    return ApiClient(client, token_for(client, email, DEMO_PASSWORD))


def test_pages_follow_one_another_in_a_stable_order(app, demo_day):
    api = demo_api(app, "admin@certtrack.example")
    first = api.get("/api/v1/labels?limit=3&sort=number").get_json()
    # The ten stories' labels and the fifteen of the demo's benchmarking peers.
    assert (first["total"], first["limit"], first["offset"]) == (25, 3, 0)
    seen = [label["number"] for label in first["items"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).get_json()
        seen += [label["number"] for label in page["items"]]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 25
    descending = api.get("/api/v1/labels?limit=100&sort=-number").get_json()["items"]
    assert [label["number"] for label in descending] == sorted(seen, reverse=True)
    assert api.get("/api/v1/labels?offset=50").get_json() == {
        "items": [],
        "total": 25,
        "limit": 20,
        "offset": 50,
        "next": None,
    }


def test_label_filters(app, demo_day):
    api = demo_api(app, "admin@certtrack.example")

    def numbers(query: str) -> set[str]:
        return {
            label["number"]
            for label in api.get(f"/api/v1/labels?limit=100&{query}").get_json()["items"]
        }

    everything = numbers("")
    gold = numbers("level=gold")
    assert len(gold) == 1 and next(iter(gold)).startswith("G-ES-")
    assert numbers("country=es") == {n for n in everything if "-ES-" in n}
    assert numbers("agency=INF") == {n for n in everything if "-IT-" in n}
    lapsed = api.get("/api/v1/labels?status=lapsed").get_json()["items"]
    assert [(label["cluster_name"], label["level"]) for label in lapsed] == [
        ("CMB s.c.r.l.", "bronze")
    ]
    expiring = api.get("/api/v1/labels?expiring_within=120").get_json()["items"]
    assert [label["cluster_name"] for label in expiring] == [
        "Polo Tecnologico di Pordenone",
        "Consorzio AREA",
    ]
    assert all(label["status"] == "valid" for label in expiring)
    assert numbers("expiring_within=120&level=silver") == {
        label["number"] for label in expiring if label["level"] == "silver"
    }


def test_each_role_lists_what_it_may_see(app, demo_day):
    def clusters(email: str) -> set[str]:
        return {
            c["name"]
            for c in demo_api(app, email).get("/api/v1/clusters?limit=100").get_json()["items"]
        }

    assert len(clusters("admin@certtrack.example")) == 20  # ten of them benchmarking peers
    assert len(clusters("coordinator@informest.example")) == 7
    assert clusters("coordinator@czechinvest.example") == {"Moravian Engineering Cluster"}
    assert clusters("manager@area.example") == {"Consorzio AREA"}
    assert "Polo Tecnologico di Pordenone" in clusters("luis.ortega@experts.example")
    manager = demo_api(app, "manager@area.example")
    assert {a["cluster_name"] for a in manager.get("/api/v1/applications").get_json()["items"]} == {
        "Consorzio AREA"
    }
    assert manager.get("/api/v1/users").status_code == 403
    assert manager.get("/api/v1/consultants").status_code == 403
    admin = demo_api(app, "admin@certtrack.example")
    assert admin.get("/api/v1/users?role=consultant").get_json()["total"] == 6


def test_lists_run_a_fixed_number_of_statements_whatever_the_page_size(app, demo_day):
    with app.app_context():  # more clusters than the largest page
        for i in range(60):
            db.session.add(Cluster(agency_id=1, name=f"Extra cluster {i:02d}", **ELIGIBLE_PROFILE))
        db.session.commit()
        engine = db.engine
    api = demo_api(app, "admin@certtrack.example")
    api.get("/api/v1/me")
    for url in [
        "/api/v1/clusters",
        "/api/v1/labels",
        "/api/v1/applications",
        "/api/v1/recommendations",
        "/api/v1/agencies",
        "/api/v1/users",
    ]:
        counts = []
        for limit in (5, 50):
            with recorded(engine) as statements:
                response = api.get(f"{url}?limit={limit}")
            assert response.status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1] <= 6, (url, counts)
