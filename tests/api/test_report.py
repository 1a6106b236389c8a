"""GET /api/v1/applications/{id}/report: the hand-made peers' figures, null figures
with a reason below the minimum, no peer value in the answer, and who may read it."""

import json

import pytest
from flask import Flask

from certtrack.extensions import db
from certtrack.models import Application, State
from certtrack.services.settings import save_settings
from tests.peer_builders import PEER_BUDGETS, PEER_COMMENT, build


@pytest.fixture
def own_id(app: Flask) -> int:
    with app.app_context():
        return build()[1].id


def figures(body, code: str, group: str):  # type: ignore[no-untyped-def]
    line = next(i for area in body["areas"] for i in area["indicators"] if i["code"] == code)
    return line, next(p for p in line["peers"] if p["group"] == group)


def test_the_report_with_its_peer_statistics(as_user, own_id) -> None:
    response = as_user("manager@ditenave.example").get(f"/api/v1/applications/{own_id}/report")
    assert response.status_code == 200
    body = response.get_json()
    assert body["preview"] is False and body["peer_minimum"] == 5
    groups = {g["group"]: g for g in body["groups"]}
    assert groups["all"] == {
        "group": "all",
        "name": "All benchmarked clusters",
        "clusters": 6,
        "reason": None,
    }
    assert groups["excellence"]["clusters"] == 4
    assert groups["excellence"]["reason"] == "not_enough_peers"
    line, b01 = figures(body, "B01", "all")
    assert line["value"] == 45 and line["measure"] == "count" and line["direction"] == "up"
    assert (b01["n"], b01["first_quartile"], b01["median"], b01["third_quartile"]) == (
        6,
        22.5,
        35,
        47.5,
    )
    assert round(b01["percentile"], 2) == 66.67
    assert b01["standing"] == "above" and b01["better"] is True and b01["reason"] is None
    _line, b08 = figures(body, "B08", "all")
    assert b08["distribution"] == [
        {"step": 0, "count": 1},
        {"step": 1, "count": 2},
        {"step": 2, "count": 1},
        {"step": 3, "count": 1},
        {"step": 4, "count": 1},
    ]
    _line, b03 = figures(body, "B03", "all")
    assert b03["standing"] == "below" and b03["better"] is None  # neutral
    _line, excellent = figures(body, "B01", "excellence")
    assert excellent["reason"] == "not_enough_peers"
    assert all(
        excellent[k] is None
        for k in ("first_quartile", "median", "third_quartile", "percentile", "standing")
    )
    _line, b07 = figures(body, "B07", "all")
    assert b07["reason"] == "not_enough_answers" and b07["median"] is None
    assert {c["code"] for c in body["changes"]} == {"B01", "B03"}
    assert [r["title"] for r in body["recommendations"]] == []


def test_no_peer_value_in_the_answer(app, as_user, own_id) -> None:
    with app.app_context():
        save_settings({"peer_group_minimum": "7"})
    body = as_user("coord@informest.example").get(f"/api/v1/applications/{own_id}/report")
    text = json.dumps(body.get_json())
    assert all(str(budget) not in text for budget in PEER_BUDGETS)
    assert PEER_COMMENT not in text
    assert '"median": null' in text and '"median": 3' not in text


WHO = {
    "manager@ditenave.example": 200,
    "coord@informest.example": 200,
    "anna@experts.example": 200,
    "admin@certtrack.example": 200,
    "luis@experts.example": 403,
    "manager@moravian.example": 403,
    "coord@czechinvest.example": 403,
}


def test_who_may_read_the_report(app, as_user, own_id) -> None:
    assert app.test_client().get(f"/api/v1/applications/{own_id}/report").status_code == 401
    for email, status in WHO.items():
        response = as_user(email).get(f"/api/v1/applications/{own_id}/report")
        assert response.status_code == status, email
        if status != 200:
            assert set(response.get_json()["error"]) == {"code", "message", "fields"}
    assert (
        as_user("admin@certtrack.example").get("/api/v1/applications/999999/report").status_code
        == 404
    )


def test_a_draft_is_the_consultants_preview(app, as_user, own_id) -> None:
    with app.app_context():
        application = db.session.get(Application, own_id)
        application.state = State.CONSULTANT_REVIEW
        application.report.delivered_at = None
        db.session.commit()
    response = as_user("anna@experts.example").get(f"/api/v1/applications/{own_id}/report")
    assert response.status_code == 200 and response.get_json()["preview"] is True
    for email in ("manager@ditenave.example", "coord@informest.example"):
        response = as_user(email).get(f"/api/v1/applications/{own_id}/report")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
