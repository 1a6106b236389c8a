"""WCAG 2.1 AA on every page, as every role, in English and Italian: axe-core in Chromium,
no horizontal scrolling 390 px wide, and the Nu HTML checker over every page's HTML in
one run. The pages come from the permission matrix (tests/accessibility/pages.py)."""

import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Response

from certtrack.demo.data import PASSWORD
from tests.accessibility.conftest import SUMMARY
from tests.accessibility.pages import LANGUAGES, SWEPT_ROLES, Visit, visits
from tests.web.test_permissions import ROLES, demo_ids

pytestmark = pytest.mark.accessibility

# WCAG 2.0 and 2.1, A and AA; and axe's best practices, where it files empty table
# headers, landmarks and heading order.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""
# Posts a form the way the page would, with the CSRF token the page carries.
POST_FORM = """([url, data]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = url;
  const token = document.querySelector("input[name=csrf_token]");
  const fields = {...data, ...(token ? {csrf_token: token.value} : {})};
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
}"""


@dataclass
class Seen:
    """What the sweep saw of one page as one role in one language."""

    role: str
    language: str
    visit: Visit
    html: str
    violations: list[dict] = field(default_factory=list)  # type: ignore[type-arg]
    scroll_width: int = 0

    @property
    def where(self) -> str:
        return f"{self.visit} as {self.role}, {self.language}"


