"""The whole Bronze path through the pages, as the three roles, in a real browser."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.demo.story import Story
from certtrack.extensions import db
from certtrack.models import Cluster, User
from tests.browser.conftest import SCREENSHOTS


def today_in_rome() -> date:
    return datetime.now(ZoneInfo("Europe/Rome")).date()


def sign_in(page: Page, server: str, email: str) -> None:
    """Signed in reading English, asked for with the switch first (the demo's Italian
    accounts read Italian otherwise)."""
    page.goto(f"{server}/login")
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def confirm_step(page: Page, step: str) -> None:
    """A final step: its button opens the consequence, the keyboard confirms it."""
    page.locator("summary", has_text=step).click()
    expect(page.get_by_text("This cannot be undone.").first).to_be_visible()
    page.get_by_role("button", name=f"Confirm: {step}").focus()
    page.keyboard.press("Enter")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_bronze_path_through_the_pages(page: Page, server: str) -> None:
    # The manager submits the cluster's draft application.
    sign_in(page, server, "manager@parco.example")
    expect(page.get_by_role("heading", name="Parco Agroalimentare di San Daniele")).to_be_visible()
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("status").filter(has_text="Done: Submit.")).to_be_visible()
    sign_out(page)

    # The coordinator finds it waiting and assigns an impartial consultant.
    sign_in(page, server, "coordinator@informest.example")
    waiting = page.get_by_role("listitem").filter(has_text="Parco Agroalimentare di San Daniele")
    waiting.get_by_role("link", name="Assign").click()
    expect(page.get_by_text("reviewed this cluster's previous process")).to_be_visible()  # Sofia
    page.get_by_label("Petr Novak").check()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status").filter(has_text="The review is assigned.")).to_be_visible()
    application_url = page.url
    # Too early to issue the label: the step waits, disabled, and says why.
    expect(page.get_by_role("button", name="Issue the label")).to_be_disabled()
    expect(page.get_by_role("button", name="Issue the label")).to_have_attribute(
        "aria-describedby", "why-issue_label"
    )
    expect(page.get_by_text("The consultant has not delivered the report yet.")).to_be_visible()
    sign_out(page)

    # The consultant records the benchmarking and delivers the report.
    sign_in(page, server, "petr.novak@experts.example")
    page.get_by_role("row").filter(has_text="Parco Agroalimentare").get_by_role(
        "link", name="Open the review"
    ).click()
    page.get_by_label("Interview or assessment date").fill("2099-01-01")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#interview_date + .invalid-feedback")).to_have_text(
        "The interview date lies in the future."
    )
    page.get_by_label("Interview or assessment date").fill(today_in_rome().isoformat())
    for index, field in enumerate(page.locator("input[type='number'][name^='v_B']").all()):
        field.fill(str(index % 5 + 1))
    for scale in page.locator("input[type='radio'][name^='v_B'][value='2']").all():
        scale.check()
    page.get_by_label("Report summary").fill(
        "Committed members and a clear mission; funding needs diversity."
    )
    page.locator("[name='recommendations-0-title']").fill("Add two private funding sources")
    page.get_by_role("button", name="Deliver the report").click()
    expect(
        page.get_by_role("status").filter(has_text="The report is delivered to the agency.")
    ).to_be_visible()
    sign_out(page)

    # The coordinator issues the label.
    sign_in(page, server, "coordinator@informest.example")
    page.goto(application_url)
    confirm_step(page, "Issue the label")
    expect(page.locator("[data-state='label_issued']").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"B-IT-20\d\d-\d{5}"))).to_be_visible()
    sign_out(page)

    # The manager starts the follow-up and works on a recommendation.
    sign_in(page, server, "manager@parco.example")
    page.get_by_role("button", name="Start the follow-up").click()
    expect(page.get_by_role("status").filter(has_text="Done: Start the follow-up.")).to_be_visible()
    recommendation = page.locator("[id^='recommendation-']").filter(
        has_text="Add two private funding sources"
    )
    recommendation.get_by_text("Update", exact=True).click()
    recommendation.get_by_label("Status").select_option("in_progress")
    recommendation.get_by_label("Progress note").fill("Two banks contacted")
    recommendation.get_by_role("button", name="Save the update").click()
    expect(
        page.get_by_role("status").filter(has_text="The recommendation is updated.")
    ).to_be_visible()
    recommendation = page.locator("[id^='recommendation-']").filter(
        has_text="Add two private funding sources"
    )
    expect(recommendation.locator(".badge", has_text="In progress")).to_be_visible()
    expect(recommendation.get_by_text("Two banks contacted")).to_be_visible()


def test_profile_error_beside_its_field(page: Page, server: str) -> None:
    sign_in(page, server, "manager@area.example")
    page.get_by_role("link", name="Edit the profile").click()
    page.get_by_label("Country").fill("Italy")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#country + .invalid-feedback")).to_have_text("Two letters, e.g. IT.")
    expect(page.get_by_label("Country")).to_have_value("Italy")


def test_switching_to_italian(page: Page, server: str) -> None:
    sign_in(page, server, "manager@area.example")
    page.get_by_role("button", name="IT", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("button", name="Esci")).to_be_visible()
    expect(page.get_by_role("heading", name="Il percorso verso l'eccellenza")).to_be_visible()
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_screenshots_for_the_readme(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server, "manager@area.example")
    expect(page.locator(".timeline-bar")).to_have_count(2)
    page.screenshot(path=str(SCREENSHOTS / "manager-timeline.png"), full_page=False)
    sign_out(page)
    sign_in(page, server, "coordinator@informest.example")
    page.goto(f"{server}/board")
    expect(page.locator("[data-application]").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "coordinator-board.png"), full_page=False)
    sign_out(page)
    sign_in(page, server, "luis.ortega@experts.example")
    page.get_by_role("link", name="Open the review").first.click()
    expect(page.get_by_label("B01 · Number of committed cluster participants")).to_have_value("64")
    page.screenshot(path=str(SCREENSHOTS / "consultant-review.png"), full_page=False)


def test_italian_screenshots_for_the_readme(page: Page, server: str) -> None:
    """The coordinator's board and the consultant's review form, each account in Italian."""
    page.set_viewport_size({"width": 1280, "height": 900})
    for email, path, ready, name in (
        ("coordinator@informest.example", "/board", "[data-application]", "board-it.png"),
        ("luis.ortega@experts.example", None, "[data-measure]", "review-form-it.png"),
    ):
        sign_in(page, server, email)
        page.get_by_role("button", name="IT", exact=True).click()
        expect(page.locator("html")).to_have_attribute("lang", "it")
        if path:
            page.goto(f"{server}{path}")
        else:
            page.get_by_role("link", name="Apri la revisione").first.click()
        expect(page.locator(ready).first).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "it")
        page.screenshot(path=str(SCREENSHOTS / name), full_page=False)
        page.get_by_role("button", name="Esci").click()
        page.context.clear_cookies()  # the next account signs in on an English page


def test_gold_review_scores_live_against_the_bar(page: Page, server: str, live_app) -> None:
    """AREA goes for Gold; the consultant's form totals the scores as they are typed."""
    with live_app.app_context():
        area = db.session.scalar(select(Cluster).where(Cluster.name == "Consorzio AREA"))
        manager = area.managers[0]
        coordinator = db.session.scalar(
            select(User).where(User.email == "coordinator@informest.example")
        )
        sofia = db.session.scalar(
            select(User).where(User.email == "sofia.lindqvist@experts.example")
        )
        story = Story(area, manager, coordinator)
        day = today_in_rome()
        story.fire("upgrade", manager, day)
        story.submit_and_assign(sofia, day)
    sign_in(page, server, "sofia.lindqvist@experts.example")
    page.get_by_role("row").filter(has_text="Consorzio AREA").get_by_role(
        "link", name="Open the review"
    ).click()
    scores = page.locator("input[data-quality]")
    expect(scores).to_have_count(31)
    for index in range(31):
        scores.nth(index).fill("4")
    expect(page.locator("[data-score-percent]")).to_have_text("80")
    expect(page.locator("[data-score-bar]")).to_have_class(re.compile("bg-success"))
    scores.nth(0).fill("1")  # below Q01's threshold, and under the bar
    expect(page.locator("[data-score-percent]")).to_have_text("78.1")
    expect(page.locator("[data-score-verdict]")).to_have_text("Below threshold: Q01")
    expect(page.locator("[data-score-bar]")).to_have_class(re.compile("bg-warning"))


def test_layout_and_the_certificate_work_under_the_content_security_policy(
    page: Page, server: str, live_app
) -> None:
    """Widths and positions come from data attributes through static/layout.js, the
    certificate's print button from static/certificate.js: no inline style or script."""
    with live_app.app_context():
        area = db.session.scalar(select(Cluster).where(Cluster.name == "Consorzio AREA"))
        number = area.labels[0].number
    sign_in(page, server, "manager@area.example")
    bar = page.locator(".timeline-bar").first
    expect(bar).to_be_visible()
    assert bar.evaluate("element => element.style.width").endswith("%")
    assert bar.evaluate("element => element.getBoundingClientRect().width") > 10
    page.goto(f"{server}/labels/{number}/certificate")
    page.evaluate("window.print = () => { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")
    border = page.locator(".sheet").evaluate("element => getComputedStyle(element).borderStyle")
    assert border == "double"  # certificate.css applies
