"""Test data built through the real models and services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from certtrack.demo.story import Story, at, sample_review
from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    Cluster,
    Label,
    LabelStatus,
    Level,
    Role,
    State,
    User,
)
from certtrack.services.users import hash_password

__all__ = ["PASSWORD", "Cast", "Journey", "at", "make_cast", "sample_review", "snapshot"]

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


def add_label(
    cluster: Cluster,
    number: str,
    level: Level,
    status: LabelStatus,
    valid_until: date,
    **fields: Any,
) -> Label:
    """A label of `cluster` in any status, on a closed application of its own."""
    application = Application(cluster_id=cluster.id, level=level, state=State.RENEWED)
    db.session.add(application)
    db.session.flush()
    interview = date(valid_until.year - 2, valid_until.month, 1)
    label = Label(
        cluster_id=cluster.id,
        application_id=application.id,
        level=level,
        number=number,
        interview_month=interview,
        issued_on=interview,
        valid_until=valid_until,
        status=status,
        **fields,
    )
    db.session.add(label)
    db.session.commit()
    return label


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


class Journey(Story):
    """A Story for the standard cast, with defaults that keep tests short."""

    def __init__(self, cast: Cast) -> None:
        super().__init__(cast.cluster, cast.manager, cast.coordinator)
        self.cast = cast

    def start(self, level: Level = Level.BRONZE, day: date = date(2014, 6, 2)) -> Application:
        return super().start(level, day)

    def to_review(self, day: date, consultant: User | None = None) -> None:
        self.submit_and_assign(consultant or self.cast.consultant, day)

    def to_label(  # type: ignore[override]
        self, interview: date, consultant: User | None = None, issued: date | None = None
    ) -> Label:
        return super().to_label(consultant or self.cast.consultant, interview, issued)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read on a fresh connection: proof of what was written."""
    with db.engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(table.select()).all(), key=repr)
            for table in db.metadata.sorted_tables
        }
