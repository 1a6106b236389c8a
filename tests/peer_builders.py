"""Benchmarked clusters with known answers, for the report's peer statistics: rows
written directly (a delivered report and its values), without walking the workflow,
so each write rebuilds the peer snapshot as the workflow's steps would refresh it."""

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
from certtrack.services import peer_snapshot
from tests.builders import ELIGIBLE_PROFILE, Cast, make_cast


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
    db.session.flush()
    peer_snapshot.rebuild()
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
    db.session.flush()
    peer_snapshot.rebuild()
    db.session.commit()
    return label


SECTOR = "Shipbuilding and maritime technologies"  # the cast's cluster's sector
# Six peers: B01 (count, up), B03 (percent, neutral), B08 (scale 0-4, up); B07 only three.
PEERS = [
    # name, country, sector, B01, B03, B08, label held
    ("P1", "IT", SECTOR, 10, 50, 0, (Level.SILVER, LabelStatus.VALID)),
    ("P2", "IT", SECTOR, 20, 60, 1, (Level.SILVER, LabelStatus.VALID)),
    ("P3", "IT", SECTOR, 30, 70, 1, (Level.SILVER, LabelStatus.VALID)),
    ("P4", "IT", SECTOR, 40, 80, 2, (Level.GOLD, LabelStatus.LAPSED)),  # grace year: live
    ("P5", "IT", "Agri-food", 50, 90, 3, (Level.SILVER, LabelStatus.EXPIRED)),  # not live
    ("P6", "AT", SECTOR, 60, 100, 4, None),
]
OWN = {"B01": 45, "B03": 70, "B08": 2, "B07": 3, "B13": 150000}
PEER_BUDGETS = [111111 * (i + 1) + 7 for i in range(len(PEERS))]
PEER_COMMENT = "peer-comment-marker"


def build(extra_peers: int = 0) -> tuple[Cast, Application]:
    """The cast's cluster with a delivered Silver (and its Bronze before), the six peers
    (with noise that must not count), and `extra_peers` more peers in another country."""
    cast = make_cast()
    benchmarked(
        cast.cluster,
        {"B01": 5, "B03": 80, "B08": 2},
        state=State.UPGRADED,
        delivered=datetime(2024, 3, 1, 10),
    )
    own = benchmarked(
        cast.cluster,
        OWN,
        level=Level.SILVER,
        consultant=cast.consultant,
        comments={"B01": "Counted from the member register"},
    )
    for i, (name, country, sector, b01, b03, b08, label) in enumerate(PEERS):
        cluster = peer_cluster(cast.agency, name, country=country, sector=sector)
        # B13: budgets no page or answer may show (the individual values of peers).
        values = {"B01": b01, "B03": b03, "B08": b08, "B13": PEER_BUDGETS[i]}
        if i < 3:
            values["B07"] = i + 1
        if name == "P1":  # an older benchmarking: only the latest counts
            benchmarked(
                cluster, {"B01": 1000}, state=State.UPGRADED, delivered=datetime(2024, 1, 5)
            )
        latest = benchmarked(
            cluster,
            values,
            comments={"B01": f"{PEER_COMMENT}-{name}"},
            level=Level.SILVER if name == "P1" else Level.BRONZE,
            state=State.RENEWED if name == "P2" else State.FOLLOW_UP,
        )
        if name == "P2":  # a draft still under review does not count
            benchmarked(cluster, {"B01": 999}, state=State.CONSULTANT_REVIEW, delivered=None)
        if label:
            hold_label(latest, *label)
    for i in range(extra_peers):
        cluster = peer_cluster(cast.agency, f"Extra {i}", country="FR", sector="Other")
        benchmarked(cluster, {"B01": 35, "B03": 75, "B08": 2})
    return cast, own
