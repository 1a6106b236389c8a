"""Starting applications and firing workflow events on them."""

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from certtrack.extensions import db
from certtrack.models import (
    CLOSED_STATES,
    Application,
    AuditEntry,
    Cluster,
    IndicatorValue,
    Level,
    Recommendation,
    Report,
    User,
)
from certtrack.models.base import utcnow
from certtrack.services import access
from certtrack.services.transaction import committed
from certtrack.workflow import engine, permissions
from certtrack.workflow.effects import create_application
from certtrack.workflow.errors import ForbiddenForRole, NotAllowedInState, StaleVersion
from certtrack.workflow.policy import Policy


def open_application(
    cluster: Cluster, level: Level, actor: User, *, now: datetime | None = None
) -> Application:
    """Start a draft application for `cluster`. Its manager, a coordinator of its agency
    or an admin may; a cluster runs one process at a time."""
    if not access.can_edit_cluster(actor, cluster):
        raise ForbiddenForRole(
            _("You may not start an application for %(name)s.", name=cluster.name)
        )
    current = open_application_of(cluster.id)
    if current is not None:
        raise NotAllowedInState(
            _(
                "%(name)s already has application #%(id)s in state %(state)s.",
                name=cluster.name,
                id=current.id,
                state=current.state.value,
            )
        )
    with committed():
        application = create_application(cluster.id, level, actor, now or utcnow())
    return application


def with_everything(application_id: int, history: bool = True) -> Application:
    """The application with all its page and its API representation show, in a fixed
    number of queries, fresh from the database; without its `history` for the page,
    which pages it (history_query)."""
    options = [
        joinedload(Application.cluster),
        joinedload(Application.consultant),
        joinedload(Application.label),
        joinedload(Application.previous),
        selectinload(Application.improvement_areas),
        selectinload(Application.indicator_values).joinedload(IndicatorValue.indicator),
        joinedload(Application.report)
        .selectinload(Report.recommendations)
        .selectinload(Recommendation.notes),
    ]
    if history:
        options.append(selectinload(Application.history).joinedload(AuditEntry.actor))
    return db.session.scalars(
        select(Application)
        .where(Application.id == application_id)
        .options(*options)
        .execution_options(populate_existing=True)
    ).one()


def history_query(user: User, *where: ColumnElement[bool]) -> Select[AuditEntry]:
    """The steps `user` reads of the applications `where` names (among those the user
    sees), newest first, with who took them and their application: for a page of them."""
    return (
        select(AuditEntry)
        .join(AuditEntry.application)
        .where(*where, access.application_filter(user), permissions.history_read(user))
        .options(joinedload(AuditEntry.actor), contains_eager(AuditEntry.application))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


def open_application_of(cluster_id: int) -> Application | None:
    query = select(Application).where(
        Application.cluster_id == cluster_id, Application.state.not_in(CLOSED_STATES)
    )
    return db.session.scalar(query)


def fire(
    application: Application,
    event: str,
    actor: User | None,
    *,
    today: date,
    now: datetime | None = None,
    policy: Policy | None = None,
    expected_version: int | None = None,
    **params: Any,
) -> AuditEntry:
    """Apply one workflow event and commit it. `expected_version` (an HTTP If-Match)
    refuses the step when the caller looked at an older version."""
    check_version(application, expected_version)
    with committed():
        entry = engine.apply(
            application, event, actor, today=today, now=now, policy=policy, **params
        )
    return entry


def check_version(application: Application, expected_version: int | None) -> None:
    """Refuse (412) a change made on a page or a read older than the application."""
    if expected_version is not None and expected_version != application.version:
        raise StaleVersion(
            _(
                "The application changed since you loaded it (version %(have)s, now %(now)s).",
                have=expected_version,
                now=application.version,
            )
        )
