"""Agencies, clusters, users, consultants and the indicator definitions."""

from typing import Any

from sqlalchemy import func, select

from certtrack.api.core import (
    bp,
    caller,
    page_of,
    page_query,
    paginate,
    query,
    refusals,
    require_role,
    takes_json,
)
from certtrack.api.schemas import (
    AgencySchema,
    ClusterSchema,
    ConsultantListSchema,
    IndicatorListSchema,
    ProfileSchema,
    UserSchema,
)
from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Level, Role, User
from certtrack.schemas import Choice, Query, Text, WholeNumber
from certtrack.services import access, portfolio
from certtrack.services.clusters import update_cluster
from certtrack.workflow import requirements

TAGS = ["directory"]
AGENCY_SORTS = {"name": Agency.name, "id": Agency.id}
CLUSTER_SORTS = {"name": Cluster.name, "id": Cluster.id}
USER_SORTS = {"name": User.name, "id": User.id}


@bp.get("/agencies", tags=TAGS)
@query(page_query(AGENCY_SORTS, "name"))
@bp.response(200, page_of(AgencySchema))
def list_agencies(args: dict[str, Any]) -> Any:
    """Agencies"""
    return paginate(select(Agency), args, AGENCY_SORTS)


@bp.get("/clusters", tags=TAGS)
@query(page_query(CLUSTER_SORTS, "name", agency=WholeNumber(text=True), country=Text(), q=Text()))
@bp.response(200, page_of(ClusterSchema))
def list_clusters(args: dict[str, Any]) -> Any:
    """Clusters the caller may see"""
    found = select(Cluster).where(access.cluster_filter(caller()))
    if (agency_id := args.get("agency")) is not None:
        found = found.where(Cluster.agency_id == agency_id)
    if country := args.get("country"):
        found = found.where(Cluster.country == country.upper())
    if search := args.get("q"):
        found = found.where(func.lower(Cluster.name).contains(search.lower(), autoescape=True))
    return paginate(found, args, CLUSTER_SORTS)


@bp.get("/clusters/<int:cluster_id>", tags=TAGS)
@bp.response(200, ClusterSchema)
@refusals(403, 404)
def get_cluster(cluster_id: int) -> Cluster:
    """A cluster and its profile"""
    return access.get_cluster(caller(), cluster_id)


@bp.patch("/clusters/<int:cluster_id>", tags=TAGS)
@takes_json(ProfileSchema)
@bp.response(200, ClusterSchema)
@refusals(403, 404)
def patch_cluster(body: dict[str, Any], cluster_id: int) -> Cluster:
    """Change a cluster's profile"""
    cluster = access.get_cluster(caller(), cluster_id)
    update_cluster(cluster, caller(), body)
    return cluster


@bp.get("/users", tags=TAGS)
@query(page_query(USER_SORTS, "name", role=Choice(Role)))
@bp.response(200, page_of(UserSchema))
@refusals(403)
def list_users(args: dict[str, Any]) -> Any:
    """Accounts (admins)"""
    require_role(Role.ADMIN)
    found = select(User)
    if role := args.get("role"):
        found = found.where(User.role == role)
    return paginate(found, args, USER_SORTS)


@bp.get("/users/<int:user_id>", tags=TAGS)
@bp.response(200, UserSchema)
@refusals(403, 404)
def get_user(user_id: int) -> User:
    """An account (admins)"""
    require_role(Role.ADMIN)
    return db.get_or_404(User, user_id)


@bp.get("/consultants", tags=TAGS)
@bp.response(200, ConsultantListSchema)
@refusals(403)
def list_consultants() -> dict[str, Any]:
    """Active consultants and their reviews under way (coordinators, admins)"""
    require_role(Role.COORDINATOR, Role.ADMIN)
    found = portfolio.consultants_with_workload()
    return {"items": [{"user": user, "open_reviews": load} for user, load in found]}


@bp.get("/indicators", tags=TAGS)
@query(Query.from_dict({"level": Choice(Level, required=True)}))
@bp.response(200, IndicatorListSchema)
def list_indicators(args: dict[str, Any]) -> dict[str, Any]:
    """The indicators a level's assessment records"""
    return {"level": args["level"], "items": requirements.definitions_for(args["level"])}
