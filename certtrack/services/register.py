"""The public register of live labels: the page, its CSV and JSON downloads and their
filters. Only public fields leave here (the label's number, its cluster's name, country
and sector, level, validity, status and issuing agency): no people, no internal ids."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select

from certtrack.extensions import db
from certtrack.models import LIVE_LABEL_STATUSES, Agency, Cluster, Label, LabelStatus, Level
from certtrack.paging import Page

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# Offset paging costs the database the rows it skips: past this page, the downloads.
MAX_PAGE = 1000
# Each list of filter choices is cut at this many entries, so the page stays bounded.
MAX_CHOICES = 300
# Rows fetched per round trip while a download streams.
STREAM_BATCH = 500

SORTS = {
    "cluster": (func.lower(Cluster.name), Label.id),
    "-cluster": (func.lower(Cluster.name).desc(), Label.id.desc()),
    "valid_until": (Label.valid_until, Label.id),
    "-valid_until": (Label.valid_until.desc(), Label.id.desc()),
}
DEFAULT_SORT = "cluster"

# The open-data field list, in order; the CSV header and the JSON keys.
FIELDS = (
    "number",
    "cluster",
    "country",
    "sector",
    "level",
    "valid_until",
    "status",
    "agency",
    "agency_short_name",
)


@dataclass(frozen=True)
class RegisterFilters:
    country: str | None = None  # ISO code, any case
    sector: str | None = None  # exact, any case
    level: Level | None = None
    agency: str | None = None  # short name
    q: str | None = None  # part of the cluster's name, any case
    sort: str = DEFAULT_SORT

    def echo(self) -> dict[str, str | None]:
        """The filters as the downloads repeat them back."""
        return {
            "country": self.country.upper() if self.country else None,
            "sector": self.sector,
            "level": self.level.value if self.level else None,
            "agency": self.agency,
            "q": self.q,
            "sort": self.sort,
        }


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the register."""

    number: str
    cluster: str
    country: str
    sector: str | None
    level: Level
    valid_until: date
    status: LabelStatus
    agency: str
    agency_short_name: str

    @property
    def lapsed(self) -> bool:
        return self.status == LabelStatus.LAPSED

    def as_dict(self) -> dict[str, Any]:
        """The open-data record (FIELDS), dates as ISO strings."""
        return {
            "number": self.number,
            "cluster": self.cluster,
            "country": self.country,
            "sector": self.sector,
            "level": self.level.value,
            "valid_until": self.valid_until.isoformat(),
            "status": self.status.value,
            "agency": self.agency,
            "agency_short_name": self.agency_short_name,
        }


class RegisterPage(Page[RegisterEntry]):
    """A page of the register; deep pages stop at MAX_PAGE."""

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, super().pages)


# The columns of a register row, as the typed queries and rows carry them.
RegisterSelect = Select[str, str, str, str | None, Level, date, LabelStatus, str, str]
RegisterRow = Row[str, str, str, str | None, Level, date, LabelStatus, str, str]


def _query(filters: RegisterFilters) -> RegisterSelect:
    query = (
        select(
            Label.number,
            Cluster.name,
            Cluster.country,
            Cluster.sector,
            Label.level,
            Label.valid_until,
            Label.status,
            Agency.name,
            Agency.short_name,
        )
        .join(Cluster, Cluster.id == Label.cluster_id)
        .join(Agency, Agency.id == Cluster.agency_id)
        .where(Label.status.in_(LIVE_LABEL_STATUSES))
    )
    if filters.country:
        query = query.where(Cluster.country == filters.country.upper())
    if filters.sector:
        query = query.where(func.lower(Cluster.sector) == filters.sector.lower())
    if filters.level:
        query = query.where(Label.level == filters.level)
    if filters.agency:
        query = query.where(Agency.short_name == filters.agency)
    if filters.q:
        query = query.where(func.lower(Cluster.name).contains(filters.q.lower(), autoescape=True))
    return query


def _entry(row: RegisterRow) -> RegisterEntry:
    return RegisterEntry(*row)


def page(filters: RegisterFilters, number: int = 1, size: int = PAGE_SIZE) -> RegisterPage:
    """One page of the register (two statements: the count and the rows)."""
    size = max(1, min(size, MAX_PAGE_SIZE))
    number = max(1, min(number, MAX_PAGE))
    query = _query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(*SORTS[filters.sort]).limit(size).offset((number - 1) * size)
    )
    return RegisterPage([_entry(row) for row in rows], int(total), number, size)


def entries(filters: RegisterFilters) -> Iterator[RegisterEntry]:
    """Every matching entry, fetched in batches (a server-side cursor on PostgreSQL) so a
    download of any size stays small in memory. The rows come on a connection of their
    own from the engine taken now: the download streams after the request's context has
    ended, and a client that stops reading only closes that connection."""
    query = _query(filters).order_by(*SORTS[filters.sort])
    engine = db.engine

    def rows() -> Iterator[RegisterEntry]:
        with engine.connect() as connection:
            result = connection.execute(query.execution_options(yield_per=STREAM_BATCH))
            try:
                for row in result:
                    yield _entry(row)
            finally:  # before the connection: a server-side cursor must not outlive it
                result.close()

    return rows()


def choices() -> dict[str, list[Any]]:
    """What the filters offer: the countries, sectors and agencies of live labels
    (three statements, each list cut at MAX_CHOICES)."""
    live = (
        select(Cluster.id)
        .join(Label, Label.cluster_id == Cluster.id)
        .where(Label.status.in_(LIVE_LABEL_STATUSES))
    )
    countries = select(Cluster.country).where(Cluster.id.in_(live)).order_by(Cluster.country)
    sectors = (
        select(Cluster.sector)
        .where(Cluster.id.in_(live), Cluster.sector.is_not(None))
        .order_by(Cluster.sector)
    )
    agencies = (
        select(Agency.short_name, Agency.name)
        .where(Agency.id.in_(select(Cluster.agency_id).where(Cluster.id.in_(live))))
        .order_by(Agency.name)
    )
    return {
        "countries": list(db.session.scalars(countries.distinct().limit(MAX_CHOICES))),
        "sectors": list(db.session.scalars(sectors.distinct().limit(MAX_CHOICES))),
        "agencies": [tuple(row) for row in db.session.execute(agencies.limit(MAX_CHOICES))],
    }
