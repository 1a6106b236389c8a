"""Effects: what a step writes besides its new state and its audit row. They run in the
caller's transaction; nothing is committed or sent from here."""

from collections.abc import Callable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    LIVE_LABEL_STATUSES,
    Application,
    AuditEntry,
    Label,
    LabelStatus,
    Level,
    State,
    User,
)
from certtrack.services import peer_snapshot
from certtrack.workflow.dates import month_start, valid_until
from certtrack.workflow.types import Context, Effect


def create_application(
    cluster_id: int,
    level: Level,
    actor: User | None,
    now: datetime,
    previous: Application | None = None,
    comment: str | None = None,
) -> Application:
    """A new application in draft, with the audit row of its creation."""
    application = Application(
        cluster_id=cluster_id, level=level, state=State.DRAFT, state_entered_at=now
    )
    application.previous = previous
    db.session.add(application)
    db.session.flush()
    db.session.add(
        AuditEntry(
            application_id=application.id,
            event="create",
            from_state=None,
            to_state=State.DRAFT,
            actor_id=actor.id if actor else None,
            at=now,
            comment=comment,
            data={"previous_id": previous.id} if previous else {},
        )
    )
    return application


def assign_consultant(ctx: Context) -> None:
    ctx.application.consultant_id = ctx.params["consultant_id"]
    ctx.application.assigned_at = ctx.now


def mark_report_delivered(ctx: Context) -> None:
    report = ctx.application.report
    assert report is not None  # report_complete guarantees it
    report.delivered_at = ctx.now
    report.delivered_by_id = ctx.actor.id if ctx.actor else None
    db.session.flush()
    # The peers now compare against this benchmarking, in the same transaction.
    peer_snapshot.refresh_cluster(ctx.application.cluster_id)


def issue_label(ctx: Context) -> None:
    """Create the label and supersede the cluster's labels that it renews or upgrades."""
    app = ctx.application
    assert app.interview_date is not None
    replaced = list(
        db.session.scalars(
            select(Label).where(
                Label.cluster_id == app.cluster_id,
                Label.status.in_(LIVE_LABEL_STATUSES),
                Label.level.in_([lv for lv in Level if lv.rank <= app.level.rank]),
            )
        )
    )
    renewal = any(old.level == app.level for old in replaced)
    label = Label(
        cluster_id=app.cluster_id,
        application_id=app.id,
        level=app.level,
        number="pending",
        interview_month=month_start(app.interview_date),
        issued_on=ctx.today,
        valid_until=valid_until(app.interview_date, ctx.policy.validity_months(app.level, renewal)),
        status=LabelStatus.VALID,
    )
    db.session.add(label)
    db.session.flush()
    label.number = label_number(label, app.cluster.country)
    for old in replaced:
        old.status = LabelStatus.SUPERSEDED
        old.superseded_by_id = label.id
    db.session.flush()
    peer_snapshot.refresh_excellence()  # a Silver or Gold label joins the excellence group


def label_number(label: Label, country: str) -> str:
    """Public number, e.g. B-IT-2014-00007: level, country, year of the interview, id."""
    return f"{label.level.code}-{country.upper()}-{label.interview_month.year}-{label.id:05d}"


def set_label_status(status: LabelStatus) -> Effect:
    def effect(ctx: Context) -> None:
        label = ctx.application.label
        # A revoked or superseded label keeps that status; time only moves live ones.
        if label is not None and label.status in LIVE_LABEL_STATUSES:
            label.status = status

    effect.__name__ = f"set_label_{status.value}"
    return effect


def open_next_application(pick_level: Callable[[Level], Level | None]) -> Effect:
    def effect(ctx: Context) -> None:
        app = ctx.application
        level = pick_level(app.level)
        assert level is not None  # guarded by next_level_reachable
        create_application(
            app.cluster_id,
            level,
            ctx.actor,
            ctx.now,
            previous=app,
            comment=_("Follows application #%(id)s.", id=app.id),
        )

    effect.__name__ = f"open_next_application_{pick_level.__name__}"
    return effect


def same_level(level: Level) -> Level | None:
    return level


def next_level(level: Level) -> Level | None:
    return level.next
