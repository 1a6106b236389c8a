"""The JSON every request body goes through: standard JSON only (no NaN or Infinity),
nested at most MAX_DEPTH levels, and no string (key or value) holding a NUL or a lone
surrogate. Anything else is a JSONRefused, which Flask and the API answer with 400."""

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from certtrack.text import unstorable, unstorable_problem

MAX_DEPTH = 32


class JSONRefused(ValueError):
    """Parsable perhaps, but not a body this service takes; the message says why."""


def strict_loads(document: str | bytes) -> Any:
    """Parse `document` under the rules above."""
    try:
        value = json.loads(document, parse_constant=_refuse_constant)
    except RecursionError:
        raise JSONRefused(_too_deep()) from None
    _check(value)
    return value


def _refuse_constant(name: str) -> Any:
    raise JSONRefused(_("%(name)s is not a JSON number.", name=name))


def _too_deep() -> str:
    return _("The body is nested more than %(n)s levels deep.", n=MAX_DEPTH)


def _check(value: Any) -> None:
    # A loop, not recursion: the depth is what is being checked.
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, str):
            if unstorable(node):
                raise JSONRefused(unstorable_problem())
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise JSONRefused(_too_deep())
        if isinstance(node, dict):
            pending.extend((key, depth) for key in node)
            pending.extend((item, depth + 1) for item in node.values())
        else:
            pending.extend((item, depth + 1) for item in node)


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with strict_loads for request bodies."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)
