"""Italian pages are Italian throughout: every page of the permission matrix, as each
role, read in Italian, shows no English catalog string and no ISO date in its running
text. Machine values (`<time datetime>`, attributes), code and what people typed (form
fields) are not running text; neither is anything marked with another `lang`."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.accessibility.pages import SWEPT_ROLES, visits
from tests.web.conftest import sign_in
from tests.web.test_permissions import ROLES, demo_ids

CATALOG = Path(__file__).resolve().parents[2] / "certtrack/translations/it/LC_MESSAGES/messages.po"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# Not running text: code, scripts, styles, and what a field holds (user data).
SKIPPED = {"script", "style", "code", "pre", "textarea", "select"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class RunningText(HTMLParser):
    """The text a reader sees, without the skipped elements and those in another lang."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # whether each open element is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        language = dict(attrs).get("lang")
        foreign = tag != "html" and language is not None and not language.startswith("it")
        self.stack.append(tag in SKIPPED or foreign or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def running_text(html: str) -> str:
    parser = RunningText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_phrases() -> set[str]:
    """Each catalog string of 3+ words whose Italian differs, cut at its placeholders
    (a piece keeps 3+ words to count)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    phrases = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid, msgstr in zip(ids, strings, strict=False):
            if not msgid or msgid == msgstr:
                continue
            for piece in PLACEHOLDER.split(msgid.replace("%%", "%")):
                piece = " ".join(piece.split()).strip(" .,;:()")
                if len(piece.split()) >= 3:
                    phrases.add(piece)
    return phrases


def problems_on(text: str, phrases: set[str]) -> list[str]:
    found = [f"English: {p!r}" for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    return found + [f"ISO date: {d}" for d in ISO_DATE.findall(text)]


def test_running_text_leaves_out_machine_values_code_and_other_languages():
    html = (
        '<p>Valido fino al <time datetime="2027-03-31">31 marzo 2027</time>.</p>'
        "<code>2027-03-31</code><textarea>typed by someone</textarea>"
        '<button lang="en">EN</button><br><p>Fine</p>'
    )
    assert running_text(html) == "Valido fino al 31 marzo 2027 . Fine"
    phrases = english_phrases()
    assert "The report is delivered to the agency" in phrases
    assert problems_on("Scadenza 2027-03-31", phrases) == ["ISO date: 2027-03-31"]
    found = problems_on("Fatto. The report is delivered to the agency.", phrases)
    assert "English: 'The report is delivered to the agency'" in found


@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_italian_pages_show_no_english_and_no_iso_date(role, demo, client):
    phrases = english_phrases()
    ids = demo_ids(demo)
    client.post("/locale", data={"locale": "it"})  # signing out before signing in, too
    if ROLES[role]:
        sign_in(client, ROLES[role], locale="it")
    read, problems = 0, []
    for visit in visits(role, ids):
        if visit.method == "GET":
            response = client.get(visit.url, buffered=True)
        else:
            response = client.post(visit.url, data=visit.data, buffered=True)
        if response.mimetype != "text/html" or response.status_code != visit.status:
            continue
        html = response.get_data(as_text=True)
        assert '<html lang="it">' in html, visit
        read += 1
        problems += [f"{visit}: {p}" for p in problems_on(running_text(html), phrases)]
    assert read >= 5
    assert not problems, "\n".join(sorted(problems))