@dataclass
class Sweep:
    seen: list[Seen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # pages that did not open as expected
    seconds: float = 0.0


def sign_in(page: Page, server: str, role: str) -> None:
    page.goto(f"{server}/login")
    page.fill("input[name=email]", ROLES[role] or "")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form [type=submit]")
    assert "/login" not in page.url, f"{role} could not sign in"


def choose_language(page: Page, server: str, language: str) -> None:
    page.goto(f"{server}/")
    with page.expect_navigation():
        page.click(f"form[action$='/locale'] button[value={language}]")
    assert page.get_attribute("html", "lang") == language


def is_html(context: BrowserContext, url: str) -> bool:
    """CSV exports, the calendar feed and the health checks are not pages."""
    response = context.request.get(url, max_redirects=0)
    return response.headers.get("content-type", "").startswith("text/html")


def open_page(page: Page, server: str, visit: Visit) -> Response | None:
    if visit.method == "GET":
        return page.goto(server + visit.url)
    page.goto(f"{server}/")
    with page.expect_navigation() as navigation:
        page.evaluate(POST_FORM, [server + visit.url, visit.data])
    return navigation.value


def look_at(page: Page, role: str, language: str, visit: Visit, response: Response) -> Seen:
    seen = Seen(role, language, visit, response.text())
    seen.violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    page.set_viewport_size(PHONE)
    seen.scroll_width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    return seen


def sweep_role(
    browser: Browser, axe: Path, server: str, role: str, ids: dict[str, int], sweep: Sweep
) -> None:
    """One signed-in context for the role, both languages, every page it can open."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(path=str(axe))
    page = context.new_page()
    try:
        if ROLES[role]:
            sign_in(page, server, role)
        for language in LANGUAGES:
            choose_language(page, server, language)
            for visit in visits(role, ids):
                if visit.method == "GET" and not is_html(context, server + visit.url):
                    continue
                response = open_page(page, server, visit)
                status = response.status if response else None
                if status != visit.status:
                    sweep.problems.append(f"{visit} as {role}, {language}: status {status}")
                    continue
                assert response is not None
                sweep.seen.append(look_at(page, role, language, visit, response))
    finally:
        context.close()


@pytest.fixture(scope="module")
def sweep(browser: Browser, axe_script: Path, swept_app: Flask, swept_server: str) -> Sweep:
    started = time.monotonic()
    ids, result = demo_ids(swept_app), Sweep()
    for role in SWEPT_ROLES:
        sweep_role(browser, axe_script, swept_server, role, ids, result)
    result.seconds = time.monotonic() - started
    addresses = {(seen.visit.method, seen.visit.url) for seen in result.seen}
    SUMMARY.append(
        f"certtrack: accessibility sweep: {len(result.seen)} pages seen ({len(addresses)}"
        f" addresses; {len(SWEPT_ROLES)} roles x {len(LANGUAGES)} languages)"
        f" in {result.seconds:.0f} s"
    )
    return result


def of(sweep: Sweep, role: str, language: str) -> Iterator[Seen]:
    return (s for s in sweep.seen if s.role == role and s.language == language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_every_page_meets_wcag_21_aa(sweep: Sweep, role: str, language: str) -> None:
    pages = list(of(sweep, role, language))
    assert pages, f"no page was checked as {role}, {language}"
    failures = [
        f"{seen.where}: {v['rule']} ({v['impact']}: {v['help']}) at {'; '.join(v['nodes'])}"
        for seen in pages
        for v in seen.violations
    ]
    assert not failures, f"{len(failures)} axe-core violations:\n" + "\n".join(failures)


def test_every_page_opens_as_the_permission_matrix_says(sweep: Sweep) -> None:
    assert not sweep.problems, "\n".join(sweep.problems)


@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_no_page_scrolls_sideways_on_a_phone(sweep: Sweep, role: str) -> None:
    wide = [
        f"{seen.where}: {seen.scroll_width} px wide at {PHONE['width']} px"
        for seen in sweep.seen
        if seen.role == role and seen.scroll_width > PHONE["width"]
    ]
    assert not wide, "\n".join(wide)


def test_every_page_is_valid_html(sweep: Sweep, vnu_command: list[str], tmp_path: Path) -> None:
    """The Nu HTML checker, once over every page; its warnings are allowed."""
    names: dict[str, Seen] = {}
    for number, seen in enumerate(sweep.seen):
        name = f"page-{number:04d}.html"
        (tmp_path / name).write_text(seen.html, encoding="utf-8")
        names[name] = seen
    run = subprocess.run(
        [*vnu_command, "--format", "json", "--errors-only", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{names[Path(m['url']).name].where}: line {m.get('lastLine', '?')}: {m['message']}"
        f" ({m.get('extract', '').strip()})"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


def test_every_table_box_takes_the_keyboard(sweep: Sweep) -> None:
    """A table scrolling inside its box on a phone must be reachable to scroll it."""
    box = re.compile(r"<div[^>]*\bclass=\"table-responsive\"[^>]*>")
    bare = [
        f"{seen.where}: {tag}"
        for seen in sweep.seen
        for tag in box.findall(seen.html)
        if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label=" not in tag
    ]
    assert not bare, "table boxes without tabindex, role and label:\n" + "\n".join(bare)


def test_the_keyboard_skips_to_the_content_and_always_shows_where_it_is(
    browser: Browser, swept_server: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        sign_in(page, swept_server, "admin")
        page.goto(f"{swept_server}/board")
        page.keyboard.press("Tab")
        skip = page.evaluate(FOCUSED)
        assert skip["href"].endswith("#main") and skip["width"] > 1 and skip["outline"] >= 2
        page.keyboard.press("Enter")
        assert page.url.endswith("#main")
        page.goto(f"{swept_server}/board")
        unseen, stops = [], 0
        while stops < 200:
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] == "BODY":  # past the last one
                break
            stops += 1
            if focused["outline"] < 2:
                unseen.append(focused["html"])
        assert stops > 10, f"only {stops} stops for the keyboard on the board"
        assert not unseen, "focused without a visible outline:\n" + "\n".join(unseen)
        current = page.locator("nav [aria-current=page]")
        assert current.count() == 1 and current.get_attribute("href") == "/board"
    finally:
        context.close()


# The focused element: where it leads, how wide it is, how thick its outline.
FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {
    tag: e.tagName, href: e.getAttribute("href") || "", width: e.getBoundingClientRect().width,
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    html: e.outerHTML.slice(0, 120),
  };
}"""
