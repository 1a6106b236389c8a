"""Who may see what. One set of rules for the web pages, the API, exports and feeds:
a manager sees their own cluster, a coordinator the clusters of their agency, a
consultant the applications assigned to them (and those clusters), an admin everything.

Each rule comes twice: as a SQL filter for lists (bounded queries whatever the data
size) and as a check on one loaded row."""

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import joinedload

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Cluster,
    Document,
    OutboxMessage,
    OutboxStatus,
    Recommendation,
    Role,
    User,
)
from certtrack.workflow import permissions
from certtrack.workflow.errors import ForbiddenForRole, NotFound


def cluster_filter(user: User) -> ColumnElement[bool]:
    """WHERE clause on Cluster for the clusters `user` may see."""
    if not user.active:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        return Cluster.agency_id == user.agency_id
    if user.role == Role.MANAGER:
        return Cluster.id == user.cluster_id
    assigned = select(Application.cluster_id).where(Application.consultant_id == user.id)
    return Cluster.id.in_(assigned)


def application_filter(user: User, cluster_joined: bool = False) -> ColumnElement[bool]:
    """WHERE clause on Application for the applications `user` may see. With
    `cluster_joined` (the query joins Application.cluster) a coordinator's agency is
    checked on each row's cluster: a query that reads an index in order up to a limit
    stops there, instead of first listing every cluster of the agency."""
    if not user.active:
        return false()
    if user.role == Role.ADMIN:
        return true()
    if user.role == Role.COORDINATOR:
        if cluster_joined:
            return Cluster.agency_id == user.agency_id
        agency_clusters = select(Cluster.id).where(Cluster.agency_id == user.agency_id)
        return Application.cluster_id.in_(agency_clusters)
    if user.role == Role.MANAGER:
        return Application.cluster_id == user.cluster_id
    return Application.consultant_id == user.id


def can_view_cluster(user: User, cluster: Cluster) -> bool:
    if not user.active:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.COORDINATOR:
        return cluster.agency_id == user.agency_id
    if user.role == Role.MANAGER:
        return cluster.id == user.cluster_id
    query = select(Application.id).where(
        Application.cluster_id == cluster.id, Application.consultant_id == user.id
    )
    return db.session.scalar(query.limit(1)) is not None


def can_view_application(user: User, application: Application) -> bool:
    return user.active and scope_refusal(user, application) is None


def scope_refusal(user: User, application: Application) -> str | None:
    """Why the user's role does not reach this application (their own cluster, their
    agency's clusters, the applications assigned to them), or None."""
    if user.role == Role.MANAGER and user.cluster_id != application.cluster_id:
        return _("You manage another cluster.")
    if user.role == Role.COORDINATOR and user.agency_id != application.cluster.agency_id:
        return _("This cluster belongs to another agency.")
    if user.role == Role.CONSULTANT and user.id != application.consultant_id:
        return _("Only the consultant assigned to this application may do this.")
    return None


def cluster_scope_refusal(user: User, cluster: Cluster) -> str | None:
    """The same for a cluster as a whole (its profile, its applications)."""
    if user.role == Role.MANAGER and user.cluster_id != cluster.id:
        return _("You manage another cluster.")
    if user.role == Role.COORDINATOR and user.agency_id != cluster.agency_id:
        return _("This cluster belongs to another agency.")
    if user.role == Role.CONSULTANT:
        return _("A consultant reaches a cluster only through the applications assigned.")
    return None


def can_edit_cluster(user: User, cluster: Cluster) -> bool:
    """Running the cluster (starting its applications, inviting its managers): its
    manager, a coordinator of its agency, an admin."""
    return user.active and cluster_scope_refusal(user, cluster) is None


def get_cluster(user: User, cluster_id: int) -> Cluster:
    """The cluster, or NotFound (404) / ForbiddenForRole (403)."""
    cluster = db.session.get(Cluster, cluster_id)
    if cluster is None:
        raise NotFound(_("No cluster %(id)s.", id=cluster_id))
    if not can_view_cluster(user, cluster):
        raise ForbiddenForRole(_("You may not see this cluster."))
    return cluster


def get_application(user: User, application_id: int) -> Application:
    """The application, or NotFound (404) / ForbiddenForRole (403)."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound(_("No application %(id)s.", id=application_id))
    if not can_view_application(user, application):
        raise ForbiddenForRole(_("You may not see this application."))
    return application


def get_recommendation(user: User, recommendation_id: int) -> Recommendation:
    """The recommendation, or NotFound (404) / ForbiddenForRole (403) as its application."""
    recommendation = db.session.get(
        Recommendation, recommendation_id, options=[joinedload(Recommendation.report)]
    )
    if recommendation is None:
        raise NotFound(_("No recommendation %(id)s.", id=recommendation_id))
    get_application(user, recommendation.report.application_id)
    return recommendation


def get_document(user: User, document_id: int) -> Document:
    """The document, or NotFound (404) / ForbiddenForRole (403) as its application; a
    file of an internal note is not found by those who do not read the note."""
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_("No document %(id)s.", id=document_id))
    get_application(user, document.application_id)
    if not permissions.reads_document(user, document):
        raise NotFound(_("No document %(id)s.", id=document_id))
    return document


def own_messages(user: User) -> Select[OutboxMessage]:
    """The messages that concern `user` (not the cancelled ones)."""
    return select(OutboxMessage).where(
        OutboxMessage.recipient_id == user.id, OutboxMessage.status != OutboxStatus.CANCELLED
    )


def failed_messages(user: User) -> Select[OutboxMessage]:
    """Failed messages `user` may see and retry: an admin all of them, a coordinator
    those to their agency's people, clusters and applications."""
    query = (
        select(OutboxMessage)
        .join(OutboxMessage.recipient)
        .where(OutboxMessage.status == OutboxStatus.FAILED)
    )
    if user.role == Role.COORDINATOR:
        query = query.where(
            or_(
                User.agency_id == user.agency_id,
                User.cluster_id.in_(select(Cluster.id).where(cluster_filter(user))),
                OutboxMessage.application_id.in_(
                    select(Application.id).where(application_filter(user))
                ),
            )
        )
    return query
