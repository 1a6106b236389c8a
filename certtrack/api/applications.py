"""Applications: list, open, read (with its ETag), fire workflow events, record the
review and the Silver improvement areas."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from certtrack.api.core import (
    bp,
    caller,
    etag_version,
    page_of,
    page_query,
    paginate,
    query,
    refusals,
    takes_json,
)
from certtrack.api.schemas import (
    ApplicationSchema,
    ApplicationSummarySchema,
    EventRequestSchema,
    ImprovementAreasSchema,
    NewApplicationSchema,
    ReviewSchema,
)
from certtrack.clock import local_today
from certtrack.models import Application, Level, State
from certtrack.schemas import Choice, WholeNumber
from certtrack.services import access, applications
from certtrack.services.benchmarking import save_benchmarking, set_improvement_areas

TAGS = ["applications"]
SORTS = {"id": Application.id, "created_at": Application.created_at}
Answer = tuple[Application, int, dict[str, str]]


def _representation(application_id: int, status: int = 200) -> Answer:
    """The application in full, with its version as the ETag."""
    access.get_application(caller(), application_id)
    application = applications.with_everything(application_id)
    return application, status, {"ETag": f'"{application.version}"'}


@bp.get("/applications", tags=TAGS)
@query(
    page_query(
        SORTS, "id", state=Choice(State), level=Choice(Level), cluster=WholeNumber(text=True)
    )
)
@bp.response(200, page_of(ApplicationSummarySchema))
def list_applications(args: dict[str, Any]) -> Any:
    """Applications the caller may see"""
    found = (
        select(Application)
        .where(access.application_filter(caller()))
        .options(
            joinedload(Application.cluster),
            joinedload(Application.consultant),
            joinedload(Application.label),
        )
    )
    if state := args.get("state"):
        found = found.where(Application.state == state)
    if level := args.get("level"):
        found = found.where(Application.level == level)
    if (cluster_id := args.get("cluster")) is not None:
        found = found.where(Application.cluster_id == cluster_id)
    return paginate(found, args, SORTS)


@bp.post("/applications", tags=TAGS)
@takes_json(NewApplicationSchema)
@bp.response(201, ApplicationSchema)
@refusals(403, 404, 409)
def create_application(body: dict[str, Any]) -> Answer:
    """Open a draft application for a cluster"""
    cluster = access.get_cluster(caller(), body["cluster_id"])
    application = applications.open_application(cluster, body["level"], caller())
    return _representation(application.id, 201)


@bp.get("/applications/<int:application_id>", tags=TAGS)
@bp.response(200, ApplicationSchema)
@refusals(403, 404)
def get_application(application_id: int) -> Answer:
    """An application with its allowed events and history (ETag)"""
    return _representation(application_id)


@bp.post("/applications/<int:application_id>/events", tags=TAGS)
@takes_json(EventRequestSchema)
@bp.response(200, ApplicationSchema)
@refusals(403, 404, 409, 412)
def fire_event(body: dict[str, Any], application_id: int) -> Answer:
    """Fire a workflow event; If-Match with the ETag refuses a stale step (412)"""
    application = access.get_application(caller(), application_id)
    event = body.pop("event")
    applications.fire(
        application, event, caller(), today=local_today(), expected_version=etag_version(), **body
    )
    return _representation(application.id)


@bp.put("/applications/<int:application_id>/review", tags=TAGS)
@takes_json(ReviewSchema)
@bp.response(200, ApplicationSchema)
@refusals(403, 404, 409)
def put_review(body: dict[str, Any], application_id: int) -> Answer:
    """Record (part of) the review as a draft (assigned consultant)"""
    application = access.get_application(caller(), application_id)
    save_benchmarking(application, caller(), today=local_today(), **body)
    return _representation(application.id)


@bp.put("/applications/<int:application_id>/improvement-areas", tags=TAGS)
@takes_json(ImprovementAreasSchema)
@bp.response(200, ApplicationSchema)
@refusals(403, 404, 409)
def put_improvement_areas(body: dict[str, Any], application_id: int) -> Answer:
    """Name the Silver improvement areas (the cluster's manager)"""
    application = access.get_application(caller(), application_id)
    set_improvement_areas(application, caller(), body["areas"])
    return _representation(application.id)
