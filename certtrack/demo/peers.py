"""Benchmarked peers for the demo's reports: ten clusters of the Alpe-Adria area in the
sectors of DITENAVE and Consorzio AREA, half of them holding Silver, so that every peer
group of those two reports (all, same country, same sector, excellence) has at least
five clusters and a new user sees real charts. Walked through the real services like
the stories; a cluster that already has applications is left as it is."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.demo.stories import months_ago, name_improvement_areas
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Agency, Application, Cluster, Level, Role, User
from certtrack.services.clusters import create_cluster
from certtrack.services.users import create_user
from certtrack.workflow.dates import add_months

AGENCY = ("Alpe-Adria Cluster Agency", "AACA", "AT", "Alpe-Adria", None)
NAVAL = "Naval and nautical technologies"  # DITENAVE's sector
PARK = "Science and technology park"  # Consorzio AREA's sector
# name, country, region, sector, FTE, members, holds Silver
PEERS = [
    ("Adriatic Maritime Cluster", "HR", "Primorje-Gorski Kotar", NAVAL, "3.0", 52, True),
    ("Slovenian Maritime Cluster", "SI", "Obalno-kraska", NAVAL, "2.0", 38, True),
    ("Split Shipbuilding Cluster", "HR", "Split-Dalmatia", NAVAL, "1.5", 27, False),
    ("Koper Port Technologies Cluster", "SI", "Obalno-kraska", NAVAL, "1.0", 21, False),
    ("Carinthia Boat Builders", "AT", "Carinthia", NAVAL, "2.5", 33, False),
    ("Ljubljana Technology Park Cluster", "SI", "Central Slovenia", PARK, "5.0", 80, True),
    ("Graz Science Park Cluster", "AT", "Styria", PARK, "4.5", 66, True),
    ("Zagreb Innovation Park Cluster", "HR", "City of Zagreb", PARK, "3.5", 58, False),
    ("Maribor Science Park Cluster", "SI", "Podravje", PARK, "2.0", 31, False),
    ("Linz Technology Park Cluster", "AT", "Upper Austria", PARK, "6.0", 95, True),
]  # fmt: skip
CONSULTANTS = ("anna", "luis", "petr", "ioana", "sofia")


def seed_peers(today: date, people: dict[str, User], admin: User) -> int:
    """Add the peers that are missing; returns how many were walked through."""
    agency = _agency()
    coordinator = _person(
        "coordinator@alpe-adria.example", "Katrin Huber", Role.COORDINATOR, agency=agency
    )
    told = 0
    for i, (name, country, region, sector, fte, members, silver) in enumerate(PEERS):
        cluster = db.session.scalar(select(Cluster).where(Cluster.name == name))
        if cluster is None:
            cluster = create_cluster(
                agency, admin, _profile(name, country, region, sector, fte, members)
            )
        if db.session.scalar(select(Application.id).where(Application.cluster_id == cluster.id)):
            continue
        slug = name.lower().replace(" ", "-")
        manager = _person(
            f"manager@{slug}.example", f"Manager of {name}", Role.MANAGER, cluster=cluster
        )
        story = Story(cluster, manager, coordinator)
        first, second = (people[CONSULTANTS[(i + k) % len(CONSULTANTS)]] for k in (0, 1))
        if silver:
            bronze = months_ago(today, 30, days=3 * i)
            story.labelled(Level.BRONZE, first, bronze, started=40, follow_up=10)
            upgrade = add_months(bronze, 19)
            story.advance(upgrade)
            story.fire("upgrade", story.manager, upgrade)
            name_improvement_areas(story)
            story.to_label(second, add_months(upgrade, 2))
            story.fire(
                "start_follow_up", story.manager, add_months(upgrade, 2) + timedelta(days=10)
            )
        else:
            interview = months_ago(today, 8, days=5 * i)
            story.labelled(Level.BRONZE, first, interview, started=35, follow_up=12)
        told += 1
    return told


def _agency() -> Agency:
    name, short_name, country, region, website = AGENCY
    agency = db.session.scalar(select(Agency).where(Agency.short_name == short_name))
    if agency is None:
        agency = Agency(
            name=name, short_name=short_name, country=country, region=region, website=website
        )
        db.session.add(agency)
        db.session.commit()
    return agency


def _person(
    email: str,
    name: str,
    role: Role,
    agency: Agency | None = None,
    cluster: Cluster | None = None,
) -> User:
    existing = db.session.scalar(select(User).where(User.email == email))
    return existing or create_user(
        email=email, name=name, role=role, password=PASSWORD, agency=agency, cluster=cluster
    )


def _profile(
    name: str, country: str, region: str, sector: str, fte: str, members: int
) -> dict[str, object]:
    slug = name.lower().replace(" ", "-")
    return {
        "name": name,
        "country": country,
        "region": region,
        "sector": sector,
        "website": f"https://{slug}.example",
        "website_in_english": True,
        "eccp_listed": True,
        "staff_fte": Decimal(fte),
        "committed_members": members,
        "member_types": ["sme", "research", "large_company"],
    }
