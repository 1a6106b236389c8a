# ruff: noqa: E501  (the language cases read best one per line)
"""The embeddable badge of a label: an SVG image at a stable address that says the level
and whether the label holds, in the reader's language; it follows the label's status,
caches briefly, carries no script, and the public page offers the HTML to embed it."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from certtrack.models import LabelStatus, Level, Role
from certtrack.services.labels import refresh_label_statuses
from certtrack.workflow.policy import load_policy
from tests.builders import add_agency, add_cluster, add_label, add_user

SVG = "{http://www.w3.org/2000/svg}"
UNTIL = date(2027, 3, 31)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(
        datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Europe/Rome")), tick=False
    ):
        yield


@pytest.fixture
def numbers(ctx) -> dict[LabelStatus, str]:
    """A Gold label of its own cluster in every status, each cluster with a manager."""
    agency = add_agency()
    made = {}
    for status in LabelStatus:
        cluster = add_cluster(agency, f"Cluster {status.value}")
        add_user(Role.MANAGER, f"secret.{status.value}@private.example", cluster_id=cluster.id)
        number = f"G-IT-2025-{status.value[:5].upper()}"
        add_label(cluster, number, Level.GOLD, status, UNTIL)
        made[status] = number
    return made


def badge(client, number: str, **options) -> tuple[ET.Element, list[str]]:
    response = client.get(f"/labels/{number}/badge.svg", **options)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data())  # noqa: S314  (our own answer)
    return root, [t.text or "" for t in root.iter(f"{SVG}text")]


EXPECTED = {
    LabelStatus.VALID: "valid until 31 Mar 2027",
    LabelStatus.LAPSED: "lapsed",
    LabelStatus.EXPIRED: "expired",
    LabelStatus.REVOKED: "revoked",
    LabelStatus.SUPERSEDED: "superseded",
}


@pytest.mark.parametrize("status", list(LabelStatus))
def test_badge_says_the_level_and_the_status(client, numbers, status):
    root, texts = badge(client, numbers[status])
    assert texts == ["Gold label", EXPECTED[status]]
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert EXPECTED[status] in title.text and f"Cluster {status.value}" in title.text
    assert root.get("aria-label") == title.text


def test_badge_is_cached_briefly_and_varies_by_language(client, numbers):
    response = client.get(f"/labels/{numbers[LabelStatus.VALID]}/badge.svg")
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("options", "texts"),
    [
        ({"query_string": {"lang": "it"}}, ["Label Gold", "valido fino al 31 mar 2027"]),
        ({"headers": {"Accept-Language": "it-IT,it;q=0.9"}}, ["Label Gold", "valido fino al 31 mar 2027"]),
        # ?lang= wins over the browser; a language we do not speak falls back to it.
        ({"query_string": {"lang": "en"}, "headers": {"Accept-Language": "it"}}, ["Gold label", "valid until 31 Mar 2027"]),
        ({"query_string": {"lang": "xx"}, "headers": {"Accept-Language": "it"}}, ["Label Gold", "valido fino al 31 mar 2027"]),
        ({"headers": {"Accept-Language": "de"}}, ["Gold label", "valid until 31 Mar 2027"]),
    ],
)  # fmt: skip
def test_badge_language_rule(client, numbers, options, texts):
    assert badge(client, numbers[LabelStatus.VALID], **options)[1] == texts


def test_italian_badge_of_a_revoked_label(client, numbers):
    texts = badge(client, numbers[LabelStatus.REVOKED], query_string={"lang": "it"})[1]
    assert texts == ["Label Gold", "revocato"]


def test_badge_follows_the_label_when_it_lapses(client, numbers):
    number = numbers[LabelStatus.VALID]
    assert badge(client, number)[1][1] == "valid until 31 Mar 2027"
    refresh_label_statuses(date(2027, 4, 1), load_policy())
    assert badge(client, number)[1][1] == "lapsed"


def test_badge_text_is_escaped_and_carries_no_script(client, ctx):
    cluster = add_cluster(add_agency(), '<script>alert("x")</script> & Co')
    add_label(cluster, "B-IT-2025-00XSS", Level.BRONZE, LabelStatus.VALID, UNTIL)
    response = client.get("/labels/B-IT-2025-00XSS/badge.svg")
    root = ET.fromstring(response.get_data())  # noqa: S314  (well-formed: the text was escaped)
    assert '<script>alert("x")</script> & Co' in root.find(f"{SVG}title").text
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in {"svg", "title", "rect", "text"}
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        assert "href" not in "".join(element.attrib)


def test_badge_of_an_unknown_label_is_not_found(client, ctx):
    assert client.get("/labels/NO-SUCH-LABEL/badge.svg").status_code == 404


def test_badge_shows_no_private_data(client, numbers):
    for number in numbers.values():
        text = client.get(f"/labels/{number}/badge.svg").get_data(as_text=True)
        assert "private.example" not in text and "Secret" not in text


SNIPPET = re.compile(r"<textarea[^>]*data-embed-snippet>(.*?)</textarea>", re.S)


def test_public_page_offers_the_snippet_linking_badge_to_verification_page(client, numbers):
    number = numbers[LabelStatus.VALID]
    page = client.get(f"/labels/{number}").get_data(as_text=True)
    assert 'for="embed-snippet"' in page and "readonly" in page
    code = html.unescape(SNIPPET.search(page).group(1))
    link = re.fullmatch(
        r'<a href="([^"]+)"><img src="([^"]+)" alt="([^"]+)" height="20"></a>', code
    )
    assert link, code
    href, src, alt = link.groups()
    assert href.endswith(f"/labels/{number}")
    assert src.endswith(f"/labels/{number}/badge.svg")
    assert number in alt and "Cluster valid" in alt
    # The certificate's QR code leads to the same verification page.
    certificate = client.get(f"/labels/{number}/certificate").get_data(as_text=True)
    assert f"<title>{href}</title>" in certificate
