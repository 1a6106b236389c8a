"""From the consultant's typed indicators to the manager's report with its charts and
its PDF, in a real browser on the demo data (whose peers give the figures)."""

import io
import shutil
import subprocess
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Cluster, User
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_bronze_path import confirm_step, sign_in, sign_out, today_in_rome
from tests.conftest import missing_program

CLUSTER = "Parco Agroalimentare di San Daniele"
AREAS = 6


def submitted_and_assigned(live_app: Flask) -> int:
    """Parco's draft, submitted and assigned to Petr Novak (the pages for these steps
    are walked in test_bronze_path)."""
    with live_app.app_context():
        parco = db.session.scalar(select(Cluster).where(Cluster.name == CLUSTER))
        coordinator = db.session.scalar(
            select(User).where(User.email == "coordinator@informest.example")
        )
        petr = db.session.scalar(select(User).where(User.email == "petr.novak@experts.example"))
        story = Story(parco, parco.managers[0], coordinator)
        story.submit_and_assign(petr, today_in_rome())
        return story.application.id


def fill_typed_indicators(page: Page) -> None:
    """A value inside each number input's bounds, the third step of each scale, "yes"
    on each yes/no question."""
    numbers = page.locator("[data-measure] input[type='number']")
    expect(numbers.first).to_be_visible()
    for index, field in enumerate(numbers.all()):
        low = float(field.get_attribute("min") or 0)
        high = float(field.get_attribute("max") or 1000)
        field.fill(str(int(min(high, max(low, 3 + index % 7)))))
    for scale in page.locator("[data-measure='scale'] fieldset").all():
        scale.locator("input[type='radio']").nth(2).check()
    for question in page.locator("[data-measure='yesno'] fieldset").all():
        question.locator("input[type='radio']").first.check()


def pdf_page_png(pdf: bytes, number: int, target: Path) -> None:
    """Page `number` of `pdf` as a PNG, drawn by poppler's pdftoppm."""
    if not shutil.which("pdftoppm"):
        missing_program("pdftoppm", "apt-get install poppler-utils")
    source = target.with_suffix(".pdf")
    source.write_bytes(pdf)
    try:
        stem = target.with_suffix("")
        subprocess.run(
            [
                *("pdftoppm", "-png", "-r", "70", "-singlefile"),
                *("-f", str(number), "-l", str(number), str(source), str(stem)),
            ],
            check=True,
            timeout=60,
        )
    finally:
        source.unlink()


def test_typed_indicators_to_the_managers_report_and_pdf(
    page: Page, server: str, live_app: Flask, tmp_path: Path
) -> None:
    application_id = submitted_and_assigned(live_app)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The consultant fills the typed indicators, saves, then delivers the report.
    sign_in(page, server, "petr.novak@experts.example")
    page.get_by_role("row").filter(has_text="Parco Agroalimentare").get_by_role(
        "link", name="Open the review"
    ).click()
    page.get_by_label("Interview or assessment date").fill(today_in_rome().isoformat())
    fill_typed_indicators(page)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status").filter(has_text="The draft is saved.")).to_be_visible()
    expect(page.locator(".is-invalid")).to_have_count(0)
    assert page.locator("[data-measure='scale'] input[type='radio']:checked").count() > 0
    page.get_by_label("Report summary").fill("A focused cluster with a clear service offer.")
    page.locator("[name='recommendations-0-title']").fill("Open the board to SMEs")
    page.get_by_role("button", name="Deliver the report").click()
    expect(
        page.get_by_role("status").filter(has_text="The report is delivered to the agency.")
    ).to_be_visible()
    sign_out(page)

    # The coordinator issues the label.
    sign_in(page, server, "coordinator@informest.example")
    page.goto(f"{server}/applications/{application_id}")
    confirm_step(page, "Issue the label")
    expect(page.locator("[data-state='label_issued']").first).to_be_visible()
    sign_out(page)

    # The manager follows the report's link on the cluster's page.
    sign_in(page, server, "manager@parco.example")
    expect(page.get_by_role("heading", name=CLUSTER)).to_be_visible()
    page.locator(f"[data-report-link][href$='/applications/{application_id}/report']").first.click()
    expect(page.get_by_role("heading", name="Benchmarking report")).to_be_visible()
    charts = page.locator("figure svg[role='img']")
    expect(charts).to_have_count(AREAS)
    for chart in charts.all():
        assert chart.get_attribute("aria-labelledby")
    # A peer figure: the median and the cluster's position among its peers.
    expect(page.locator("tr[data-indicator] td[data-position]").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=False)

    href = page.locator("[data-report-pdf-link]").get_attribute("href")
    assert href
    response = page.request.get(f"{server}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert CLUSTER in " ".join(p.extract_text() for p in reader.pages)
    pdf_page_png(pdf, 2, tmp_path / "report-pdf.png")
    shutil.move(tmp_path / "report-pdf.png", SCREENSHOTS / "report-pdf.png")
