"""The programme view: its figures against a hand-made portfolio, the targets' progress
and form, the CSV, who may read it, and the page in Italian."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import Flask
from sqlalchemy import delete, select

from certtrack import confirmation, create_app
from certtrack.demo.story import Story, at
from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    AuditEntry,
    Cluster,
    DailyStageMedian,
    LabelStatus,
    Level,
    ProgrammeTarget,
    Recommendation,
    RecommendationStatus,
    Role,
    State,
    TargetKind,
)
from certtrack.services import programme
from certtrack.statements import recorded
from tests.builders import PASSWORD, add_agency, add_cluster, add_label, add_user
from tests.web.conftest import sign_in

TODAY = date(2026, 11, 25)


def travel(day: date):  # type: ignore[no-untyped-def]
    return time_machine.travel(
        datetime.combine(day, datetime.min.time().replace(hour=10), ZoneInfo("Europe/Rome")),
        tick=False,
    )


def history(application_id: int, *steps: tuple[State, State, date]) -> None:
    for source, target, day in steps:
        db.session.add(
            AuditEntry(
                application_id=application_id,
                event="hand_made",
                from_state=source,
                to_state=target,
                at=at(day),
            )
        )
    db.session.commit()


@pytest.fixture
def portfolio(app: Flask) -> dict[str, int]:
    """Informest: A labelled Bronze through the workflow; B and D submitted, C under
    review, E a draft, F nothing yet; G a Gold label renewed after lapsing, H a Gold
    label revoked (renewed on time before). CzechInvest: one cluster with a Silver label."""
    with app.app_context(), travel(TODAY):
        agency = add_agency()
        other = add_agency("CzechInvest", "CZI")
        coordinator = add_user(Role.COORDINATOR, "coord@informest.example", agency_id=agency.id)
        add_user(Role.COORDINATOR, "coord@czechinvest.example", agency_id=other.id)
        add_user(Role.ADMIN, "admin@x.example")
        consultant = add_user(Role.CONSULTANT, "expert@x.example")
        clusters = {name: add_cluster(agency, f"Cluster {name}") for name in "ABCDEFGH"}
        stories = {}
        for name in "ABCDE":
            manager = add_user(Role.MANAGER, f"m{name}@x.example", cluster_id=clusters[name].id)
            stories[name] = Story(clusters[name], manager, coordinator)
        start = date(2026, 1, 1)
        for name in "ABCDE":
            stories[name].start(Level.BRONZE, start)
        # Days in draft: A 10, B 20, C 40, D 30; E still there (not counted).
        stories["A"].to_label(consultant, date(2026, 2, 8), issued=date(2026, 2, 15))
        stories["B"].fire("submit", stories["B"].manager, start + timedelta(days=20))
        stories["C"].submit_and_assign(consultant, start + timedelta(days=40))
        stories["D"].fire("submit", stories["D"].manager, start + timedelta(days=30))
        gold = add_label(clusters["G"], "G-1", Level.GOLD, LabelStatus.VALID, date(2027, 6, 30))
        history(
            gold.application_id,
            (State.FOLLOW_UP, State.LAPSED, date(2026, 3, 1)),
            (State.LAPSED, State.RENEWED, date(2026, 3, 11)),
        )
        revoked = add_label(
            clusters["H"],
            "H-1",
            Level.GOLD,
            LabelStatus.REVOKED,
            date(2027, 3, 31),
            revoked_on=date(2026, 1, 10),
        )
        history(
            revoked.application_id,
            (State.FOLLOW_UP, State.RENEWAL_DUE, date(2025, 10, 1)),
            (State.RENEWAL_DUE, State.RENEWED, date(2025, 10, 5)),
        )
        czech = add_cluster(other, "Czech cluster")
        add_label(czech, "CZ-1", Level.SILVER, LabelStatus.VALID, date(2027, 6, 30))
        # A's report: one recommendation done, one overdue, the others not yet due.
        recommendations = list(
            db.session.scalars(select(Recommendation).order_by(Recommendation.id))
        )
        assert len(recommendations) >= 3
        recommendations[0].status = RecommendationStatus.DONE
        recommendations[1].status = RecommendationStatus.OPEN
        recommendations[1].due_date = TODAY - timedelta(days=1)
        for later in recommendations[2:]:
            later.status = RecommendationStatus.IN_PROGRESS
            later.due_date = TODAY + timedelta(days=30)
        db.session.commit()
        return {"agency": agency.id, "other": other.id, "recommendations": len(recommendations)}


def test_the_figures_of_a_hand_made_portfolio(app, portfolio):
    with app.app_context():
        found = programme.figures(portfolio["agency"], TODAY)
    assert found.live_by_level == {Level.BRONZE: 1, Level.SILVER: 0, Level.GOLD: 1}
    assert (found.clusters, found.clusters_labelled) == (8, 2)
    # H's Gold counted in 2025 only (revoked in January 2026); no other agency's Silver.
    assert found.held_by_year == [
        (2025, {Level.BRONZE: 0, Level.SILVER: 0, Level.GOLD: 2}),
        (2026, {Level.BRONZE: 1, Level.SILVER: 0, Level.GOLD: 1}),
    ]
    assert dict(found.clusters_by_stage) == {
        None: 1,
        State.DRAFT: 1,
        State.SUBMITTED: 2,
        State.CONSULTANT_REVIEW: 1,
        State.LABEL_ISSUED: 1,
        State.RENEWED: 2,
    }
    medians = {m.stage: (m.median_days, m.stays) for m in found.stage_medians}
    assert medians[State.DRAFT] == (25.0, 4)  # 10, 20, 30, 40: the middle two averaged
    assert medians[State.LAPSED] == (10.0, 1)
    # H's renewal-due stay ended on 5 October 2025, over a year ago: not counted.
    assert medians[State.RENEWAL_DUE] == (None, 0)
    assert medians[State.FOLLOW_UP] == (None, 0)  # A's follow-up has not started
    assert found.renewals == {"on_time": 1, "after_lapse": 1, "lapsed": 0}
    assert found.recommendations == {
        "done": 1,
        "on_schedule": portfolio["recommendations"] - 2,
        "overdue": 1,
        "dropped": 0,
    }


def test_the_median_of_an_odd_number_of_stays_is_the_middle_one(app, portfolio):
    with app.app_context():
        db.session.execute(
            db.delete(AuditEntry).where(
                AuditEntry.event == "submit", AuditEntry.at == at(date(2026, 1, 31))
            )
        )
        db.session.commit()
        medians = {m.stage: m for m in programme.stage_medians(portfolio["agency"], TODAY)}
    assert (medians[State.DRAFT].median_days, medians[State.DRAFT].stays) == (20.0, 3)


def test_the_time_in_stage_counts_the_stays_ended_in_the_last_year(app, portfolio):
    """H's renewal-due stay (4 days, ended 5 October 2025) counts until 365 days after
    it ended, then drops out; the stays of 2026 stay counted."""
    with app.app_context():
        agency = portfolio["agency"]
        counted = {m.stage: m for m in programme.stage_medians(agency, date(2026, 10, 5))}
        later = {m.stage: m for m in programme.stage_medians(agency, date(2026, 10, 6))}
    assert (counted[State.RENEWAL_DUE].median_days, counted[State.RENEWAL_DUE].stays) == (4.0, 1)
    assert (later[State.RENEWAL_DUE].median_days, later[State.RENEWAL_DUE].stays) == (None, 0)
    assert (later[State.DRAFT].median_days, later[State.DRAFT].stays) == (25.0, 4)


def test_the_time_in_stage_is_worked_out_once_a_day(app, portfolio):
    """A stay ended today counts from the next day, also where the day's figures are
    worked out again (their rows gone)."""
    with app.app_context():
        agency = portfolio["agency"]
        before = {m.stage: m.stays for m in programme.stage_medians(agency, TODAY)}
        draft_e = db.session.scalar(
            select(Application.id).join(Cluster).where(Cluster.name == "Cluster E")
        )
        history(draft_e, (State.DRAFT, State.SUBMITTED, TODAY))  # E leaves its draft
        same_day = {m.stage: m.stays for m in programme.stage_medians(agency, TODAY)}
        db.session.execute(delete(DailyStageMedian))
        db.session.commit()
        afresh = {m.stage: m.stays for m in programme.stage_medians(agency, TODAY)}
        tomorrow = TODAY + timedelta(days=1)
        next_day = {m.stage: m.stays for m in programme.stage_medians(agency, tomorrow)}
    assert same_day == before and afresh == before
    assert (before[State.DRAFT], next_day[State.DRAFT]) == (4, 5)


def test_every_process_reads_the_figures_the_days_first_view_worked_out(app, portfolio, migrated):
    """Another process (a second app on the same database) reads the day's kept figures
    in one statement, even after a step of yesterday was recorded late; the next day
    works them out afresh and counts it."""
    agency = portfolio["agency"]
    with app.app_context():
        first = programme.stage_medians(agency, TODAY)
        draft_e = db.session.scalar(
            select(Application.id).join(Cluster).where(Cluster.name == "Cluster E")
        )
        history(draft_e, (State.DRAFT, State.SUBMITTED, TODAY - timedelta(days=1)))
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated)
    with other.app_context():
        with recorded(db.engine) as statements:
            kept = programme.stage_medians(agency, TODAY)
        tomorrow = programme.stage_medians(agency, TODAY + timedelta(days=1))
        db.session.remove()
        db.engine.dispose()
    assert kept == first and len(statements) == 1
    drafts = {m.stage: m.stays for m in tomorrow}[State.DRAFT]
    assert ({m.stage: m.stays for m in first}[State.DRAFT], drafts) == (4, 5)


def test_a_days_first_figures_forget_the_earlier_days(app, portfolio):
    agency = portfolio["agency"]
    yesterday = TODAY - timedelta(days=1)
    with app.app_context():
        programme.stage_medians(agency, yesterday)
        programme.stage_medians(None, yesterday)
        programme.stage_medians(agency, TODAY)
        kept = db.session.execute(
            select(DailyStageMedian.day, DailyStageMedian.scope).distinct()
        ).all()
    assert kept == [(TODAY, agency)]


def test_figures_a_second_process_worked_out_meanwhile_change_nothing(app, portfolio):
    """Two processes working out the day's first figures at once both write them: the
    second write leaves the first one's rows as they are and raises nothing."""
    agency = portfolio["agency"]
    with app.app_context():
        first = programme.stage_medians(agency, TODAY)
        other = [programme.StageMedian(stage, 1.0, 1) for stage in programme.STAGES]
        programme._keep(agency, TODAY, other)
        assert programme.stage_medians(agency, TODAY) == first


