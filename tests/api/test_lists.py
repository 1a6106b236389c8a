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
        "next_cursor": None,
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


def walk(api: ApiClient, url: str, key: str = "id") -> list:  # type: ignore[type-arg]
    """Every item of a list, page after page by the cursor."""
    page = api.get(url).get_json()
    seen = [item[key] for item in page["items"]]
    while page["next_cursor"]:
        separator = "&" if "?" in url else "?"
        page = api.get(f"{url}{separator}after={page['next_cursor']}").get_json()
        seen += [item[key] for item in page["items"]]
    return seen


def test_cursor_pages_follow_the_offset_order_for_every_sort(app, demo_day):
    api = demo_api(app, "admin@certtrack.example")
    for url, key, sorts in [
        ("/api/v1/labels", "number", ["valid_until", "-valid_until", "number", "-number", "id"]),
        ("/api/v1/clusters", "id", ["name", "-name"]),
        # Due dates may be NULL: they sort as the greatest value on both databases.
        ("/api/v1/recommendations", "id", ["due_date", "-due_date"]),
    ]:
        for sort in sorts:
            everything = api.get(f"{url}?limit=100&sort={sort}").get_json()["items"]
            assert len(everything) > 3, url
            walked = walk(api, f"{url}?limit=3&sort={sort}", key)
            assert walked == [item[key] for item in everything], (url, sort)


def test_next_link_of_a_cursor_page_is_a_cursor_link(app, demo_day):
    api = demo_api(app, "admin@certtrack.example")
    first = api.get("/api/v1/labels?limit=2&sort=number&total=false").get_json()
    assert first["total"] is None and "offset=2" in first["next"]
    second = api.get(f"/api/v1/labels?limit=2&sort=number&after={first['next_cursor']}").get_json()
    assert second["total"] == 25 and "after=" in second["next"] and "offset" not in second["next"]
    followed = api.get(second["next"]).get_json()
    numbers = [i["number"] for i in first["items"] + second["items"] + followed["items"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == 6


def test_bad_cursors_are_refused_naming_the_parameter(app, demo_day):
    api = demo_api(app, "admin@certtrack.example")
    cursor = api.get("/api/v1/labels?limit=1&sort=number").get_json()["next_cursor"]
    for query, field in [
        ("after=not-a-cursor", "after"),
        ("after=W10", "after"),  # base64 of []
        (f"sort=valid_until&after={cursor}", "after"),  # made for another sort
        (f"sort=number&offset=5&after={cursor}", "offset"),
        ("after=" + "x" * 1001, "after"),
        ("total=maybe", "total"),
    ]:
        response = api.get(f"/api/v1/labels?{query}")
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["fields"], query


def test_a_deep_cursor_page_costs_what_the_first_does(app, demo_day):
    with app.app_context():
        for i in range(60):
            db.session.add(Cluster(agency_id=1, name=f"Extra cluster {i:02d}", **ELIGIBLE_PROFILE))
        db.session.commit()
        engine = db.engine
    api = demo_api(app, "admin@certtrack.example")
    api.get("/api/v1/me")
    with recorded(engine) as first_page:
        first = api.get("/api/v1/clusters?limit=5&total=false").get_json()
    page = first
    for _step in range(10):
        page = api.get(f"/api/v1/clusters?limit=5&total=false&after={page['next_cursor']}")
        page = page.get_json()
    with recorded(engine) as deep_page:
        deep = api.get(f"/api/v1/clusters?limit=5&total=false&after={page['next_cursor']}")
    assert deep.status_code == 200 and len(deep.get_json()["items"]) == 5
    assert len(deep_page) == len(first_page)
    rows = [s for s in deep_page if "FROM cluster" in s and "count(" not in s.lower()]
    assert len(rows) == 1 and "cluster.id >" in rows[0], rows  # a WHERE on the key
    assert first["total"] is None


def test_label_page_reads_only_the_columns_it_answers_with(app, demo_day):
    """The rows statement carries no column the page does not show (the database sorts
    every matching row before the LIMIT: whole cluster rows made that sort wide), and
    nothing is lazily loaded afterwards, whatever the sort."""
    with app.app_context():
        engine = db.engine
    api = demo_api(app, "admin@certtrack.example")
    api.get("/api/v1/me")
    for sort in ("valid_until", "-number", "id"):
        with recorded(engine) as statements:
            page = api.get(f"/api/v1/labels?limit=5&sort={sort}&total=false").get_json()
        assert page["items"] and page["next_cursor"]
        assert set(page["items"][0]) == {
            "number",
            "cluster_id",
            "cluster_name",
            "level",
            "interview_month",
            "issued_on",
            "valid_until",
            "status",
        }
        rows = [sql for sql in statements if "FROM label JOIN cluster" in sql]
        assert len(rows) == 1 and len(statements) <= 2, statements
        assert "cluster.description" not in rows[0] and "label.revocation_reason" not in rows[0]
        following = api.get(f"/api/v1/labels?limit=5&sort={sort}&after={page['next_cursor']}")
        assert following.status_code == 200 and following.get_json()["items"]
