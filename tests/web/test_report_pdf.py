"""The individual report as a PDF, read back with pypdf: what it shows, in the reader's
language, and that user text is shown as text and fetches nothing."""

import io
import re
import sys
import time
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from certtrack.extensions import db
from certtrack.models import (
    Application,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    LabelStatus,
    Level,
    Priority,
    Recommendation,
    RecommendationStatus,
    State,
)
from certtrack.services import report_pdf
from tests.builders import PASSWORD, make_cast
from tests.conftest import missing_program
from tests.peer_builders import benchmarked, hold_label, peer_cluster
from tests.web.conftest import sign_in

BRONZE_AREAS = {
    "en": [
        "Structure of the cluster",
        "Cluster management and governance",
        "Financing of the cluster management",
        "Services",
        "Contacts and interaction within the cluster",
        "Achievements and recognition",
    ],
    "it": [
        "Struttura del cluster",
        "Gestione e governance del cluster",
        "Finanziamento della gestione del cluster",
        "Servizi",
        "Contatti e interazione all'interno del cluster",
        "Risultati e riconoscimenti",
    ],
}
RECOMMENDATIONS = [
    ("Formalise a three-year cluster strategy", Priority.HIGH, "Board of directors"),
    ("Broaden the funding base beyond regional grants", Priority.MEDIUM, "Cluster manager"),
]


@pytest.fixture(autouse=True)
def pango() -> None:
    """These tests lay out real PDFs: they need Pango on the machine."""
    try:
        report_pdf.weasyprint()
    except report_pdf.PdfUnavailable:
        missing_program("Pango", report_pdf.INSTALL)


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())  # table cells wrap over lines


def answers() -> dict[str, object]:
    """A valid number for every benchmarking indicator (its minimum, or 1)."""
    definitions = db.session.query(IndicatorDefinition).filter_by(kind=IndicatorKind.BENCHMARK)
    return {d.code: d.minimum if d.minimum is not None else 1 for d in definitions}


def bronze_report(
    app: Flask,
    *,
    summary: str = "Solid management.",
    rec_detail: str | None = None,
    locale: str = "en",
) -> tuple[str, int]:
    """The cast's cluster with a delivered Bronze report, its label issued, five peers:
    its manager's address (reading in `locale`) and the application's id."""
    with app.app_context():
        cast = make_cast()
        cast.manager.locale = locale
        for i in range(5):
            benchmarked(peer_cluster(cast.agency, f"Peer {i}"), answers())
        application = benchmarked(
            cast.cluster,
            answers(),
            state=State.LABEL_ISSUED,
            consultant=cast.consultant,
            delivered=datetime(2026, 3, 5, 10),
        )
        application.report.summary = summary
        application.report.recommendations = [
            Recommendation(
                position=i,
                title=title,
                priority=priority,
                owner=owner,
                detail=rec_detail,
                due_date=date(2026, 9, 30),
                status=RecommendationStatus.OPEN,
            )
            for i, (title, priority, owner) in enumerate(RECOMMENDATIONS)
        ]
        db.session.commit()
        hold_label(application, Level.BRONZE, LabelStatus.VALID)
        return cast.manager.email, application.id


