"""Labels, with filters for reporting, and their public verification."""

from typing import Any

from sqlalchemy.orm import contains_eager, load_only

from certtrack.api.core import bp, caller, page_of, page_query, paginate, public, query, refusals
from certtrack.api.schemas import LabelSchema, PublicLabelSchema
from certtrack.clock import local_today
from certtrack.filters import label_filter_fields, label_filters
from certtrack.models import Cluster, Label
from certtrack.services import labels, portfolio

LABEL_NUMBER = r"^[BSG]-[A-Z]{2}-[0-9]{4}-[0-9]{5}$"  # see workflow.effects.label_number
NUMBER = {"in": "path", "name": "number", "schema": {"type": "string", "pattern": LABEL_NUMBER}}
SORTS = {"valid_until": Label.valid_until, "number": Label.number, "id": Label.id}
# Only the columns LabelSchema (and the sorts' cursors) read: the database sorts the
# matching rows before the LIMIT, and whole label and cluster rows (the cluster's
# description among them) made that sort several times wider.
PAGE_COLUMNS = contains_eager(Label.cluster).load_only(Cluster.name)
LABEL_COLUMNS = (
    Label.number,
    Label.cluster_id,
    Label.level,
    Label.interview_month,
    Label.issued_on,
    Label.valid_until,
    Label.status,
)


@bp.get("/labels", tags=["labels"])
@query(page_query(SORTS, "valid_until", **label_filter_fields()))
@bp.response(200, page_of(LabelSchema))
def list_labels(args: dict[str, Any]) -> Any:
    """Labels of the clusters the caller may see"""
    found = portfolio.labels_query(caller(), label_filters(args), local_today())
    found = found.options(PAGE_COLUMNS).options(load_only(*LABEL_COLUMNS))
    return paginate(found, args, SORTS)


@bp.get("/public/labels/<number>", tags=["public"], parameters=[NUMBER])
@bp.response(200, PublicLabelSchema)
@refusals(404)
@public
def public_label(number: str) -> Label:
    """Verify a label by its public number (no token needed)"""
    return labels.by_number(number)
