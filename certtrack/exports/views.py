from flask import Blueprint, Response, request

from certtrack.api.core import enum_arg
from certtrack.api.labels import label_filters
from certtrack.clock import local_today
from certtrack.models import RecommendationStatus, Role
from certtrack.services import exports
from certtrack.web import actor, roles_required

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _csv(content: bytes, name: str) -> Response:
    return Response(
        content,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}-{local_today().isoformat()}.csv"'
        },
    )


@bp.get("/clusters.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def clusters() -> Response:
    return _csv(exports.clusters(actor(), request.args.get("q") or None), "clusters")


@bp.get("/labels.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def labels() -> Response:
    """The same filters as GET /api/v1/labels."""
    return _csv(exports.labels(actor(), label_filters(), local_today()), "labels")


@bp.get("/recommendations.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def recommendations() -> Response:
    status = enum_arg("status", RecommendationStatus)
    return _csv(exports.recommendations(actor(), status), "recommendations")
