"""Demo data: `flask seed-demo`. Idempotent: what exists is kept, what is missing is added;
a cluster that already has applications keeps its history."""

from datetime import date
from typing import Any

from sqlalchemy import select

from certtrack.clock import local_today
from certtrack.demo.data import AGENCIES, CLUSTERS, PASSWORD, PEOPLE, TARGETS, cluster_profile
from certtrack.demo.peers import seed_peers
from certtrack.demo.stories import STORIES
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Agency, Application, Cluster, ProgrammeTarget, User
from certtrack.services.clusters import create_cluster
from certtrack.services.time_events import run_time_events
from certtrack.services.users import create_user


def seed(today: date | None = None) -> list[str]:
    """Load the demo and return the lines to print (the demo logins)."""
    today = today or local_today()
    agencies = {a.short_name: a for a in _agencies()}
    admin = _person(PEOPLE[0], agencies, {})
    clusters = {row[0]: _cluster(row, agencies, admin) for row in CLUSTERS}
    people = {row[0]: _person(row, agencies, clusters) for row in PEOPLE}
    coordinators = {u.agency_id: u for u in people.values() if u.agency_id}

    told = 0
    for cluster_name, (manager_key, tell) in STORIES.items():
        cluster = clusters[cluster_name]
        if db.session.scalar(select(Application.id).where(Application.cluster_id == cluster.id)):
            continue
        story = Story(cluster, people[manager_key], coordinators[cluster.agency_id])
        tell(story, people, today)
        told += 1
    seed_peers(today, people, admin)
    _targets(agencies, today)
    run_time_events(today)
    return _logins(told, today)


def _targets(agencies: dict[str, Agency], today: date) -> None:
    """The demo agencies' programme targets, once (an agency with targets keeps its own)."""
    kept = set(db.session.scalars(select(ProgrammeTarget.agency_id)))
    for short_name, kind, level, number, years, month, day in TARGETS:
        agency = agencies[short_name]
        if agency.id in kept:
            continue
        db.session.add(
            ProgrammeTarget(
                agency_id=agency.id,
                kind=kind,
                level=level,
                number=number,
                due_on=date(today.year + years, month, day),
            )
        )
    db.session.commit()


def _agencies() -> list[Agency]:
    agencies = []
    for name, short_name, country, region, website in AGENCIES:
        agency = db.session.scalar(select(Agency).where(Agency.short_name == short_name))
        if agency is None:
            agency = Agency(
                name=name, short_name=short_name, country=country, region=region, website=website
            )
            db.session.add(agency)
            db.session.commit()
        agencies.append(agency)
    return agencies


def _cluster(row: tuple[Any, ...], agencies: dict[str, Agency], admin: User) -> Cluster:
    existing = db.session.scalar(select(Cluster).where(Cluster.name == row[0]))
    return existing or create_cluster(agencies[row[1]], admin, cluster_profile(row))


def _person(
    row: tuple[Any, ...], agencies: dict[str, Agency], clusters: dict[str, Cluster]
) -> User:
    _key, name, email, role, agency, cluster, country, languages, affiliation = row
    existing = db.session.scalar(select(User).where(User.email == email))
    # Italian clusters' managers and the Italian agency's coordinator read Italian; the
    # others choose theirs when they first sign in.
    home = clusters.get(cluster) if cluster else agencies.get(agency) if agency else None
    return existing or create_user(
        email=email,
        name=name,
        role=role,
        password=PASSWORD,
        agency=agencies.get(agency) if agency else None,
        cluster=clusters.get(cluster) if cluster else None,
        country=country,
        languages=languages,
        affiliation=affiliation,
        locale="it" if home is not None and home.country == "IT" else "",
    )


def _logins(told: int, today: date) -> list[str]:
    lines = [
        f"Demo data ready for {today.isoformat()} ({told} cluster stories added).",
        f"Every demo account uses the password: {PASSWORD}",
    ]
    for _key, name, email, role, agency, cluster, *_rest in PEOPLE:
        where = agency or cluster or ""
        lines.append(f"  {role:<12} {email:<40} {name} {('(' + where + ')') if where else ''}")
    return lines
