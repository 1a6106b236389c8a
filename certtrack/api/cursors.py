"""Keyset cursors for the API's lists: `after=<cursor>` continues a list just past the
row the cursor names, with a WHERE on the sort column and the id instead of an OFFSET,
so a deep page costs the database what the first one does.

A cursor is opaque to clients: base64url of the JSON [sort, value, id] of the last row
of a page. It is only valid with the sort it was made for."""

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from certtrack.parsing import MAX_ID
from certtrack.workflow.errors import InvalidParams

Column = InstrumentedAttribute[Any]
MAX_CURSOR = 1000  # characters: a cursor names one row, far shorter


def nullable(column: Column) -> bool:
    """Whether the sort column may hold NULL (such a column sorts NULL as the greatest
    value on every database, so that a cursor can step over them)."""
    return bool(getattr(column.expression, "nullable", False))


def encode(sort: str, value: Any, row_id: int) -> str:
    """The cursor of the row whose sort value is `value` and whose id is `row_id`."""
    if isinstance(value, date | datetime):
        value = value.isoformat()
    raw = json.dumps([sort, value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, sort: str, column: Column) -> tuple[Any, int]:
    """The sort value and id a cursor names, typed like `column`; a cursor that is not
    one of this list with this sort is refused (422 naming `after`)."""
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError(cursor)
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        if not isinstance(decoded, list):
            raise ValueError(decoded)
        made_for, value, row_id = decoded
        if made_for != sort:
            raise InvalidParams(
                _("The request is not valid."),
                {"after": _("This cursor was made for another sort order.")},
            )
        return _typed(value, column), _whole(row_id)
    except (binascii.Error, ValueError, TypeError, RecursionError):
        raise InvalidParams(
            _("The request is not valid."), {"after": _("Not a cursor of this list.")}
        ) from None


def _typed(value: Any, column: Column) -> Any:
    if value is None:
        if not nullable(column):
            raise ValueError(value)
        return None
    kind = column.type.python_type
    if kind is int:
        return _whole(value)
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(value)
    value.encode()  # a lone surrogate raises: the database could not take it
    if kind is datetime:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:  # stored moments are naive UTC
            raise ValueError(value)
        return moment
    if kind is date:
        return date.fromisoformat(value)
    if kind is not str:
        raise ValueError(value)
    return value


def _whole(value: Any) -> int:
    """An id or a whole-number sort value, within the columns' range."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise ValueError(value)
    return value


def after(
    column: Column, descending: bool, value: Any, row_id: int, id_column: Column
) -> ColumnElement[bool]:
    """The rows that come after (value, row_id) in the order (column, id); NULL is the
    greatest value (NULLS LAST ascending, NULLS FIRST descending)."""
    if value is None:
        if descending:  # the NULLs come first: the rest of them, then every value
            return or_(column.is_not(None), and_(column.is_(None), id_column > row_id))
        return and_(column.is_(None), id_column > row_id)
    beyond = column < value if descending else column > value
    following = or_(beyond, and_(column == value, id_column > row_id))
    if nullable(column) and not descending:
        return or_(following, column.is_(None))
    return following
