"""Recommendations and their follow-up."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from certtrack.api import serialise
from certtrack.api.core import (
    PAGE,
    authenticated,
    bp,
    caller,
    enum_arg,
    enum_param,
    id_param,
    int_arg,
    json_body,
    operation,
    page_args,
    paginate,
    sort_param,
)
from certtrack.clock import local_today
from certtrack.models import Application, Recommendation, RecommendationStatus, Report
from certtrack.services import access
from certtrack.services.recommendations import update_recommendation

UPDATE = {
    "status": ("string", False, [s.value for s in RecommendationStatus]),
    "evidence": ("string", False),
    "note": ("string", False),
}


def _visible():  # type: ignore[no-untyped-def]
    return (
        select(Recommendation)
        .join(Recommendation.report)
        .join(Application, Application.id == Report.application_id)
        .where(access.application_filter(caller()))
        .options(contains_eager(Recommendation.report), selectinload(Recommendation.notes))
    )


@bp.get("/recommendations")
@operation(
    "GET",
    summary="Recommendations of the applications the caller may see",
    tag="recommendations",
    query=[
        *PAGE,
        sort_param("due_date", "id"),
        enum_param("status", RecommendationStatus),
        id_param("application"),
    ],
    responses={200: "RecommendationPage", 422: "Error"},
)
@authenticated
def list_recommendations() -> dict[str, Any]:
    limit, offset, order = page_args(
        {"due_date": Recommendation.due_date, "id": Recommendation.id}, "due_date"
    )
    query = _visible()
    if status := enum_arg("status", RecommendationStatus):
        query = query.where(Recommendation.status == status)
    if (application_id := int_arg("application")) is not None:
        query = query.where(Report.application_id == application_id)
    return paginate(query, limit, offset, order, serialise.recommendation)


@bp.patch("/recommendations/<int:recommendation_id>")
@operation(
    "PATCH",
    summary="Follow up a recommendation (the cluster's manager)",
    tag="recommendations",
    body=UPDATE,
    responses={200: "Recommendation", 403: "Error", 404: "Error", 409: "Error", 422: "Error"},
)
@authenticated
def patch_recommendation(recommendation_id: int) -> dict[str, Any]:
    recommendation = access.get_recommendation(caller(), recommendation_id)
    body = json_body()
    update_recommendation(recommendation, caller(), today=local_today(), **body)
    return serialise.recommendation(recommendation)
