"""Gold evidence and the conversation in a real browser: the manager uploads evidence
from the checklist, the consultant sees it and replies in the thread, and the manager's
email (through the outbox, to a real SMTP server) links to the thread."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Application, Cluster, User
from certtrack.models.base import utcnow
from certtrack.services import visits
from certtrack.services.dispatch import send_due
from tests.browser.conftest import SCREENSHOTS, demo_app
from tests.browser.test_bronze_path import sign_in, sign_out, today_in_rome
from tests.mail_server import BASE_URL, SmtpServer

MANAGER = "manager@area.example"
CONSULTANT = "sofia.lindqvist@experts.example"
EVIDENCE = ("Q01", "Q02")


@pytest.fixture
def live_app(migrated: str, smtp: SmtpServer) -> Iterator[Flask]:
    """The browser tests' app on the demo data, sending its mail to `smtp`."""
    with demo_app(migrated, **smtp.app_settings()) as app:
        yield app


def gold_with_a_planned_visit(live_app: Flask) -> int:
    """AREA's Gold application, under review by Sofia, its visit planned in a month."""
    with live_app.app_context():
        area = db.session.scalar(select(Cluster).where(Cluster.name == "Consorzio AREA"))
        coordinator = db.session.scalar(
            select(User).where(User.email == "coordinator@informest.example")
        )
        sofia = db.session.scalar(select(User).where(User.email == CONSULTANT))
        story = Story(area, area.managers[0], coordinator)
        day = today_in_rome()
        story.fire("upgrade", area.managers[0], day)
        story.submit_and_assign(sofia, day)
        application: Application = story.application
        visits.plan_visit(
            application,
            coordinator,
            starts_on=day + timedelta(days=30),
            ends_on=day + timedelta(days=31),
            today=day,
        )
        send_due()  # the workflow's notices so far
        return application.id


def test_gold_evidence_and_the_conversation_reach_the_managers_mail(
    page: Page, server: str, live_app: Flask, smtp: SmtpServer
) -> None:
    application_id = gold_with_a_planned_visit(live_app)
    smtp.inbox.received.clear()
    page.set_viewport_size({"width": 1280, "height": 900})
    detail = f"{server}/applications/{application_id}"

    # The manager uploads evidence for two quality indicators from the checklist.
    sign_in(page, server, MANAGER)
    page.goto(detail)
    total = int(page.locator("[data-evidence-count]").inner_text().split(" of ")[1].split()[0])
    for number, code in enumerate(EVIDENCE, start=1):
        item = page.locator(f"[data-evidence-missing] #evidence-{code}")
        item.get_by_text("Upload evidence").click()
        minutes = {"name": f"{code}-minutes.pdf", "mimeType": "application/pdf"}
        item.locator("input[type='file']").set_input_files({**minutes, "buffer": b"%PDF-1.4\n"})
        item.get_by_role("button", name="Upload the evidence").click()
        expect(page.locator("[data-evidence-count]")).to_have_text(
            f"{number} of {total} have evidence"
        )
    page.goto(f"{detail}/conversation")
    page.get_by_role("textbox", name="Message").fill("Is the evidence for Q01 and Q02 enough?")
    page.get_by_role("button", name="Post").click()
    expect(page.locator("[data-conversation]")).to_contain_text("enough?")
    sign_out(page)

    # The consultant sees the two on the checklist and replies in the thread.
    sign_in(page, server, CONSULTANT)
    page.goto(detail)
    expect(page.locator("[data-evidence-count]")).to_have_text(f"2 of {total} have evidence")
    for code in EVIDENCE:
        expect(page.locator(f"[data-evidence-present] #evidence-{code}")).to_contain_text(
            f"{code}-minutes.pdf"
        )
        expect(page.locator(f"[data-evidence-missing] #evidence-{code}")).to_have_count(0)
    page.locator("[data-evidence-present]").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "evidence-checklist.png"), full_page=False)
    page.goto(f"{detail}/conversation")
    page.get_by_role("textbox", name="Message").fill(
        "Yes: the **minutes** cover both. See you at the visit."
    )
    page.get_by_role("button", name="Post").click()
    expect(page.locator("[data-conversation] strong", has_text="minutes")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "conversation.png"), full_page=False)

    # The outbox sends the reply; the manager's email (in Italian, AREA's manager's
    # language) links to the thread.
    with live_app.app_context():
        send_due(now=utcnow())
    replies = [r for r in smtp.inbox.to(MANAGER) if "un messaggio da Sofia" in r.subject]
    assert len(replies) == 1
    link = f"{BASE_URL}/applications/{application_id}/conversation#message-"
    assert link in replies[0].part("text/plain")
    assert "**minutes** cover both" in replies[0].part("text/plain")
