"""Labels, with filters for reporting, and their public verification."""

from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.api import serialise
from certtrack.api.core import (
    PAGE,
    authenticated,
    bp,
    caller,
    enum_arg,
    enum_param,
    int_arg,
    operation,
    page_args,
    paginate,
    sort_param,
)
from certtrack.clock import local_today
from certtrack.extensions import db
from certtrack.models import Label, LabelStatus, Level
from certtrack.services import portfolio
from certtrack.workflow.errors import NotFound

LABEL_FILTERS = [
    enum_param("level", Level),
    enum_param("status", LabelStatus),
    {"name": "agency", "schema": {"type": "string"}, "description": "Agency short name"},
    {"name": "country", "schema": {"type": "string"}},
    {
        "name": "expiring_within",
        "schema": {"type": "integer", "minimum": 0, "maximum": 3650},
        "description": "Valid labels ending within this many days",
    },
]


def label_filters() -> portfolio.LabelFilters:
    """The label filters of the query string (shared with the CSV export)."""
    return portfolio.LabelFilters(
        level=enum_arg("level", Level),
        status=enum_arg("status", LabelStatus),
        agency=request.args.get("agency") or None,
        country=request.args.get("country") or None,
        expiring_within=int_arg("expiring_within", low=0, high=3650),
    )


@bp.get("/labels")
@operation(
    "GET",
    summary="Labels of the clusters the caller may see",
    tag="labels",
    query=[*PAGE, sort_param("valid_until", "number", "id"), *LABEL_FILTERS],
    responses={200: "LabelPage", 422: "Error"},
)
@authenticated
def list_labels() -> dict[str, Any]:
    sorts = {"valid_until": Label.valid_until, "number": Label.number, "id": Label.id}
    limit, offset, order = page_args(sorts, "valid_until")
    query = portfolio.labels_query(caller(), label_filters(), local_today())
    return paginate(query, limit, offset, order, serialise.label)


@bp.get("/public/labels/<number>")
@operation(
    "GET",
    summary="Verify a label by its public number (no token needed)",
    tag="public",
    auth=False,
    responses={200: "PublicLabel", 404: "Error"},
)
def public_label(number: str) -> dict[str, Any]:
    return serialise.public_label(label_by_number(number))


def label_by_number(number: str) -> Label:
    label = db.session.scalar(select(Label).where(Label.number == number))
    if label is None:
        raise NotFound(_("No label has the number %(number)s.", number=number))
    return label
