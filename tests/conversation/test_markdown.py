"""The Markdown subset and its sanitiser: hostile input never comes out as markup."""

from html.parser import HTMLParser

import pytest

from certtrack.markdown import ALLOWED_TAGS, render

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "<div><p><b onclick=alert(1)>nested</b></p></div>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<!-- comment --><a href=https://x.example onclick=1>a</a>",
    "**<em onmouseover=alert(1)>bold</em>**",
    "<<script>script>alert(1)<</script>/script>",
    "[x](<javascript:alert(1)>)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


class Elements(HTMLParser):
    """Every element and attribute of a piece of HTML, as a browser would parse it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    for tag, attrs in Elements(html).found:
        assert tag in ALLOWED_TAGS, html
        assert set(attrs) <= ({"href", "rel"} if tag == "a" else set()), html
        href = (attrs.get("href") or "https:").strip().lower()
        assert href.startswith(("http:", "https:", "mailto:")), html
        if tag == "a":
            assert attrs["rel"] == "nofollow noopener noreferrer", html


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_comes_out_as_harmless_text(source):
    assert_harmless(str(render(source)))


def test_the_subset_renders():
    html = str(
        render(
            "Hello **bold** and *italic* and `code`\nnext line\n\n"
            "- one\n- two\n\n1. first\n\n[ESCA](https://www.cluster-analysis.org) "
            "<mailto:info@example.org>"
        )
    )
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>code</code>" in html and "<br>" in html
    assert "<ul>" in html and "<li>one</li>" in html and "<ol>" in html
    assert (
        '<a href="https://www.cluster-analysis.org" rel="nofollow noopener noreferrer">ESCA</a>'
        in html
    )
    assert 'href="mailto:info@example.org"' in html


def test_what_is_outside_the_subset_stays_text():
    html = str(render("# Title\n\n> quoted\n\n![image](https://x.example/i.png)\n\n---"))
    assert_harmless(html)
    assert "<h1>" not in html and "<img" not in html and "<blockquote>" not in html
    assert "# Title" in html


def test_relative_links_lose_their_target():
    """A link into this site would be followed with the reader's session."""
    html = str(render("[admin](/admin/users) [up](../x)"))
    assert "href" not in html
    assert "admin" in html and "up" in html


def test_typed_html_is_shown_as_typed():
    assert str(render("a <b>b</b> & c")) == "<p>a &lt;b&gt;b&lt;/b&gt; &amp; c</p>"
