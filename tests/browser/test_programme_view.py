"""The programme view in a real browser on the demo: the coordinator reaches it from the
navigation, reads Informest's targets and the charts with their tables, adds a target
through the form (errors first), and the README's screenshot is taken."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_bronze_path import sign_in


def test_the_programme_view(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 1400})
    sign_in(page, server, "coordinator@informest.example")
    page.get_by_role("link", name="Programme", exact=True).first.click()  # in the main navigation
    expect(page.get_by_role("heading", name="Programme of Informest")).to_be_visible()
    expect(page.locator("nav a[aria-current='page']", has_text="Programme")).to_be_visible()
    expect(page.get_by_role("row", name="3 Gold labels")).to_be_visible()
    expect(page.locator("svg[role='img']")).to_have_count(5)
    expect(page.locator("table caption")).to_have_count(6)
    page.screenshot(path=str(SCREENSHOTS / "programme.png"), full_page=False)
    page.get_by_role("link", name="Add a target").click()
    page.get_by_label("How many labels").fill("0")
    page.get_by_role("button", name="Save the target").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Level").select_option("silver")
    page.get_by_label("How many labels").fill("4")
    page.get_by_label("Due by").fill("2028-06-30")
    page.get_by_role("button", name="Save the target").click()
    expect(page.get_by_role("row", name="4 Silver labels")).to_be_visible()
