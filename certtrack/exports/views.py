from flask import Blueprint, Response, request

from certtrack.clock import local_today
from certtrack.filters import page_label_filters, page_recommendation_status
from certtrack.models import Role
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
    return _csv(exports.labels(actor(), page_label_filters(request.args), local_today()), "labels")


@bp.get("/recommendations.csv")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def recommendations() -> Response:
    status = page_recommendation_status(request.args)
    return _csv(exports.recommendations(actor(), status), "recommendations")