@pytest.mark.parametrize(
    ("days", "english", "italian"),
    [
        (365, "ended in the 365 days before today", "concluse nei 365 giorni prima di oggi"),
        (1461, "ended in the 1,461 days before today", "concluse nei 1.461 giorni prima di oggi"),
        (1, "ended yesterday", "concluse ieri"),
    ],
)
def test_the_medians_caption_gives_the_rules_window_in_the_readers_language(
    app, portfolio, client, monkeypatch, days, english, italian
):
    monkeypatch.setattr(programme, "STAY_WINDOW_DAYS", days)
    with travel(TODAY):
        sign_in(client, "coord@informest.example", PASSWORD)
        assert english in client.get("/dashboard").get_data(as_text=True)
        sign_in(client, "coord@informest.example", PASSWORD, locale="it")
        assert italian in client.get("/dashboard").get_data(as_text=True)
        page = client.get(f"/programme/{portfolio['agency']}").get_data(as_text=True)
        assert italian in page


def add_target(app: Flask, agency_id: int, kind: TargetKind, level, number, due_on) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        target = ProgrammeTarget(
            agency_id=agency_id, kind=kind, level=level, number=number, due_on=due_on
        )
        db.session.add(target)
        db.session.commit()
        return target.id


def test_targets_are_met_on_track_or_missed(app, portfolio):
    agency = portfolio["agency"]
    add_target(app, agency, TargetKind.LABELS_AT_LEVEL, Level.GOLD, 2, date(2026, 12, 31))
    add_target(app, agency, TargetKind.LABELS_AT_LEVEL, Level.BRONZE, 1, date(2026, 6, 30))
    add_target(app, agency, TargetKind.ALL_CLUSTERS_LABELLED, None, None, date(2027, 12, 31))
    with app.app_context():
        for day, gold in ((TODAY, "on_track"), (date(2027, 1, 5), "missed")):
            found = programme.figures(agency, day)
            standing = {
                (p.target.kind, p.target.level): (p.current, p.goal, p.standing, p.percent)
                for p in (programme.progress(t, found, day) for t in programme.targets(agency))
            }
            assert standing[TargetKind.LABELS_AT_LEVEL, Level.GOLD] == (1, 2, gold, 50.0)
            assert standing[TargetKind.LABELS_AT_LEVEL, Level.BRONZE] == (1, 1, "met", 100.0)
            assert standing[TargetKind.ALL_CLUSTERS_LABELLED, None] == (2, 8, "on_track", 25.0)


