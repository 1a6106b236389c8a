"""Recommendations and their follow-up."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from certtrack.api.core import (
    bp,
    caller,
    page_of,
    page_query,
    paginate,
    query,
    refusals,
    takes_json,
)
from certtrack.api.schemas import RecommendationSchema, RecommendationUpdateSchema
from certtrack.clock import local_today
from certtrack.models import Application, Recommendation, RecommendationStatus, Report
from certtrack.schemas import Choice, WholeNumber
from certtrack.services import access
from certtrack.services.recommendations import update_recommendation

TAGS = ["recommendations"]
SORTS = {"due_date": Recommendation.due_date, "id": Recommendation.id}


@bp.get("/recommendations", tags=TAGS)
@query(
    page_query(
        SORTS,
        "due_date",
        status=Choice(RecommendationStatus),
        application=WholeNumber(text=True),
    )
)
@bp.response(200, page_of(RecommendationSchema))
def list_recommendations(args: dict[str, Any]) -> Any:
    """Recommendations of the applications the caller may see"""
    found = (
        select(Recommendation)
        .join(Recommendation.report)
        .join(Application, Application.id == Report.application_id)
        .where(access.application_filter(caller()))
        .options(contains_eager(Recommendation.report), selectinload(Recommendation.notes))
    )
    if status := args.get("status"):
        found = found.where(Recommendation.status == status)
    if (application_id := args.get("application")) is not None:
        found = found.where(Report.application_id == application_id)
    return paginate(found, args, SORTS)


@bp.patch("/recommendations/<int:recommendation_id>", tags=TAGS)
@takes_json(RecommendationUpdateSchema)
@bp.response(200, RecommendationSchema)
@refusals(403, 404, 409)
def patch_recommendation(body: dict[str, Any], recommendation_id: int) -> Recommendation:
    """Follow up a recommendation (the cluster's manager)"""
    recommendation = access.get_recommendation(caller(), recommendation_id)
    update_recommendation(recommendation, caller(), today=local_today(), **body)
    return recommendation
