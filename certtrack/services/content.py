"""What a message says, before the email templates lay it out."""

from dataclasses import dataclass, field


@dataclass
class Content:
    subject: str
    paragraphs: list[str]
    action: str
    items: list[str] = field(default_factory=list)
