"""The query-string filters that GET /api/v1/labels and the CSV exports share, and the
public register's."""

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, validate

from certtrack.models import LabelStatus, Level, RecommendationStatus
from certtrack.schemas import Choice, Filters, Text, WholeNumber, choice, load
from certtrack.services import portfolio, register


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


def _at_most(length: int) -> validate.Length:
    return validate.Length(max=length, error=_l("At most {max} characters."))


RegisterFilterArgs: type[Schema] = Filters.from_dict(
    {
        "country": Text(validate=_at_most(2)),
        "sector": Text(validate=_at_most(200)),
        "level": Choice(Level),
        "agency": Text(validate=_at_most(40)),
        "q": Text(validate=_at_most(200)),
        "sort": choice(register.SORTS),
        "page": WholeNumber(1, register.MAX_PAGE, text=True),
        "per_page": WholeNumber(1, register.MAX_PAGE_SIZE, text=True),
    }
)


def register_args(args: Mapping[str, Any]) -> tuple[register.RegisterFilters, int, int]:
    """The register's filters, page and page size from a query string; a GET form sends
    its empty fields too, which mean "any". A bad value answers 422."""
    given = {name: value for name, value in args.items() if value.strip() != ""}
    loaded = load(RegisterFilterArgs(), given)
    filters = register.RegisterFilters(
        country=loaded.get("country"),
        sector=loaded.get("sector"),
        level=loaded.get("level"),
        agency=loaded.get("agency"),
        q=loaded.get("q"),
        sort=loaded.get("sort", register.DEFAULT_SORT),
    )
    return filters, loaded.get("page", 1), loaded.get("per_page", register.PAGE_SIZE)
