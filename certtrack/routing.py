"""URL converters. Ids in URLs are ASCII digits bounded to the database's integer range,
so a huge number is a 404 like any unknown id, not an overflow deep in the database
driver."""

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from certtrack.parsing import MAX_ID, whole_number


class IdConverter(IntegerConverter):
    # Werkzeug's \d+ also matches the digits of other scripts (Arabic-Indic, say).
    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        number = whole_number(value, 1, MAX_ID)
        if number is None:
            # Not a ValidationError: that would let the router answer 405 for the path.
            raise NotFound()
        return number