def test_the_page_shows_targets_and_every_chart_with_its_table(app, portfolio, client):
    add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 2, date(2026, 12, 31)
    )
    with travel(TODAY):
        sign_in(client, "coord@informest.example", PASSWORD)
        page = client.get(f"/programme/{portfolio['agency']}").get_data(as_text=True)
    assert "2 Gold labels" in page and 'data-standing="on_track"' in page
    assert "1 of 2" in page and "50%" in page
    assert page.count('role="img"') == 5 and page.count("<caption") == 6
    assert 'data-median="draft">25</td>' in page
    assert 'data-year="2025" data-level="gold">2</td>' in page
    assert 'aria-current="page">Programme</a>' in page


def test_a_target_is_created_edited_and_deleted_through_its_form(app, portfolio, client):
    sign_in(client, "coord@informest.example", PASSWORD)
    url = f"/programme/{portfolio['agency']}/targets/new"
    refused = client.post(url, data={"kind": "labels_at_level", "number": "0", "due_on": "soon"})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "There is a problem" in text and 'href="#number"' in text and 'href="#due_on"' in text
    assert "A number from 1 to ten thousand." in text and 'aria-invalid="true"' in text
    missing = client.post(url, data={"kind": "labels_at_level", "due_on": "2027-12-31"})
    assert missing.status_code == 422
    assert "Choose the level this target counts." in missing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ProgrammeTarget)) == 0
    made = client.post(
        url,
        data={"kind": "labels_at_level", "level": "gold", "number": "3", "due_on": "2027-12-31"},
    )
    assert made.status_code == 302
    with app.app_context():
        target = db.session.scalars(select(ProgrammeTarget)).one()
        assert (target.level, target.number, target.due_on) == (Level.GOLD, 3, date(2027, 12, 31))
        target_id = target.id
    changed = client.post(
        f"/programme/targets/{target_id}/edit",
        data={
            "kind": "all_clusters_labelled",
            "level": "gold",
            "number": "3",
            "due_on": "2028-06-30",
        },
    )
    assert changed.status_code == 302
    with app.app_context():
        target = db.session.get(ProgrammeTarget, target_id)
        assert (target.kind, target.level, target.number) == (
            TargetKind.ALL_CLUSTERS_LABELLED,
            None,
            None,
        )
    deleted = client.post(f"/programme/targets/{target_id}/delete", data={"confirmed": "yes"})
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(ProgrammeTarget, target_id) is None


