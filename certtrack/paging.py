"""Pages of a list for the web pages: one shape for every paginated list, which the
`pager` macro in templates/_macros.html draws."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from certtrack.extensions import db

T = TypeVar("T")
AROUND = 2  # page links shown either side of the current one


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of page `page` (from 1) of `per_page` rows, out of `total`."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def iter_pages(self) -> Iterator[int | None]:
        """The first, the last and the pages around the current one; None for a gap.
        At most 2 * AROUND + 5 entries however many pages there are."""
        shown = {1, self.pages, *range(self.page - AROUND, self.page + AROUND + 1)}
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= self.pages):
            if number > previous + 1:
                yield None
            yield number
            previous = number


def count(query: Select[Any]) -> int:
    """How many rows `query` returns, counted by the database."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return int(total or 0)


def page_of(
    query: Select[Any], number: int | None, per_page: int, last_first: bool = False
) -> Page[Any]:
    """Page `number` of `query` (already ordered): two statements, the count and the
    rows, plus what the query's loader options add. Without a number the first page,
    or the last one with `last_first` (a conversation opens on its newest messages).
    A page past the end is empty rather than an error."""
    total = count(query)
    if number is None:
        number = max(1, -(-total // per_page)) if last_first else 1
    rows = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page))
    return Page(list(rows.unique()), total, number, per_page)
