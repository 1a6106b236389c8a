"""Creating clusters and keeping their profiles."""

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, MemberType, Role, User
from certtrack.models.base import MAX_INTEGER
from certtrack.services import peer_snapshot
from certtrack.services.transaction import committed
from certtrack.text import text_problem
from certtrack.workflow import permissions
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams
from certtrack.workflow.types import Thing

PROFILE_TEXT = {"name": 200, "region": 120, "sector": 200, "website": 300, "description": 10000}
PROFILE_FIELDS = (
    *PROFILE_TEXT,
    "country",
    "website_in_english",
    "eccp_listed",
    "staff_fte",
    "committed_members",
    "member_types",
)
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def create_cluster(agency: Agency, actor: User, data: Mapping[str, Any]) -> Cluster:
    """A coordinator of the agency, or an admin, registers a cluster."""
    if not _may_manage_agency(actor, agency):
        raise ForbiddenForRole(_("Only the agency's coordinators register its clusters."))
    cluster = Cluster(agency_id=agency.id, member_types=[])
    values = _validated(cluster, {**data}, required=("name", "country"))
    with committed():
        for name, value in values.items():
            setattr(cluster, name, value)
        db.session.add(cluster)
    return cluster


# The profile fields that decide a cluster's country and sector peer groups.
PEER_GROUPING_FIELDS = ("country", "sector")


def update_cluster(cluster: Cluster, actor: User, data: Mapping[str, Any]) -> None:
    """Edit the profile (who: the definition's profile rule). Only the fields present in
    `data` change."""
    refused = permissions.refusal(actor, cluster, Thing.PROFILE)
    if refused:
        raise refused
    values = _validated(cluster, data, required=())
    regrouped = any(
        values.get(name, getattr(cluster, name)) != getattr(cluster, name)
        for name in PEER_GROUPING_FIELDS
    )
    with committed():
        for name, value in values.items():
            setattr(cluster, name, value)
        if regrouped:
            db.session.flush()
            peer_snapshot.refresh_cluster(cluster.id)  # it now ranks among other peers


def _may_manage_agency(actor: User, agency: Agency) -> bool:
    if not actor.active:
        return False
    return actor.role == Role.ADMIN or (
        actor.role == Role.COORDINATOR and actor.agency_id == agency.id
    )


def _validated(
    cluster: Cluster, data: Mapping[str, Any], required: tuple[str, ...]
) -> dict[str, Any]:
    errors: dict[str, str] = {
        name: _("Unknown field.") for name in data if name not in PROFILE_FIELDS
    }
    values: dict[str, Any] = {}
    for name in required:
        if data.get(name) in (None, ""):
            errors[name] = _("This field is required.")
    for name, limit in PROFILE_TEXT.items():
        if name in data and name not in errors:
            value = data[name]
            if value is not None and not isinstance(value, str):
                errors[name] = _("Must be text.")
            elif value is not None and len(value.strip()) > limit:
                errors[name] = _("At most %(n)s characters.", n=limit)
            elif value is not None and (
                problem := text_problem(value, multiline=name == "description")
            ):
                errors[name] = problem
            else:
                values[name] = (value or "").strip() or None
    if values.get("website") and not URL.match(values["website"]):
        errors["website"] = _("Must be a web address starting with http:// or https://.")
    if "name" in data and "name" not in errors:
        if not values.get("name"):
            errors["name"] = _("This field is required.")
        elif _name_taken(values["name"], cluster.id):
            errors["name"] = _("Another cluster already has this name.")
    if "country" in data and "country" not in errors:
        country = data["country"]
        if not isinstance(country, str) or not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
            errors["country"] = _("Must be a two-letter country code (e.g. IT).")
        else:
            values["country"] = country.strip().upper()
    for name in ("website_in_english", "eccp_listed"):
        if name in data:
            if not isinstance(data[name], bool):
                errors[name] = _("Must be true or false.")
            else:
                values[name] = data[name]
    if "staff_fte" in data:
        _parse_number(data["staff_fte"], "staff_fte", Decimal, values, errors)
    if "committed_members" in data:
        _parse_number(data["committed_members"], "committed_members", int, values, errors)
    if "member_types" in data:
        types = data["member_types"]
        known = {m.value for m in MemberType}
        if not isinstance(types, list | tuple) or not all(
            isinstance(t, str) and t in known for t in types
        ):
            errors["member_types"] = _("Choose from: %(v)s.", v=", ".join(sorted(known)))
        else:
            values["member_types"] = sorted(set(types))
    if errors:
        raise InvalidParams(_("Some fields are not valid; nothing was saved."), errors)
    return values


def _parse_number(
    raw: Any, name: str, kind: type, values: dict[str, Any], errors: dict[str, str]
) -> None:
    if raw is None or raw == "":
        values[name] = None
        return
    try:
        if isinstance(raw, bool) or (kind is int and isinstance(raw, float)):
            raise ValueError
        number = kind(str(raw).strip())
        limit = 9999 if kind is Decimal else MAX_INTEGER
        if number < 0 or number > limit or (kind is Decimal and not number.is_finite()):
            raise ValueError
    except (ValueError, InvalidOperation):
        errors[name] = (
            _("Must be a whole number of at least 0.")
            if kind is int
            else _("Must be a number of at least 0.")
        )
        return
    values[name] = number


def _name_taken(name: str, own_id: int | None) -> bool:
    query = select(Cluster.id).where(func.lower(Cluster.name) == name.lower())
    if own_id is not None:
        query = query.where(Cluster.id != own_id)
    return db.session.scalar(query) is not None
