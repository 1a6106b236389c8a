"""Test data built through the real models and services."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    AuditEntry,
    Cluster,
    IndicatorKind,
    Label,
    Level,
    Role,
    User,
)
from certtrack.services import applications, benchmarking
from certtrack.services.users import hash_password
from certtrack.workflow import requirements

ELIGIBLE_PROFILE: dict[str, Any] = {
    "country": "IT",
    "region": "Friuli Venezia Giulia",
    "sector": "Shipbuilding and maritime technologies",
    "website": "https://example.org/cluster",
    "website_in_english": True,
    "eccp_listed": True,
    "staff_fte": Decimal("2.50"),
    "committed_members": 42,
    "member_types": ["research", "sme", "university"],
}
PASSWORD = "correct horse battery"


def add_agency(name: str = "Informest", short_name: str = "INF") -> Agency:
    agency = Agency(name=name, short_name=short_name, country="IT", region="Friuli Venezia Giulia")
    db.session.add(agency)
    db.session.commit()
    return agency


def add_cluster(agency: Agency, name: str = "DITENAVE", **profile: Any) -> Cluster:
    cluster = Cluster(agency_id=agency.id, name=name, **{**ELIGIBLE_PROFILE, **profile})
    db.session.add(cluster)
    db.session.commit()
    return cluster


def add_user(role: Role, email: str, **fields: Any) -> User:
    user = User(
        role=role,
        email=email,
        name=fields.pop("name", email.split("@")[0].replace(".", " ").title()),
        password_hash=hash_password(PASSWORD),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


@dataclass
class Cast:
    """Everyone a test needs: the people of one cluster and agency, and outsiders."""

    agency: Agency
    cluster: Cluster
    manager: User
    coordinator: User
    consultant: User
    second_consultant: User
    admin: User
    other_cluster: Cluster
    other_manager: User
    other_coordinator: User


def make_cast() -> Cast:
    agency = add_agency()
    other_agency = add_agency("CzechInvest", "CZI")
    cluster = add_cluster(agency)
    other_cluster = add_cluster(other_agency, "Moravian Engineering Cluster", country="CZ")
    return Cast(
        agency=agency,
        cluster=cluster,
        manager=add_user(Role.MANAGER, "manager@ditenave.example", cluster_id=cluster.id),
        coordinator=add_user(Role.COORDINATOR, "coord@informest.example", agency_id=agency.id),
        consultant=add_user(
            Role.CONSULTANT, "anna@experts.example", country="DE", languages=["en", "de"]
        ),
        second_consultant=add_user(
            Role.CONSULTANT, "luis@experts.example", country="ES", languages=["en", "es"]
        ),
        admin=add_user(Role.ADMIN, "admin@certtrack.example"),
        other_cluster=other_cluster,
        other_manager=add_user(
            Role.MANAGER, "manager@moravian.example", cluster_id=other_cluster.id
        ),
        other_coordinator=add_user(
            Role.COORDINATOR, "coord@czechinvest.example", agency_id=other_agency.id
        ),
    )


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0))


def full_review(level: Level, *, passing: bool = True) -> dict[str, Any]:
    """Benchmarking data that completes a review of `level` (Gold and Silver pass when
    `passing`)."""
    values: dict[str, Any] = {}
    for definition in requirements.definitions_for(level):
        if definition.kind == IndicatorKind.BENCHMARK:
            values[definition.code] = f"Answer for {definition.code}"
        elif definition.kind == IndicatorKind.BASELINE:
            values[definition.code] = passing
        else:
            assert definition.max_score is not None and definition.threshold is not None
            values[definition.code] = definition.max_score if passing else definition.threshold
    data: dict[str, Any] = {
        "values": values,
        "summary": "The cluster management is solid; services need a sharper focus.",
        "recommendations": [
            {"title": "Write a three-year strategy", "priority": "high", "owner": "Board"},
            {"title": "Survey member satisfaction yearly", "priority": "medium"},
        ],
    }
    if level == Level.SILVER:
        data["improvement_areas"] = [
            {"title": f"Area {i}", "effect": f"Measured effect {i}"} for i in (1, 2, 3)
        ]
    return data


class Journey:
    """Walks one cluster's applications through the workflow with the real services."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    @property
    def application(self) -> Application:
        query = (
            select(Application)
            .where(Application.cluster_id == self.cast.cluster.id)
            .order_by(Application.id.desc())
        )
        application = db.session.scalars(query).first()
        assert application is not None
        return application

    def start(self, level: Level = Level.BRONZE, day: date = date(2014, 6, 2)) -> Application:
        return applications.open_application(
            self.cast.cluster, level, self.cast.manager, now=at(day)
        )

    def fire(self, event: str, actor: User | None, day: date, **params: Any) -> AuditEntry:
        return applications.fire(self.application, event, actor, today=day, now=at(day), **params)

    def review(self, day: date, interview: date, consultant: User | None = None, **kw: Any) -> None:
        benchmarking.save_benchmarking(
            self.application,
            consultant or self.cast.consultant,
            today=day,
            interview_date=interview,
            **full_review(self.application.level, **kw),
        )

    def to_review(self, day: date, consultant: User | None = None) -> None:
        """Submit and assign (the application must be a draft)."""
        cast = self.cast
        self.fire("submit", cast.manager, day)
        self.fire(
            "assign_consultant",
            cast.coordinator,
            day,
            consultant_id=(consultant or cast.consultant).id,
        )

    def to_label(
        self, interview: date, consultant: User | None = None, issue_day: date | None = None
    ) -> Label:
        """From draft to label_issued: submitted a month before the interview, report
        delivered and label issued after it."""
        consultant = consultant or self.cast.consultant
        self.to_review(interview.replace(day=1), consultant)
        day = issue_day or interview
        self.review(day, interview, consultant)
        self.fire("deliver_report", consultant, day)
        self.fire("issue_label", self.cast.coordinator, day)
        label = self.application.label
        assert label is not None
        return label


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read on a fresh connection: proof of what was written."""
    with db.engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(table.select()).all(), key=repr)
            for table in db.metadata.sorted_tables
        }
