"""The calendar feed and the CSV exports, parsed back with real parsers, and the public
verification of a label."""

import csv
import io
import re
from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import Cluster, Label


def signed_in(app, email):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_calendar_feed_is_valid_icalendar_with_the_users_dates(app, demo_day):
    client = signed_in(app, "manager@area.example")
    page = client.post("/account/calendar").get_data(as_text=True)
    url = re.search(r"data-feed-url>([^<]+)<", page).group(1)
    path = url.removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    summaries = sorted(str(e["summary"]) for e in events.values())
    assert "Consorzio AREA: Silver label ends" in summaries
    assert "Consorzio AREA: renewal window of the Silver label" in summaries
    assert all(
        s.startswith(("Consorzio AREA", "Recommendation due")) for s in summaries
    )  # only AREA
    end = next(
        e for e in events.values() if str(e["summary"]) == "Consorzio AREA: Silver label ends"
    )
    assert end.decoded("dtstart") == date(2027, 2, 28) and end.decoded("dtend") == date(2027, 3, 1)
    assert str(end["url"]).endswith(f"/clusters/{db_cluster_id(app, 'Consorzio AREA')}")
    # A new address retires the old one; revoking stops it.
    client.post("/account/calendar")
    assert anonymous.get(path).status_code == 404
    client.post("/account/calendar/revoke")
    assert client.get("/account/calendar").status_code == 200


def test_coordinator_calendar_has_review_deadlines_and_windows(app, demo_day):
    client = signed_in(app, "coordinator@informest.example")
    url = re.search(
        r"data-feed-url>([^<]+)<", client.post("/account/calendar").get_data(as_text=True)
    ).group(1)
    calendar = Calendar.from_ical(
        app.test_client().get(url.removeprefix("http://127.0.0.1:5000")).data
    )
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Report due: Polo Tecnologico di Pordenone" in summaries
    assert "DITEDI: Silver window" in summaries
    assert not [s for s in summaries if "Murcia" in s]  # another agency


def db_cluster_id(app, name):  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(Cluster.id).where(Cluster.name == name))


def rows(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())  # Excel reads UTF-8 with the BOM
    assert b"\r\n" in response.data
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline="")))


def rename_ditedi(app, name: str) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        cluster = db.session.scalar(select(Cluster).where(Cluster.name == "DITEDI"))
        cluster.name = name
        db.session.commit()


def test_csv_exports_survive_accents_quotes_and_filters(app, demo_day):
    rename_ditedi(app, 'Università di Udine, "DITEDI"')
    client = signed_in(app, "coordinator@informest.example")
    clusters = rows(client.get("/exports/clusters.csv"))
    assert len(clusters) == 7
    udine = next(r for r in clusters if r["cluster"].startswith("Università"))
    assert udine["cluster"] == 'Università di Udine, "DITEDI"'
    assert (udine["label"], udine["label_status"], udine["application_state"]) == (
        "bronze",
        "valid",
        "label_issued",
    )
    labels = rows(client.get("/exports/labels.csv?expiring_within=120"))
    assert [r["cluster"] for r in labels] == ["Polo Tecnologico di Pordenone", "Consorzio AREA"]
    silver = rows(client.get("/exports/labels.csv?level=silver"))
    assert {r["cluster"] for r in silver} == {"Consorzio AREA"}
    done = rows(client.get("/exports/recommendations.csv?status=done"))
    assert {r["cluster"] for r in done} == {"DITENAVE", "Consorzio AREA"}
    assert all(r["status"] == "done" and r["completed_on"] for r in done)
    assert client.get("/exports/labels.csv?status=shiny").status_code == 422
    manager = signed_in(app, "manager@area.example")
    assert manager.get("/exports/clusters.csv").status_code == 403


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(app, demo_day):
    rename_ditedi(app, '=HYPERLINK("http://evil.example","DITEDI")')
    client = signed_in(app, "coordinator@informest.example")
    names = [r["cluster"] for r in rows(client.get("/exports/clusters.csv"))]
    assert """'=HYPERLINK("http://evil.example","DITEDI")""" in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)


def test_public_label_page_json_and_certificate(app, demo_day):
    with app.app_context():
        label = db.session.scalar(select(Label).where(Label.level == "gold"))
        number, cluster = label.number, label.cluster.name
    anonymous = app.test_client()
    page = anonymous.get(f"/labels/{number}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and cluster in text and "Gold" in text and "Valid" in text
    assert "<svg" in text and f"/labels/{number}" in text  # the QR code of this address
    assert "committed" not in text.lower() and "@" not in text  # nothing private
    data = anonymous.get(f"/api/v1/public/labels/{number}").get_json()
    assert data == {
        "number": number,
        "cluster_name": cluster,
        "country": "ES",
        "level": "gold",
        "valid_until": data["valid_until"],
        "status": "valid",
        "revoked_on": None,
        "revocation_reason": None,
    }
    certificate = anonymous.get(f"/labels/{number}/certificate").get_data(as_text=True)
    assert "holds the cluster-excellence label" in certificate and "certificate.css" in certificate
    with anonymous.get("/static/certificate.css") as stylesheet:
        print_rules = stylesheet.get_data(as_text=True)
    assert "@media print" in print_rules  # a stylesheet of its own: the CSP allows no inline
    assert anonymous.get("/labels/X-XX-0000-00000").status_code == 404
    assert (
        anonymous.get("/api/v1/public/labels/X-XX-0000-00000").get_json()["error"]["code"]
        == "not_found"
    )
