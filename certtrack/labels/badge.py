"""The embeddable badge of a label: its words in the reader's language, its colours and
the widths of its two halves."""

from dataclasses import dataclass

from flask import Request
from flask_babel import format_date
from flask_babel import gettext as _

from certtrack import vocabulary
from certtrack.i18n import LOCALES
from certtrack.models import Label, LabelStatus

DEFAULT_LOCALE = "en"
# Average advance of an 11 px sans-serif glyph; textLength makes the text fit exactly.
CHAR_WIDTH = 6.5
PADDING = 8
LEVEL_COLOURS = {"bronze": "#8a5a2b", "silver": "#5f6b75", "gold": "#8a6d00"}
STATUS_COLOURS = {
    LabelStatus.VALID: "#1e7b34",
    LabelStatus.LAPSED: "#a15c00",
    LabelStatus.EXPIRED: "#b02a37",
    LabelStatus.REVOKED: "#212529",
    LabelStatus.SUPERSEDED: "#5c636a",
}


def badge_locale(request: Request) -> str:
    """The badge's language: ?lang= when it names one we speak, else the browser's
    Accept-Language, else English. Never the session or the signed-in user, so one
    address and Accept-Language always give the same image, which caches may keep."""
    asked = request.args.get("lang", "").lower()
    if asked in LOCALES:
        return asked
    return request.accept_languages.best_match(list(LOCALES)) or DEFAULT_LOCALE


@dataclass(frozen=True)
class Half:
    text: str
    colour: str
    x: float  # where it starts
    width: float

    @property
    def text_length(self) -> float:
        return self.width - 2 * PADDING

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Badge:
    title: str
    level: Half
    validity: Half

    @property
    def width(self) -> float:
        return self.level.width + self.validity.width


def validity_text(label: Label) -> str:
    """ "valid until 31 Mar 2027", or the status of a label that does not hold."""
    if label.status == LabelStatus.VALID:
        return _("valid until %(day)s", day=format_date(label.valid_until, "d MMM y"))
    # The status's one display name, in lower case as it reads after the level.
    return str(vocabulary.name(label.status)).lower()


def _width(text: str) -> float:
    return round(len(text) * CHAR_WIDTH + 2 * PADDING, 1)


def badge(label: Label) -> Badge:
    """The badge of `label` in the current locale."""
    level_text = _("%(level)s label", level=vocabulary.name(label.level))
    validity = validity_text(label)
    left = Half(level_text, LEVEL_COLOURS[label.level.value], 0, _width(level_text))
    right = Half(validity, STATUS_COLOURS[label.status], left.width, _width(validity))
    title = _(
        "%(cluster)s: %(level)s, %(validity)s (label %(number)s)",
        cluster=label.cluster.name,
        level=level_text,
        validity=validity,
        number=label.number,
    )
    return Badge(title, left, right)
