"""Bronze to Silver through the API only, moving the clock as the months pass."""

from datetime import date

import time_machine

from certtrack.services.time_events import run_time_events
from tests.api.conftest import at_noon
from tests.builders import make_cast


def codes(api, level):  # type: ignore[no-untyped-def]
    response = api.get(f"/api/v1/indicators?level={level}")
    assert response.status_code == 200, response.get_json()
    return [i["code"] for i in response.get_json()["items"]]


def review(api, application_id, interview, level, consultant_values):  # type: ignore[no-untyped-def]
    body = {
        "interview_date": interview.isoformat(),
        "values": consultant_values,
        "summary": "Engaged members, a thin service portfolio.",
        "recommendations": [
            {"title": "Publish a service catalogue", "priority": "high", "due_date": "2099-01-01"}
        ],
    }
    if level == "silver":
        body["improvement_areas"] = [
            {"title": f"Area {i}", "effect": f"Effect {i}"} for i in (1, 2, 3)
        ]
    response = api.put(f"/api/v1/applications/{application_id}/review", json=body)
    assert response.status_code == 200, response.get_json()


def fire(api, application_id, event, **params):  # type: ignore[no-untyped-def]
    response = api.post(
        f"/api/v1/applications/{application_id}/events", json={"event": event, **params}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_bronze_to_silver_through_the_api(app, as_user):
    with app.app_context():
        cast = make_cast()
        ids = {
            "cluster": cast.cluster.id,
            "anna": cast.consultant.id,
            "luis": cast.second_consultant.id,
        }
    with time_machine.travel(at_noon(date(2014, 9, 1)), tick=False) as clock:
        manager, coordinator = (
            as_user("manager@ditenave.example"),
            as_user("coord@informest.example"),
        )
        anna = as_user("anna@experts.example")
        created = manager.post(
            "/api/v1/applications", json={"cluster_id": ids["cluster"], "level": "bronze"}
        )
        assert created.status_code == 201
        bronze = created.get_json()
        assert (bronze["state"], [e["event"] for e in bronze["allowed_events"]]) == (
            "draft",
            ["submit", "withdraw"],
        )
        fire(manager, bronze["id"], "submit")
        fire(coordinator, bronze["id"], "assign_consultant", consultant_id=ids["anna"])
        clock.move_to(at_noon(date(2014, 10, 15)))
        anna, coordinator = as_user("anna@experts.example"), as_user("coord@informest.example")
        assert manager.get("/api/v1/me").status_code == 401  # 30-day tokens
        manager = as_user("manager@ditenave.example")
        review(
            anna,
            bronze["id"],
            date(2014, 10, 15),
            "bronze",
            {code: {"number": 1} for code in codes(anna, "bronze")},
        )
        fire(anna, bronze["id"], "deliver_report")
        issued = fire(coordinator, bronze["id"], "issue_label")
        assert issued["state"] == "label_issued" and issued["label_number"].startswith("B-IT-2014-")
        fire(manager, bronze["id"], "start_follow_up")

        # Nineteen months on: the tokens have expired, the system opened the renewal window.
        clock.move_to(at_noon(date(2016, 5, 10)))
        assert manager.get("/api/v1/me").status_code == 401
        with app.app_context():
            run_time_events(date(2016, 5, 10))
        manager, coordinator = (
            as_user("manager@ditenave.example"),
            as_user("coord@informest.example"),
        )
        luis = as_user("luis@experts.example")
        assert (
            manager.get(f"/api/v1/applications/{bronze['id']}").get_json()["state"] == "renewal_due"
        )
        fire(manager, bronze["id"], "upgrade")
        [silver] = manager.get("/api/v1/applications?level=silver").get_json()["items"]
        assert (silver["state"], silver["previous_id"]) == ("draft", bronze["id"])
        fire(manager, silver["id"], "submit")
        refused = coordinator.post(
            f"/api/v1/applications/{silver['id']}/events",
            json={"event": "assign_consultant", "consultant_id": ids["anna"]},
        )
        assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "guard_failed"
        fire(coordinator, silver["id"], "assign_consultant", consultant_id=ids["luis"])
        values = {code: {"number": 2, "comment": "Recorded"} for code in codes(luis, "silver")}
        values.update({code: True for code in values if code.startswith("BMR")})
        clock.move_to(at_noon(date(2016, 6, 20)))
        luis, coordinator = as_user("luis@experts.example"), as_user("coord@informest.example")
        manager = as_user("manager@ditenave.example")
        luis, coordinator = as_user("luis@experts.example"), as_user("coord@informest.example")
        manager = as_user("manager@ditenave.example")
        review(luis, silver["id"], date(2016, 6, 20), "silver", values)
        fire(luis, silver["id"], "deliver_report")
        done = fire(coordinator, silver["id"], "issue_label")
        assert done["state"] == "label_issued" and done["label_number"].startswith("S-IT-2016-")
        history = [(step["event"], step["from"], step["to"]) for step in done["history"]]
        assert history[0] == ("create", None, "draft") and history[-1] == (
            "issue_label",
            "consultant_review",
            "label_issued",
        )
        labels = {
            label["level"]: label for label in manager.get("/api/v1/labels").get_json()["items"]
        }
        assert (labels["bronze"]["status"], labels["silver"]["status"]) == ("superseded", "valid")
        assert labels["silver"]["valid_until"] == "2018-06-30"
