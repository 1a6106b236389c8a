"""URL converters. Ids in URLs are bounded to the database's integer range, so a huge
number is a 404 like any unknown id, not an overflow deep in the database driver."""

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from certtrack.models.base import MAX_INTEGER as MAX_ID


class IdConverter(IntegerConverter):
    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            # Not a ValidationError: that would let the router answer 405 for the path.
            raise NotFound()
        return number
