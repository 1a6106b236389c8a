"""The query-string filters that GET /api/v1/labels and the CSV exports share."""

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema

from certtrack.models import LabelStatus, Level, RecommendationStatus
from certtrack.schemas import Choice, Filters, Text, WholeNumber, load
from certtrack.services import portfolio


def label_filter_fields() -> dict[str, Any]:
    """The fields of the label filters (fresh ones: a schema binds its fields)."""
    return {
        "level": Choice(Level),
        "status": Choice(LabelStatus),
        "agency": Text(metadata={"description": "Agency short name"}),
        "country": Text(),
        "expiring_within": WholeNumber(
            0,
            3650,
            text=True,
            metadata={"description": "Valid labels ending within this many days"},
        ),
    }


def label_filters(args: Mapping[str, Any]) -> portfolio.LabelFilters:
    """The label filters from loaded arguments."""
    return portfolio.LabelFilters(
        level=args.get("level"),
        status=args.get("status"),
        agency=args.get("agency") or None,
        country=args.get("country") or None,
        expiring_within=args.get("expiring_within"),
    )


LabelFilterArgs: type[Schema] = Filters.from_dict(label_filter_fields())
RecommendationFilterArgs: type[Schema] = Filters.from_dict({"status": Choice(RecommendationStatus)})


def page_label_filters(args: Mapping[str, Any]) -> portfolio.LabelFilters:
    """The label filters of a page's query string; a bad value answers 422."""
    return label_filters(load(LabelFilterArgs(), args))


def page_recommendation_status(args: Mapping[str, Any]) -> RecommendationStatus | None:
    """The recommendation status a page's query string filters on, if any."""
    status: RecommendationStatus | None = load(RecommendationFilterArgs(), args).get("status")
    return status
