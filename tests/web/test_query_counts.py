"""Pages run a fixed number of SQL statements whatever the amount of data: each page is
counted with a small portfolio and with one ten times larger, and the counts must match."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from certtrack import create_app
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Agency, Application, Cluster, Level, Role, State, User
from certtrack.services.recommendations import update_recommendation
from certtrack.services.time_events import run_time_events
from certtrack.statements import recorded
from tests.builders import ELIGIBLE_PROFILE, PASSWORD, add_user
from tests.conftest import empty_tables
from tests.web.conftest import sign_in

TODAY = date(2026, 11, 25)


@contextmanager
def fresh_app(database_url: str) -> Iterator[Flask]:
    """An app on the test database, emptied afterwards (each size gets its own data)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            empty_tables()
            db.engine.dispose()


def portfolio(app: Flask, size: int) -> None:
    """`size` clusters of one agency in a mix of states, with their people."""
    with app.app_context():
        agency = Agency(name="Informest", short_name="INF", country="IT", region="FVG")
        db.session.add(agency)
        db.session.commit()
        coordinator = add_user(Role.COORDINATOR, "coord@informest.example", agency_id=agency.id)
        consultants = [
            add_user(Role.CONSULTANT, f"expert{i}@x.example") for i in range(max(2, size // 3))
        ]
        add_user(Role.ADMIN, "admin@x.example")
        for i in range(size):
            cluster = Cluster(agency_id=agency.id, name=f"Cluster {i:03d}", **ELIGIBLE_PROFILE)
            db.session.add(cluster)
            db.session.commit()
            manager = add_user(Role.MANAGER, f"manager{i}@x.example", cluster_id=cluster.id)
            story = Story(cluster, manager, coordinator)
            interview = TODAY - timedelta(days=100 + 40 * i)
            story.start(Level.BRONZE, interview - timedelta(days=40))
            if i % 3 == 0:
                story.to_label(consultants[i % 2], interview)
                story.fire("start_follow_up", manager, interview + timedelta(days=10))
                rec = story.application.report.recommendations[0]
                update_recommendation(
                    rec,
                    manager,
                    today=interview + timedelta(days=20),
                    status="in_progress",
                    note="Started",
                )
            elif i % 3 == 1:
                story.submit_and_assign(consultants[i % 2], TODAY - timedelta(days=i))
            else:
                story.fire("submit", manager, TODAY - timedelta(days=i))
        run_time_events(TODAY)


def long_history(app: Flask, cycles: int) -> None:
    """One cluster renewed `cycles` times, each label with its report and follow-up."""
    with app.app_context():
        agency = Agency(name="Informest", short_name="INF", country="IT", region="FVG")
        db.session.add(agency)
        db.session.commit()
        coordinator = add_user(Role.COORDINATOR, "coord@informest.example", agency_id=agency.id)
        experts = [add_user(Role.CONSULTANT, f"expert{i}@x.example") for i in range(2)]
        cluster = Cluster(agency_id=agency.id, name="DITENAVE", **ELIGIBLE_PROFILE)
        db.session.add(cluster)
        db.session.commit()
        manager = add_user(Role.MANAGER, "manager0@x.example", cluster_id=cluster.id)
        story = Story(cluster, manager, coordinator)
        interview = date(2000, 3, 10)
        story.start(Level.BRONZE, interview - timedelta(days=40))
        for cycle in range(cycles):
            story.to_label(experts[cycle % 2], interview)
            story.fire("start_follow_up", manager, interview + timedelta(days=10))
            for rec in story.application.report.recommendations:
                update_recommendation(
                    rec, manager, today=interview + timedelta(days=30), status="done", note="Done"
                )
            renew = interview + timedelta(days=600)
            story.advance(renew)
            story.fire("renew", manager, renew)
            interview = renew + timedelta(days=40)


def statements_for(app: Flask, email: str, urls: list[str]) -> dict[str, int]:
    client = app.test_client()
    sign_in(client, email, PASSWORD)
    with app.app_context():
        engine = db.engine
    counts = {}
    for url in urls:
        with recorded(engine) as statements:
            response = client.get(url, follow_redirects=False)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(statements)
    return counts


def first_id(app: Flask, model: type, **where: object) -> int:
    with app.app_context():
        return db.session.scalar(select(model.id).filter_by(**where).order_by(model.id))


STAFF_PAGES = [
    "/dashboard",
    "/board",
    "/board?level=bronze&q=cluster",
    "/clusters",
    "/expiring",
    "/admin/users",
]


def test_staff_pages_do_not_grow_with_the_portfolio(migrated, frozen):
    measured = []
    for size in (3, 30):
        with fresh_app(migrated) as app:
            portfolio(app, size)
            waiting = first_id(app, Application, state=State.SUBMITTED)
            pages = [*STAFF_PAGES[:-1], f"/applications/{waiting}/assign"]
            counts = statements_for(app, "coord@informest.example", pages)
            counts["assign"] = counts.pop(pages[-1])
            counts.update(statements_for(app, "admin@x.example", STAFF_PAGES[-1:]))
            expert = first_id(app, User, email="expert1@x.example")
            assert expert
            counts.update(
                {
                    "consultant": statements_for(app, "expert1@x.example", ["/dashboard"])[
                        "/dashboard"
                    ]
                }
            )
            measured.append(counts)
    small, large = measured
    assert small == large
    assert max(small.values()) <= 12, small


def test_cluster_and_application_pages_do_not_grow_with_history(migrated, frozen):
    measured = []
    for cycles in (1, 10):
        with fresh_app(migrated) as app:
            long_history(app, cycles)
            cluster = first_id(app, Cluster, name="DITENAVE")
            with app.app_context():
                latest = db.session.get(Cluster, cluster).applications[-1].previous_id
            measured.append(
                statements_for(
                    app, "manager0@x.example", [f"/clusters/{cluster}", f"/applications/{latest}"]
                )
            )
    small, large = measured
    assert list(small.values()) == list(large.values())
    assert max(small.values()) <= 15, small
