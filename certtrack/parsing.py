"""Whole numbers from the outside world (URLs, query strings, headers, forms): ASCII
digits only and within the range their column holds, so nothing that `str.isdigit()`
likes but `int()` refuses ('²'), and nothing beyond the database's range, gets in."""

import re

from flask_babel import gettext as _

from certtrack.models.base import MAX_INTEGER

MAX_ID = MAX_INTEGER
# More digits than any bound here: int() of a 5,000-digit string is never attempted.
_WHOLE = re.compile(r"-?[0-9]{1,19}")


def whole_number(raw: object, low: int, high: int) -> int | None:
    """The integer `raw` spells (a str of ASCII digits, '-' first if `low` is negative,
    or an int) when it lies within low..high; None for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, str) and _WHOLE.fullmatch(raw) and (low < 0 or raw[0] != "-"):
        number = int(raw)
    else:
        return None
    return number if low <= number <= high else None


def number_problem(low: int, high: int) -> str:
    """What to tell someone whose number `whole_number` refused."""
    return _("Must be a whole number from %(low)s to %(high)s.", low=low, high=high)
