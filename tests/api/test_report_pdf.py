"""GET /api/v1/applications/{id}/report.pdf: the same file and the same rule as the web
page's, by token, for every role."""

import io
import sys

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from certtrack.demo.data import PASSWORD as DEMO_PASSWORD
from certtrack.extensions import db
from certtrack.models import Application, Cluster, User
from certtrack.services import report_pdf
from tests.conftest import missing_program

# AREA's Silver report is delivered; Polo's review is the consultant's draft.
STATUSES = {
    # who: (AREA, Polo)
    "admin@certtrack.example": (200, 404),
    "coordinator@informest.example": (200, 404),
    "coordinator@czechinvest.example": (403, 403),
    "manager@area.example": (200, 403),
    "manager@ditenave.example": (403, 403),
    "luis.ortega@experts.example": (200, 200),  # reviewed AREA's Silver, drafts Polo's
    "sofia.lindqvist@experts.example": (403, 403),
}


@pytest.fixture(autouse=True)
def pango() -> None:
    try:
        report_pdf.weasyprint()
    except report_pdf.PdfUnavailable:
        missing_program("Pango", report_pdf.INSTALL)


def latest_application(app, cluster: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(
            select(Application.id)
            .join(Cluster)
            .where(Cluster.name == cluster)
            .order_by(Application.id.desc())
        )


def test_every_role_gets_the_pdf_or_a_json_refusal(app, demo_day, as_user):
    area = latest_application(app, "Consorzio AREA")
    polo = latest_application(app, "Polo Tecnologico di Pordenone")
    for email, expected in STATUSES.items():
        caller = as_user(email, DEMO_PASSWORD)
        for application_id, status in zip((area, polo), expected, strict=True):
            response = caller.get(f"/api/v1/applications/{application_id}/report.pdf")
            assert response.status_code == status, (email, application_id, response.data[:300])
            if status == 200:
                assert response.mimetype == "application/pdf"
                assert response.headers["Cache-Control"] == "private, no-store"
                assert PdfReader(io.BytesIO(response.data)).pages
            else:
                error = response.get_json()["error"]
                assert set(error) == {"code", "message", "fields"}


def test_without_a_token_401_and_unknown_application_404(app, demo_day, client, as_user):
    area = latest_application(app, "Consorzio AREA")
    response = client.get(f"/api/v1/applications/{area}/report.pdf")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    missing = as_user("admin@certtrack.example", DEMO_PASSWORD).get(
        "/api/v1/applications/999999/report.pdf"
    )
    assert missing.status_code == 404


def test_the_pdf_is_in_the_token_owners_language(app, demo_day, as_user):
    area = latest_application(app, "Consorzio AREA")
    with app.app_context():
        db.session.scalars(
            select(User).where(User.email == "manager@area.example")
        ).one().locale = "it"
        db.session.commit()
    response = as_user("manager@area.example", DEMO_PASSWORD).get(
        f"/api/v1/applications/{area}/report.pdf"
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Raccomandazioni" in text and "Struttura del cluster" in text
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="certtrack-report-consorzio-area-silver.pdf"'
    )


def test_the_document_describes_a_pdf_answer(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/applications/{application_id}/report.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert {"403", "404", "503"} <= set(operation["responses"])


def test_without_pango_a_503_in_the_error_shape(app, demo_day, as_user, monkeypatch):
    area = latest_application(app, "Consorzio AREA")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as an import without Pango fails
    response = as_user("manager@area.example", DEMO_PASSWORD).get(
        f"/api/v1/applications/{area}/report.pdf"
    )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "pdf_unavailable"
