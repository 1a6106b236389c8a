"""Labels, with filters for reporting, and their public verification."""

from typing import Any

from certtrack.api.core import bp, caller, page_of, page_query, paginate, public, query, refusals
from certtrack.api.schemas import LabelSchema, PublicLabelSchema
from certtrack.clock import local_today
from certtrack.filters import label_filter_fields, label_filters
from certtrack.models import Label
from certtrack.services import labels, portfolio

LABEL_NUMBER = r"^[BSG]-[A-Z]{2}-[0-9]{4}-[0-9]{5}$"  # see workflow.effects.label_number
NUMBER = {"in": "path", "name": "number", "schema": {"type": "string", "pattern": LABEL_NUMBER}}
SORTS = {"valid_until": Label.valid_until, "number": Label.number, "id": Label.id}


@bp.get("/labels", tags=["labels"])
@query(page_query(SORTS, "valid_until", **label_filter_fields()))
@bp.response(200, page_of(LabelSchema))
def list_labels(args: dict[str, Any]) -> Any:
    """Labels of the clusters the caller may see"""
    found = portfolio.labels_query(caller(), label_filters(args), local_today())
    return paginate(found, args, SORTS)


@bp.get("/public/labels/<number>", tags=["public"], parameters=[NUMBER])
@bp.response(200, PublicLabelSchema)
@refusals(404)
@public
def public_label(number: str) -> Label:
    """Verify a label by its public number (no token needed)"""
    return labels.by_number(number)
