"""Agencies, kept by admins."""

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Agency
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow.errors import InvalidParams

LIMITS = {"name": 200, "short_name": 40, "region": 120, "website": 300}


def save_agency(agency: Agency | None, data: Mapping[str, Any]) -> Agency:
    """Create (agency None) or update an agency; name and short name stay unique."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, limit in LIMITS.items():
        value = (data.get(name) or "").strip()
        if not value and name != "website":
            errors[name] = _("This field is required.")
        elif len(value) > limit:
            errors[name] = _("At most %(n)s characters.", n=limit)
        elif problem := text_problem(value):
            errors[name] = problem
        values[name] = value or None
    country = (data.get("country") or "").strip().upper()
    if len(country) != 2 or not country.isalpha():
        errors["country"] = _("Must be a two-letter country code (e.g. IT).")
    values["country"] = country
    for name in ("name", "short_name"):
        if name not in errors and _taken(name, values[name], agency):
            errors[name] = _("Another agency already uses this.")
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)
    with committed():
        if agency is None:
            agency = Agency(**values)
            db.session.add(agency)
        else:
            for name, value in values.items():
                setattr(agency, name, value)
    return agency


def _taken(column: str, value: str, own: Agency | None) -> bool:
    attribute = getattr(Agency, column)
    query = select(Agency.id).where(func.lower(attribute) == value.lower())
    if own is not None:
        query = query.where(Agency.id != own.id)
    return db.session.scalar(query) is not None
