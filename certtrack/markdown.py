"""The one way people's Markdown becomes HTML: a small subset (paragraphs, lists, links,
bold and italic, line breaks, inline code) parsed with raw HTML off, then sanitised with
an allowlist. Whatever anyone typed, no markup outside that list reaches a page, an
email or an API answer."""

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "a", "em", "strong", "br", "code"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# The parser's rules that make up the subset (its "zero" preset has paragraphs and text).
RULES = ["list", "link", "autolink", "emphasis", "newline", "backticks", "escape", "entity"]


@cache
def _parser() -> MarkdownIt:
    # html=False: tags people type stay text; breaks=True: a line break is kept.
    return MarkdownIt("zero", {"html": False, "breaks": True}).enable(RULES)


def _href_only_with_a_scheme(tag: str, attribute: str, value: str) -> str | None:
    # Relative links would point into this site with the reader's session.
    if attribute == "href":
        scheme, colon, _rest = value.partition(":")
        return value if colon and scheme.lower() in LINK_SCHEMES else None
    return value


def render(source: str) -> Markup:
    """`source` (Markdown) as sanitised HTML, safe to put in a page or an email."""
    html = _parser().render(source)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel=LINK_REL,
        attribute_filter=_href_only_with_a_scheme,
        strip_comments=True,
    )
    return Markup(clean.strip())  # noqa: S704  (sanitised just above)
