"""Applications: list, open, read (with its ETag), fire workflow events, record the
review and the Silver improvement areas."""

from typing import Any

from flask import Response, jsonify
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from certtrack.api import serialise
from certtrack.api.core import (
    PAGE,
    authenticated,
    bp,
    caller,
    enum_arg,
    enum_param,
    etag_version,
    id_param,
    int_arg,
    json_body,
    operation,
    page_args,
    paginate,
    sort_param,
)
from certtrack.clock import local_today
from certtrack.models import Application, Level, State
from certtrack.services import access, applications
from certtrack.services.benchmarking import save_benchmarking, set_improvement_areas
from certtrack.workflow.definition import TRANSITIONS

LEVELS = [level.value for level in Level]
NEW_APPLICATION = {"cluster_id": ("integer", True), "level": ("string", True, LEVELS)}
EVENT = {
    "event": ("string", True, [t.event for t in TRANSITIONS]),
    "reason": ("string", False),
    "comment": ("string", False),
    "consultant_id": ("integer", False),
}
REVIEW = {
    "interview_date": ("date", False),
    "values": ("object", False),
    "summary": ("string", False),
    "recommendations": ("array", False),
    "improvement_areas": ("array", False),
}


def _representation(application_id: int, status: int = 200) -> Response:
    access.get_application(caller(), application_id)
    application = applications.with_everything(application_id)
    response = jsonify(serialise.application(application, caller(), detail=True))
    response.status_code = status
    response.headers["ETag"] = f'"{application.version}"'
    return response


@bp.get("/applications")
@operation(
    "GET",
    summary="Applications the caller may see",
    tag="applications",
    query=[
        *PAGE,
        sort_param("id", "created_at"),
        enum_param("state", State),
        enum_param("level", Level),
        id_param("cluster"),
    ],
    responses={200: "ApplicationPage", 422: "Error"},
)
@authenticated
def list_applications() -> dict[str, Any]:
    limit, offset, order = page_args(
        {"id": Application.id, "created_at": Application.created_at}, "id"
    )
    query = (
        select(Application)
        .where(access.application_filter(caller()))
        .options(
            joinedload(Application.cluster),
            joinedload(Application.consultant),
            joinedload(Application.label),
        )
    )
    if state := enum_arg("state", State):
        query = query.where(Application.state == state)
    if level := enum_arg("level", Level):
        query = query.where(Application.level == level)
    if (cluster_id := int_arg("cluster")) is not None:
        query = query.where(Application.cluster_id == cluster_id)
    return paginate(query, limit, offset, order, lambda app: serialise.application(app, caller()))


@bp.post("/applications")
@operation(
    "POST",
    summary="Open a draft application for a cluster",
    tag="applications",
    body=NEW_APPLICATION,
    responses={201: "Application", 403: "Error", 404: "Error", 409: "Error", 422: "Error"},
)
@authenticated
def create_application() -> Response:
    body = json_body()
    cluster = access.get_cluster(caller(), body["cluster_id"])
    application = applications.open_application(cluster, Level(body["level"]), caller())
    return _representation(application.id, 201)


@bp.get("/applications/<int:application_id>")
@operation(
    "GET",
    summary="An application with its allowed events and history (ETag)",
    tag="applications",
    responses={200: "Application", 403: "Error", 404: "Error"},
)
@authenticated
def get_application(application_id: int) -> Response:
    return _representation(application_id)


@bp.post("/applications/<int:application_id>/events")
@operation(
    "POST",
    summary="Fire a workflow event; If-Match with the ETag refuses a stale step (412)",
    tag="applications",
    body=EVENT,
    responses={
        200: "Application",
        400: "Error",
        403: "Error",
        404: "Error",
        409: "Error",
        412: "Error",
        422: "Error",
    },
)
@authenticated
def fire_event(application_id: int) -> Response:
    application = access.get_application(caller(), application_id)
    body = json_body()
    event = body.pop("event")
    params = {name: value for name, value in body.items() if value is not None}
    applications.fire(
        application, event, caller(), today=local_today(), expected_version=etag_version(), **params
    )
    return _representation(application.id)


@bp.put("/applications/<int:application_id>/review")
@operation(
    "PUT",
    summary="Record (part of) the review as a draft (assigned consultant)",
    tag="applications",
    body=REVIEW,
    responses={200: "Application", 403: "Error", 404: "Error", 409: "Error", 422: "Error"},
)
@authenticated
def put_review(application_id: int) -> Response:
    application = access.get_application(caller(), application_id)
    body = json_body()
    save_benchmarking(application, caller(), today=local_today(), **body)
    return _representation(application.id)


@bp.put("/applications/<int:application_id>/improvement-areas")
@operation(
    "PUT",
    summary="Name the Silver improvement areas (the cluster's manager)",
    tag="applications",
    body={"areas": ("array", True)},
    responses={200: "Application", 403: "Error", 404: "Error", 409: "Error", 422: "Error"},
)
@authenticated
def put_improvement_areas(application_id: int) -> Response:
    application = access.get_application(caller(), application_id)
    set_improvement_areas(application, caller(), json_body()["areas"])
    return _representation(application.id)
