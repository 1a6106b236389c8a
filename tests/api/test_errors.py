"""Every refusal over HTTP, in the one error shape, with its status."""

from datetime import date, timedelta

import time_machine

from certtrack.extensions import db
from tests.api.conftest import at_noon
from tests.builders import Journey, make_cast, snapshot


def error(response, status, code):  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def submitted(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        cast = make_cast()
        journey = Journey(cast)
        application = journey.start()
        journey.fire("submit", cast.manager, date(2014, 6, 3))
        return application.id, cast.consultant.id


def test_authentication(app, as_user, client):
    submitted(app)
    error(client.get("/api/v1/me"), 401, "unauthorized")
    assert client.get("/api/v1/me").headers["WWW-Authenticate"].lower().startswith("bearer")
    error(
        client.get("/api/v1/me", headers={"Authorization": "Bearer ct_forged"}), 401, "unauthorized"
    )
    error(
        client.post(
            "/api/v1/auth/token", json={"email": "manager@ditenave.example", "password": "nope"}
        ),
        401,
        "unauthorized",
    )
    with time_machine.travel(at_noon(date(2026, 1, 1)), tick=False) as clock:
        api = as_user("manager@ditenave.example")
        assert api.get("/api/v1/me").status_code == 200
        clock.shift(timedelta(days=30, seconds=1))
        error(api.get("/api/v1/me"), 401, "unauthorized")


def test_revoked_tokens_stop_working(app, as_user):
    submitted(app)
    api = as_user("manager@ditenave.example")
    tokens = api.client.post(
        "/login", data={"email": "manager@ditenave.example", "password": "correct horse battery"}
    )
    assert tokens.status_code == 302
    page = api.client.get("/account/tokens").get_data(as_text=True)
    token_id = page.split("/account/tokens/")[1].split("/")[0]
    assert api.client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    error(api.get("/api/v1/me"), 401, "unauthorized")


def test_token_endpoint_is_throttled(app, client):
    submitted(app)
    for _attempt in range(5):
        client.post(
            "/api/v1/auth/token", json={"email": "manager@ditenave.example", "password": "guess"}
        )
    error(
        client.post(
            "/api/v1/auth/token",
            json={"email": "manager@ditenave.example", "password": "correct horse battery"},
        ),
        429,
        "too_many_requests",
    )


def test_workflow_refusals_map_to_statuses(app, as_user):
    application_id, consultant_id = submitted(app)
    url = f"/api/v1/applications/{application_id}/events"
    manager, coordinator = as_user("manager@ditenave.example"), as_user("coord@informest.example")
    other = as_user("coord@czechinvest.example")
    for api in (manager, coordinator, other):
        api.get("/api/v1/me")  # records the token's first use before the snapshot
    with app.app_context():
        before = snapshot()
    error(manager.post(url, json={"event": "issue_label"}), 409, "not_allowed_in_state")
    error(
        manager.post(url, json={"event": "assign_consultant", "consultant_id": consultant_id}),
        403,
        "forbidden_for_role",
    )
    fields = error(
        coordinator.post(url, json={"event": "return_for_changes"}), 422, "invalid_params"
    )["fields"]
    assert fields == {"reason": "This field is required."}
    error(
        coordinator.post(url, json={"event": "assign_consultant", "consultant_id": 999}),
        422,
        "invalid_params",
    )
    error(coordinator.post(url, json={"event": "dance"}), 422, "invalid_params")
    error(other.post(url, json={"event": "withdraw"}), 403, "forbidden_for_role")
    error(other.get(f"/api/v1/applications/{application_id}"), 403, "forbidden_for_role")
    error(manager.get("/api/v1/applications/99999"), 404, "not_found")
    with app.app_context():
        assert snapshot() == before


def test_guard_failure_and_stale_etag(app, as_user):
    with app.app_context():
        cast = make_cast()
        cast.cluster.committed_members = 3
        db.session.commit()
        application_id = Journey(cast).start().id
    manager = as_user("manager@ditenave.example")
    url = f"/api/v1/applications/{application_id}/events"
    refusal = error(manager.post(url, json={"event": "submit"}), 422, "guard_failed")
    assert "committed_members" in refusal["fields"]
    current = manager.get(f"/api/v1/applications/{application_id}")
    etag = current.headers["ETag"]
    assert etag == f'"{current.get_json()["version"]}"'
    stale = f'"{current.get_json()["version"] - 1}"'
    error(
        manager.post(url, json={"event": "withdraw"}, headers={"If-Match": stale}),
        412,
        "precondition_failed",
    )
    done = manager.post(url, json={"event": "withdraw"}, headers={"If-Match": etag})
    assert done.status_code == 200 and done.get_json()["state"] == "withdrawn"
    assert done.headers["ETag"] != etag


def test_bad_bodies_and_queries_never_500(app, as_user):
    application_id, _consultant = submitted(app)
    api = as_user("coord@informest.example")
    url = f"/api/v1/applications/{application_id}/events"
    error(
        api.post(url, data="{broken", headers={"Content-Type": "application/json"}),
        400,
        "bad_request",
    )
    error(api.post(url, json=["withdraw"]), 422, "invalid_params")
    fields = error(api.post(url, json={"event": 3, "colour": "red"}), 422, "invalid_params")[
        "fields"
    ]
    assert fields == {"event": "Must be of type string.", "colour": "Unknown field."}
    error(api.get("/api/v1/labels?limit=0"), 422, "invalid_params")
    error(api.get("/api/v1/labels?limit=abc&sort=colour"), 422, "invalid_params")
    error(api.get("/api/v1/labels?status=shiny"), 422, "invalid_params")
    error(
        api.post(
            f"/api/v1/applications/{application_id}/events",
            json={"event": "withdraw"},
            headers={"If-Match": "yesterday"},
        ),
        400,
        "bad_request",
    )
    error(api.client.delete("/api/v1/labels", headers=api.headers()), 405, "method_not_allowed")


def test_profile_changes_are_checked_and_confined_to_ones_own_cluster(app, as_user):
    with app.app_context():
        cast = make_cast()
        mine, theirs = cast.cluster.id, cast.other_cluster.id
    api = as_user("manager@ditenave.example")
    with app.app_context():
        before = snapshot()["cluster"]
    for body, wrong in (
        ({"member_types": [["sme"]], "sector": "Rail"}, {"member_types"}),
        ({"member_types": ["aliens"]}, {"member_types"}),
        ({"staff_fte": "x", "country": "Italy", "sector": "Rail"}, {"staff_fte", "country"}),
    ):
        refusal = error(api.patch(f"/api/v1/clusters/{mine}", json=body), 422, "invalid_params")
        assert set(refusal["fields"]) == wrong
    error(
        api.patch(f"/api/v1/clusters/{theirs}", json={"sector": "Rail"}), 403, "forbidden_for_role"
    )
    with app.app_context():
        assert snapshot()["cluster"] == before
    changed = api.patch(f"/api/v1/clusters/{mine}", json={"member_types": ["sme", "research"]})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["member_types"] == ["research", "sme"]
    assert api.get(f"/api/v1/clusters/{mine}").get_json()["member_types"] == ["research", "sme"]


def test_null_clears_an_optional_profile_field_and_is_refused_where_it_means_nothing(app, as_user):
    """The document and the API agree: null clears committed_members (as an empty field
    does on the page); on a required-when-sent field or an event parameter it is a 422."""
    with app.app_context():
        cast = make_cast()
        cast.cluster.committed_members = 12
        db.session.commit()
        mine, application_id = cast.cluster.id, Journey(cast).start().id
    api = as_user("manager@ditenave.example")
    cleared = api.patch(f"/api/v1/clusters/{mine}", json={"committed_members": None})
    assert cleared.status_code == 200 and cleared.get_json()["committed_members"] is None
    fields = error(
        api.patch(f"/api/v1/clusters/{mine}", json={"name": None}), 422, "invalid_params"
    )
    assert fields["fields"] == {"name": "May not be null."}
    url = f"/api/v1/applications/{application_id}/events"
    refusal = error(
        api.post(url, json={"event": "withdraw", "comment": None}), 422, "invalid_params"
    )
    assert refusal["fields"] == {"comment": "May not be null."}


def test_body_integers_take_json_numbers_within_the_range_only(app, as_user):
    with app.app_context():
        cluster_id = make_cast().cluster.id
    api = as_user("manager@ditenave.example")
    for value, message in [
        ("²", "Must be of type integer."),
        (str(cluster_id), "Must be of type integer."),
        (True, "Must be of type integer."),
        (1.0, "Must be of type integer."),
        (2**31, "Must be a whole number from 1 to 2147483647."),
        (10**30, "Must be a whole number from 1 to 2147483647."),
    ]:
        body = {"cluster_id": value, "level": "bronze"}
        refusal = error(api.post("/api/v1/applications", json=body), 422, "invalid_params")
        assert refusal["fields"] == {"cluster_id": message}, value


def test_a_query_string_on_an_operation_that_reads_none_is_refused(app, as_user):
    make = submitted(app)
    api = as_user("manager@ditenave.example")
    refusal = error(api.get("/api/v1/me?colour=red"), 422, "invalid_params")
    assert refusal["fields"] == {"colour": "Unknown parameter."}
    refusal = error(api.get(f"/api/v1/applications/{make[0]}?x=1"), 422, "invalid_params")
    assert refusal["fields"] == {"x": "Unknown parameter."}
    refusal = error(api.get("/api/v1/labels?colour=red&limit=5"), 422, "invalid_params")
    assert refusal["fields"] == {"colour": "Unknown parameter."}