def fetch_pdf(client: FlaskClient, application_id: int) -> bytes:
    response = client.get(f"/applications/{application_id}/report.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_pdf_has_a_cover_the_areas_and_the_recommendations(app, client):
    manager, application_id = bronze_report(app)
    sign_in(client, manager, PASSWORD)
    started = time.perf_counter()
    response = client.get(f"/applications/{application_id}/report.pdf")
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="certtrack-report-ditenave-bronze.pdf"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    print(f"\nreport PDF: {seconds:.2f} s, {len(response.data)} bytes", file=sys.stderr)
    pages, text = pdf_text(response.data)
    assert pages >= 2
    assert "DITENAVE" in text
    assert "Informest" in text and "Anna" in text
    assert "B-X-" in text  # the label number (tests.peer_builders.hold_label)
    assert "March 2026" in text  # the interview month, on the cover
    for area in BRONZE_AREAS["en"]:
        assert area in text
    for title, _priority, owner in RECOMMENDATIONS:
        assert title in text and owner in text
    assert "High" in text and "Sep 30, 2026" in text and "Open" in text
    assert re.search(r"Page 2 / \d+", text)
    assert "All benchmarked clusters" in text  # the peer groups


def test_an_italian_reader_gets_the_report_in_italian(app, client):
    manager, application_id = bronze_report(app, locale="it")
    sign_in(client, manager, PASSWORD)
    _pages, text = pdf_text(fetch_pdf(client, application_id))
    for area in BRONZE_AREAS["it"]:
        assert area in text
    assert "RAPPORTO INDIVIDUALE" in text  # the cover, in capitals
    assert "Raccomandazioni" in text and "Gruppi di confronto" in text
    assert "marzo 2026" in text  # the interview month
    assert "30 set 2026" in text  # a due date
    assert "Pagina 2 /" in text


def test_user_text_is_shown_as_text_and_nothing_is_fetched(app, client, caplog):
    hostile = '<img src="http://127.0.0.1:9/tracker.png"><b>bold</b> & <script>x()</script>'
    manager, application_id = bronze_report(app, summary=hostile, rec_detail=hostile)
    sign_in(client, manager, PASSWORD)
    _pages, text = pdf_text(fetch_pdf(client, application_id))
    assert '<img src="http://127.0.0.1:9/tracker.png">' in text
    assert "<b>bold</b> & <script>x()</script>" in text
    # The escaped tag was never an image: WeasyPrint asked for no URL at all.
    assert "tracker.png" not in caplog.text


def test_the_fetcher_serves_only_the_package_fonts(app):
    fonts = report_pdf.FONTS.as_uri()
    assert report_pdf.is_package_file(f"{fonts}/DejaVuSans.ttf")
    assert not report_pdf.is_package_file(f"{fonts}/../../__init__.py")
    assert not report_pdf.is_package_file("file:///etc/passwd")
    assert not report_pdf.is_package_file("http://127.0.0.1:9/x.png")
    assert not report_pdf.is_package_file("data:image/png;base64,AAAA")
    fetcher = report_pdf._fetcher_class(report_pdf.weasyprint())()
    with pytest.raises(ValueError, match="not a file of the package"):
        fetcher.fetch("http://127.0.0.1:9/x.png")
    assert fetcher.fetch(f"{fonts}/DejaVuSans.ttf").read()[:4] == b"\x00\x01\x00\x00"


def test_the_pdf_embeds_the_shipped_fonts(app, client):
    manager, application_id = bronze_report(app)
    sign_in(client, manager, PASSWORD)
    reader = PdfReader(io.BytesIO(fetch_pdf(client, application_id)))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Subsets of the package's own DejaVu Sans, under the family name the template gives.
    assert {name.split("+")[1] for name in fonts} == {"Report-Sans", "Report-Sans-Bold"}


def test_without_pango_the_pdf_is_a_clear_503(app, client, monkeypatch):
    manager, application_id = bronze_report(app)
    # What an import of WeasyPrint does on a machine without Pango's libraries.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    sign_in(client, manager, PASSWORD)
    page = client.get(f"/applications/{application_id}/report.pdf")
    assert page.status_code == 503
    assert "PDF reports are not available on this server" in page.get_data(as_text=True)


def test_file_names_are_safe():
    assert report_pdf.slug("Polo Tecnologico di Pordenone") == "polo-tecnologico-di-pordenone"
    assert report_pdf.slug('Città "Nuova" / Šibenik\r\n') == "citta-nuova-sibenik"
    assert report_pdf.slug("東京") == "cluster"


def test_an_application_without_a_report_is_not_found(app, client):
    with app.app_context():
        cast = make_cast()
        application = Application(cluster_id=cast.cluster.id, level=Level.BRONZE)
        db.session.add(application)
        db.session.commit()
        application_id, manager = application.id, cast.manager.email
    sign_in(client, manager, PASSWORD)
    assert client.get(f"/applications/{application_id}/report.pdf").status_code == 404


def test_a_gold_report_shows_each_score_against_its_threshold(app, client):
    with app.app_context():
        cast = make_cast()
        application = benchmarked(
            cast.cluster, {}, level=Level.GOLD, state=State.LABEL_ISSUED, consultant=cast.consultant
        )
        quality = db.session.query(IndicatorDefinition).filter_by(kind=IndicatorKind.QUALITY)
        first, *others = quality.order_by(IndicatorDefinition.position).all()
        application.indicator_values.append(  # one score below its threshold
            IndicatorValue(indicator_id=first.id, score=first.threshold - 1)
        )
        for definition in others:
            application.indicator_values.append(
                IndicatorValue(indicator_id=definition.id, score=definition.max_score)
            )
        db.session.commit()
        application_id, manager, code = application.id, cast.manager.email, first.code
    sign_in(client, manager, PASSWORD)
    _pages, text = pdf_text(fetch_pdf(client, application_id))
    assert "Quality indicators" in text
    assert "the label takes 80% and every threshold met" in text  # Babel's English percent
    assert "Does not pass" in text
    assert code in text
