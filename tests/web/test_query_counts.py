"""Pages run a fixed number of SQL statements and stay the same size whatever the amount
of data: each page is measured with a small portfolio and with one ten times larger, and
the statement counts, the rows shown and the size of the HTML must match."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from certtrack import create_app
from certtrack.demo.data import PASSWORD as SCALE_PASSWORD
from certtrack.demo.scale import seed_scale
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Agency, Application, AuditEntry, Cluster, Level, Role, State, User
from certtrack.services.recommendations import update_recommendation
from certtrack.services.time_events import run_time_events
from certtrack.statements import recorded
from tests.builders import ELIGIBLE_PROFILE, PASSWORD, add_user
from tests.database import empty_tables
from tests.web.conftest import sign_in

TODAY = date(2026, 11, 25)


@contextmanager
def fresh_app(database_url: str, **config: object) -> Iterator[Flask]:
    """An app on the test database, emptied afterwards (each size gets its own data)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **config)
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
    return {url: count for url, (count, _page) in measured_pages(app, email, urls).items()}


def measured_pages(
    app: Flask, email: str, urls: list[str], password: str = PASSWORD
) -> dict[str, tuple[int, str]]:
    """Each page's statement count and HTML, for the user signed in."""
    client = app.test_client()
    sign_in(client, email, password)
    with app.app_context():
        engine = db.engine
    pages = {}
    for url in urls:
        with recorded(engine) as statements:
            response = client.get(url, follow_redirects=False)
        assert response.status_code == 200, (url, response.status_code)
        pages[url] = (len(statements), response.get_data(as_text=True))
    return pages


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
    # 14: the dashboard is the day's first view, which also works out the day's medians
    # in stage, keeps them and forgets the days before (a later view reads them in one).
    assert max(small.values()) <= 14, small


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


# Small pages, so that the smaller portfolio already fills every list of every page.
SMALL_PAGES = {
    "CERTTRACK_PAGE_SIZE": 2,
    "CERTTRACK_BOARD_PAGE_SIZE": 5,
    "CERTTRACK_DASHBOARD_LIST_SIZE": 3,
}
BOUNDED_PAGES = {
    "coordinator1@scale.example": [
        "/dashboard",
        "/board",
        "/board?q=cluster&region=Region+1&submitted_page=2",
        "/clusters",
        "/clusters?page=2",
        "/expiring",
        "/expiring?within=180&page=2&lapsed_page=2",
        "/notifications",
        "/programme/1",
        "/programme/1.csv",
    ],
    "admin@scale.example": [
        "/dashboard",
        "/programme",
        "/programme.csv",
        "/board",
        "/clusters",
        "/expiring",
        "/admin/users",
        "/admin/users?page=3",
        "/notifications/failed",
    ],
}
ROW_MARKERS = ("<tr", "<article", 'class="list-group-item')  # pagers grow, boundedly


def scale_portfolio(app: Flask, clusters: int) -> None:
    """`clusters` clusters of one agency through `flask seed-scale`'s seeder (every
    state of the workflow, labels expiring and lapsed), the reviews under way stalled."""
    with app.app_context():
        seed_scale(clusters, labels_per_cluster=2, agencies=1, today=TODAY)
        db.session.execute(
            update(Application)
            .where(Application.state == State.CONSULTANT_REVIEW)
            .values(assigned_at=datetime(2026, 1, 5, 9, 0))
        )
        db.session.commit()


def test_pages_stay_the_same_size_with_ten_times_the_data(migrated, frozen):
    measured = []
    for clusters in (100, 1000):
        with fresh_app(migrated, **SMALL_PAGES) as app:
            scale_portfolio(app, clusters)
            pages = {}
            for email, urls in BOUNDED_PAGES.items():
                found = measured_pages(app, email, urls, SCALE_PASSWORD)
                pages.update({(email, url): page for url, page in found.items()})
            measured.append(pages)
    small, large = measured
    for key, (statements, html) in small.items():
        large_statements, large_html = large[key]
        assert statements == large_statements, (key, statements, large_statements)
        rows = {marker: html.count(marker) for marker in ROW_MARKERS}
        assert rows == {marker: large_html.count(marker) for marker in ROW_MARKERS}, key
        assert abs(len(large_html) - len(html)) <= 0.05 * len(html), (
            key,
            len(html),
            len(large_html),
        )
    # The smaller portfolio does fill the lists: the pages are full, with a next page.
    dashboard = small["coordinator1@scale.example", "/dashboard"][1]
    assert dashboard.count("See all") >= 4
    board = small["coordinator1@scale.example", "/board"][1]
    assert board.count('rel="next"') >= 5  # most columns hold more than a page
    expiring = small["coordinator1@scale.example", "/expiring"][1]
    assert expiring.count('rel="next"') == 2  # the window's labels and the lapsed ones
    assert "Programme of" in small["coordinator1@scale.example", "/programme/1"][1]


def repeat_steps(app: Flask, application_id: int, times: int) -> None:
    """The application's steps taken `times` more times, each a day later than the
    last, so that its history is `times + 1` times as long."""
    with app.app_context():
        steps = db.session.scalars(
            select(AuditEntry).where(AuditEntry.application_id == application_id)
        ).all()
        latest = max(step.at for step in steps)
        for n in range(times):
            for i, step in enumerate(steps):
                db.session.add(
                    AuditEntry(
                        application_id=application_id,
                        event=step.event,
                        from_state=step.from_state,
                        to_state=step.to_state,
                        actor_id=step.actor_id,
                        at=latest + timedelta(days=1 + n * len(steps) + i),
                        data={},
                    )
                )
        db.session.commit()


HISTORY_PAGES = ("", "?history_page=2")
HISTORY_ROW = 'class="list-group-item'


def test_history_pages_show_the_same_rows_with_ten_times_the_history(migrated, frozen):
    """The cluster's and the application's history are paged, newest first: the first
    and the second page hold as many steps and run as many statements with ten times
    the steps."""
    measured = []
    for factor in (1, 10):
        with fresh_app(migrated, CERTTRACK_PAGE_SIZE=3) as app:
            long_history(app, factor)
            cluster = first_id(app, Cluster, name="DITENAVE")
            with app.app_context():
                latest = db.session.get(Cluster, cluster).applications[-1].previous_id
            repeat_steps(app, latest, factor - 1)
            urls = {
                f"/{kind}/{id_}{page}": (kind, page)
                for kind, id_ in (("clusters", cluster), ("applications", latest))
                for page in HISTORY_PAGES
            }
            pages = {}
            for email in ("manager0@x.example", "coord@informest.example"):
                found = measured_pages(app, email, list(urls))
                pages.update({(email, *urls[url]): page for url, page in found.items()})
            measured.append(pages)
    small, large = measured
    for key, (statements, html) in small.items():
        large_statements, large_html = large[key]
        assert statements == large_statements, (key, statements, large_statements)
        assert html.count(HISTORY_ROW) == large_html.count(HISTORY_ROW), key
        assert 'rel="next"' in html and 'rel="next"' in large_html, key  # more than a page
    for (email, kind, page), (_statements, html) in large.items():
        history = html[html.index('id="history"' if kind == "clusters" else 'id="steps"') :]
        moments = re.findall(r'<time[^>]*datetime="([^"]+)"', history)
        assert len(moments) >= 3, (email, kind, page)
        assert moments == sorted(moments, reverse=True), (email, kind, page)  # newest first
