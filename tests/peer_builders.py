"""Benchmarked clusters with known answers, for the report's peer statistics: rows
written directly (a delivered report and its values), without walking the workflow."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    Cluster,
    IndicatorDefinition,
    IndicatorValue,
    Label,
    LabelStatus,
    Level,
    Report,
    State,
    User,
)
from tests.builders import ELIGIBLE_PROFILE


def indicator_ids() -> dict[str, int]:
    return dict(db.session.execute(select(IndicatorDefinition.code, IndicatorDefinition.id)).all())


def benchmarked(
    cluster: Cluster,
    values: dict[str, object],
    *,
    level: Level = Level.BRONZE,
    state: State = State.FOLLOW_UP,
    delivered: datetime | None = datetime(2026, 3, 1, 10),
    consultant: User | None = None,
    comments: dict[str, str] | None = None,
) -> Application:
    """An application of `cluster` with `values` (code -> number) and, unless
    `delivered` is None, a delivered report."""
    ids = indicator_ids()
    application = Application(
        cluster_id=cluster.id,
        level=level,
        state=state,
        consultant_id=consultant.id if consultant else None,
        interview_date=(delivered or datetime(2026, 3, 1)).date(),
    )
    application.report = Report(
        summary="Peer summary", delivered_at=delivered, delivered_by_id=None
    )
    for code, number in values.items():
        application.indicator_values.append(
            IndicatorValue(
                indicator_id=ids[code],
                number=Decimal(str(number)),
                comment=(comments or {}).get(code),
            )
        )
    db.session.add(application)
    db.session.commit()
    return application


def peer_cluster(
    agency: Agency, name: str, *, country: str = "IT", sector: str | None = None
) -> Cluster:
    profile = {**ELIGIBLE_PROFILE, "country": country}
    if sector is not None:
        profile["sector"] = sector
    cluster = Cluster(agency_id=agency.id, name=name, **profile)
    db.session.add(cluster)
    db.session.commit()
    return cluster


def hold_label(application: Application, level: Level, status: LabelStatus) -> Label:
    label = Label(
        cluster_id=application.cluster_id,
        application_id=application.id,
        level=level,
        number=f"{level.code}-X-{application.id:05d}",
        interview_month=date(2026, 3, 1),
        issued_on=date(2026, 3, 10),
        valid_until=date(2028, 2, 29),
        status=status,
    )
    db.session.add(label)
    db.session.commit()
    return label
