"""The one rule for text from the outside world. No NUL (PostgreSQL refuses it in text
columns) and no lone surrogates (not encodable, so not storable or showable) anywhere;
names and titles are one line without control characters; free text (comments,
descriptions) may have line breaks and tabs but no other control characters."""

import re

from flask_babel import gettext as _

# NUL and the UTF-16 surrogate range, which a Python str only holds when unpaired.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 and C1 control characters and DEL, plus the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def unstorable(value: str) -> bool:
    """True if `value` holds a NUL or a lone surrogate."""
    return _UNSTORABLE.search(value) is not None


def unstorable_problem() -> str:
    return _("Contains a character that is not allowed (NUL or an unpaired surrogate).")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` may not be stored as a name (one line) or, with `multiline`, as free
    text; None if it may."""
    if unstorable(value):
        return unstorable_problem()
    if multiline:
        if _CONTROL_BUT_LINES.search(value):
            return _("Contains a control character; only line breaks and tabs are allowed.")
    elif _CONTROL.search(value):
        return _("Must be a single line without control characters.")
    return None