def test_deleting_a_target_without_the_confirmation_asks_and_keeps_it(app, portfolio, client):
    target = add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 3, date(2027, 12, 31)
    )
    sign_in(client, "coord@informest.example", PASSWORD)
    saved = client.post(
        f"/programme/targets/{target}/edit",
        data={"kind": "labels_at_level", "level": "gold", "number": "4", "due_on": "2027-12-31"},
    )
    assert saved.status_code == 302  # its message waits for the next page
    response = client.post(f"/programme/targets/{target}/delete")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Confirm: Delete 4 Gold labels" in page and "nothing was changed" in page
    assert "The target and its progress leave the programme page" in page
    assert page.count("The target is saved.") == 1  # the messages shown once, not per include
    form = re.search(
        r'data-confirm="page".*?<form method="post" action="([^"]+)".*?</form>', page, re.S
    )
    assert form and form.group(1) == f"/programme/targets/{target}/delete"
    assert f'name="{confirmation.FIELD}" value="{confirmation.VALUE}"' in form.group(0)
    assert (
        client.post(f"/programme/targets/{target}/delete", data={"confirmed": "no"}).status_code
        == 422
    )
    with app.app_context():
        assert db.session.get(ProgrammeTarget, target).number == 4


def test_deleting_a_target_is_confirmed_within_the_programme_page(app, portfolio, client):
    """No JavaScript needed: the row's Delete opens the consequence and the final button."""
    target = add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 3, date(2027, 12, 31)
    )
    sign_in(client, "coord@informest.example", PASSWORD)
    page = client.get(f"/programme/{portfolio['agency']}").get_data(as_text=True)
    block = re.search(
        rf'<details[^>]*data-confirm="delete-target-{target}".*?</details>', page, re.S
    )
    assert block, "no confirmation for the target's delete"
    html = block.group(0)
    assert re.search(
        r'<summary[^>]*>Delete<span class="visually-hidden"> 3 Gold labels</span></summary>', html
    )
    assert "This cannot be undone." in html
    assert f'action="/programme/targets/{target}/delete"' in html
    assert 'name="confirmed" value="yes"' in html
    deleted = client.post(f"/programme/targets/{target}/delete", data={"confirmed": "yes"})
    assert deleted.status_code == 302
    assert "The target is deleted." in client.get(deleted.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(ProgrammeTarget, target) is None


def test_the_csv_gives_the_same_figures(app, portfolio, client):
    add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 2, date(2026, 12, 31)
    )
    with travel(TODAY):
        sign_in(client, "coord@informest.example", PASSWORD)
        response = client.get(f"/programme/{portfolio['agency']}.csv")
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["agency", "figure", "key", "value"]
    values = {(figure, key): value for _agency, figure, key, value in rows[1:]}
    assert {agency for agency, *_rest in rows[1:]} == {"INF"}
    assert values["labels_held", "gold"] == "1"
    assert values["labels_in_force_2025", "gold"] == "2"
    assert values["clusters_by_stage", "submitted"] == "2"
    assert values["median_days_in_stage", "draft"] == "25.0"
    assert values["renewals", "after_lapse"] == "1"
    assert values["recommendations", "overdue"] == "1"
    assert values["target_standing", "labels_at_level:gold:2026-12-31"] == "on_track"


