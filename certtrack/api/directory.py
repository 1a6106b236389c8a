"""Agencies, clusters, users, consultants and the indicator definitions."""

from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from certtrack.api import serialise
from certtrack.api.core import (
    PAGE,
    authenticated,
    bp,
    caller,
    enum_arg,
    enum_param,
    id_param,
    int_arg,
    json_body,
    operation,
    page_args,
    paginate,
    require_role,
    sort_param,
)
from certtrack.extensions import db
from certtrack.models import Agency, Cluster, IndicatorDefinition, Level, MemberType, Role, User
from certtrack.services import access, portfolio
from certtrack.services.clusters import update_cluster
from certtrack.workflow import requirements
from certtrack.workflow.errors import InvalidParams

PROFILE = {
    "name": ("string", False),
    "country": ("string", False),
    "region": ("string", False),
    "sector": ("string", False),
    "website": ("string", False),
    "website_in_english": ("boolean", False),
    "eccp_listed": ("boolean", False),
    "staff_fte": ("string", False),
    "committed_members": ("integer", False),
    "member_types": ("array", False, [m.value for m in MemberType]),
    "description": ("string", False),
}


@bp.get("/agencies")
@operation(
    "GET",
    summary="Agencies",
    tag="directory",
    query=[*PAGE, sort_param("name", "id")],
    responses={200: "AgencyPage"},
)
@authenticated
def list_agencies() -> dict[str, Any]:
    limit, offset, order = page_args({"name": Agency.name, "id": Agency.id}, "name")
    return paginate(select(Agency), limit, offset, order, serialise.agency)


@bp.get("/clusters")
@operation(
    "GET",
    summary="Clusters the caller may see",
    tag="directory",
    query=[
        *PAGE,
        sort_param("name", "id"),
        id_param("agency"),
        {"name": "country", "schema": {"type": "string"}},
        {"name": "q", "schema": {"type": "string"}},
    ],
    responses={200: "ClusterPage"},
)
@authenticated
def list_clusters() -> dict[str, Any]:
    limit, offset, order = page_args({"name": Cluster.name, "id": Cluster.id}, "name")
    query = select(Cluster).where(access.cluster_filter(caller()))
    if (agency_id := int_arg("agency")) is not None:
        query = query.where(Cluster.agency_id == agency_id)
    if country := request.args.get("country"):
        query = query.where(Cluster.country == country.upper())
    if search := request.args.get("q"):
        query = query.where(func.lower(Cluster.name).contains(search.lower(), autoescape=True))
    return paginate(query, limit, offset, order, serialise.cluster)


@bp.get("/clusters/<int:cluster_id>")
@operation(
    "GET",
    summary="A cluster and its profile",
    tag="directory",
    responses={200: "Cluster", 403: "Error", 404: "Error"},
)
@authenticated
def get_cluster(cluster_id: int) -> dict[str, Any]:
    return serialise.cluster(access.get_cluster(caller(), cluster_id))


@bp.patch("/clusters/<int:cluster_id>")
@operation(
    "PATCH",
    summary="Change a cluster's profile",
    tag="directory",
    body=PROFILE,
    responses={200: "Cluster", 403: "Error", 404: "Error", 422: "Error"},
)
@authenticated
def patch_cluster(cluster_id: int) -> dict[str, Any]:
    cluster = access.get_cluster(caller(), cluster_id)
    update_cluster(cluster, caller(), json_body())
    return serialise.cluster(cluster)


@bp.get("/users")
@operation(
    "GET",
    summary="Accounts (admins)",
    tag="directory",
    query=[
        *PAGE,
        sort_param("name", "id"),
        enum_param("role", Role),
    ],
    responses={200: "UserPage", 403: "Error"},
)
@authenticated
def list_users() -> dict[str, Any]:
    require_role(Role.ADMIN)
    limit, offset, order = page_args({"name": User.name, "id": User.id}, "name")
    query = select(User)
    if role := enum_arg("role", Role):
        query = query.where(User.role == role)
    return paginate(query, limit, offset, order, serialise.user)


@bp.get("/users/<int:user_id>")
@operation(
    "GET",
    summary="An account (admins)",
    tag="directory",
    responses={200: "User", 403: "Error", 404: "Error"},
)
@authenticated
def get_user(user_id: int) -> dict[str, Any]:
    require_role(Role.ADMIN)
    return serialise.user(db.get_or_404(User, user_id))


@bp.get("/consultants")
@operation(
    "GET",
    summary="Active consultants and their reviews under way (coordinators, admins)",
    tag="directory",
    responses={200: "ConsultantList", 403: "Error"},
)
@authenticated
def list_consultants() -> dict[str, Any]:
    require_role(Role.COORDINATOR, Role.ADMIN)
    return {
        "items": [
            serialise.consultant(user, load) for user, load in portfolio.consultants_with_workload()
        ]
    }


@bp.get("/indicators")
@operation(
    "GET",
    summary="The indicators a level's assessment records",
    tag="directory",
    query=[{**enum_param("level", Level), "required": True}],
    responses={200: "IndicatorList", 422: "Error"},
)
@authenticated
def list_indicators() -> dict[str, Any]:
    level = enum_arg("level", Level)
    if level is None:
        raise InvalidParams(_("The request is not valid."), {"level": _("This field is required.")})
    definitions: list[IndicatorDefinition] = requirements.definitions_for(level)
    return {"level": level.value, "items": [serialise.indicator(d) for d in definitions]}
