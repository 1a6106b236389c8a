"""What a message says, before the email templates lay it out."""

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class Content:
    subject: str
    paragraphs: list[str]
    action: str
    items: list[str] = field(default_factory=list)
    # What someone wrote, quoted: as typed for the plain-text part, sanitised HTML for
    # the HTML part.
    quote: str | None = None
    quote_html: Markup | None = None