def test_another_agencys_coordinator_sees_none_of_it(app, portfolio, client):
    target = add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 7, date(2031, 7, 17)
    )
    sign_in(client, "coord@czechinvest.example", PASSWORD)
    agency = portfolio["agency"]
    for url in (
        f"/programme/{agency}",
        f"/programme/{agency}.csv",
        f"/programme/{agency}/targets/new",
        f"/programme/targets/{target}/edit",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/programme/targets/{target}/delete").status_code == 403
    assert client.get("/programme.csv").status_code == 403
    own = client.get("/programme", follow_redirects=True).get_data(as_text=True)
    assert "Programme of CzechInvest" in own and "2031" not in own and "Cluster A" not in own
    assert 'data-held="silver">1<' in own and 'data-held="gold">0<' in own
    with app.app_context():
        assert db.session.get(ProgrammeTarget, target) is not None
    assert client.get("/programme/999999").status_code == 404


def test_admins_see_every_agency_together(app, portfolio, client):
    sign_in(client, "admin@x.example", PASSWORD)
    page = client.get("/programme").get_data(as_text=True)
    assert "Programme of every agency" in page
    assert 'data-held="silver">1<' in page and 'data-held="gold">1<' in page
    rows = client.get("/programme.csv").get_data(as_text=True)
    assert "all,labels_held,silver,1" in rows


def test_the_programme_in_italian(app, portfolio, client):
    add_target(
        app, portfolio["agency"], TargetKind.LABELS_AT_LEVEL, Level.GOLD, 2, date(2026, 12, 31)
    )
    with travel(TODAY):
        sign_in(client, "coord@informest.example", PASSWORD, locale="it")
        page = client.get(f"/programme/{portfolio['agency']}").get_data(as_text=True)
    assert "Programma di Informest" in page and "2 label Gold" in page
    assert "31 dic 2026" in page and "1 su 2" in page and "Giorni mediani in ogni fase" in page
    assert "L'obiettivo e il suo avanzamento spariscono" in page.replace("&#39;", "'")
    assert "Conferma: Elimina" in page


def test_the_dashboard_shows_the_time_in_each_stage(app, portfolio, client):
    sign_in(client, "coord@informest.example", PASSWORD)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'data-median="draft">25</td>' in page
    assert f'href="/programme/{portfolio["agency"]}">See the programme' in page


def test_agencies_keep_apart(app, portfolio):
    with app.app_context():
        czech = programme.figures(portfolio["other"], TODAY)
        every = programme.figures(None, TODAY)
        assert db.session.scalar(select(db.func.count()).select_from(Cluster)) == 9
        assert db.session.scalar(select(db.func.count()).select_from(Agency)) == 2
    assert czech.live_by_level[Level.SILVER] == 1 and czech.clusters == 1
    assert every.clusters == 9 and every.live_by_level[Level.SILVER] == 1
