"""A refused save of the long benchmarking form in a real browser: the error summary at
the top takes the focus and each of its links moves the focus to its field."""

from playwright.sync_api import Page, expect

from tests.browser.test_bronze_path import sign_in


def test_refused_review_save_focuses_the_summary_whose_links_reach_each_field(
    page: Page, server: str
) -> None:
    sign_in(page, server, "luis.ortega@experts.example")
    page.get_by_role("row").filter(has_text="Polo Tecnologico di Pordenone").get_by_role(
        "link", name="Open the review"
    ).click()
    expect(page.get_by_text("of 36 answered")).to_be_visible()
    page.get_by_label("Interview or assessment date").fill("2099-01-01")
    page.locator("#v_B02").fill("9")
    page.get_by_role("button", name="Save the draft").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator("#v_B02")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#v_B02")).to_have_attribute("aria-describedby", "v_B02-error guide-B02")
    expect(page.locator("#v_B02-error")).to_have_text("Must be between 0 and 7.")
    expect(page.locator("#v_B02")).to_have_value("9")  # what was typed is kept

    summary.get_by_role("link", name="Must be between 0 and 7.").click()
    expect(page.locator("#v_B02")).to_be_focused()
    assert page.evaluate("location.hash") == "#v_B02"
    summary.get_by_role("link", name="The interview date lies in the future.").click()
    expect(page.get_by_label("Interview or assessment date")).to_be_focused()


def test_area_navigation_jumps_to_each_area(page: Page, server: str) -> None:
    sign_in(page, server, "luis.ortega@experts.example")
    page.get_by_role("link", name="Open the review").first.click()
    areas = page.get_by_role("navigation", name="Areas of the form")
    areas.get_by_role("link", name="Services").click()
    assert page.evaluate("location.hash") == "#area-services"
    expect(page.get_by_role("heading", name="Services", exact=True)).to_be_in_viewport()
