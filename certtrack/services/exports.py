"""CSV exports for coordinators: Excel-friendly (UTF-8 with BOM, CRLF, quoted as needed),
built from the same visibility rules and filters as the pages and the API."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Cluster,
    Label,
    Recommendation,
    RecommendationStatus,
    Report,
    User,
)
from certtrack.services.access import application_filter, cluster_filter
from certtrack.services.portfolio import LabelFilters, labels_query, standing

# A spreadsheet runs a cell that starts with one of these as a formula; the text comes
# from users (cluster names, recommendation titles), so it is defused with a quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text line by line, so a long export can stream: the header first (after
    the BOM, which makes Excel read UTF-8 accented names correctly), every cell defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return "".join(csv_lines(header, rows)).encode("utf-8")


def clusters(user: User, search: str | None = None) -> bytes:
    query = (
        select(Cluster)
        .where(cluster_filter(user))
        .options(joinedload(Cluster.agency))
        .order_by(Cluster.name, Cluster.id)
    )
    if search:
        query = query.where(Cluster.name.ilike(f"%{search}%"))
    rows = list(db.session.scalars(query))
    live, current = standing([c.id for c in rows])
    header = [
        "cluster",
        "agency",
        "country",
        "region",
        "sector",
        "committed_members",
        "label",
        "label_number",
        "label_valid_until",
        "label_status",
        "application_level",
        "application_state",
    ]
    body = []
    for cluster in rows:
        held, app = live.get(cluster.id), current.get(cluster.id)
        body.append(
            [
                cluster.name,
                cluster.agency.short_name,
                cluster.country,
                cluster.region,
                cluster.sector,
                cluster.committed_members,
                held.level.value if held else None,
                held.number if held else None,
                held.valid_until.isoformat() if held else None,
                held.status.value if held else None,
                app.level.value if app else None,
                app.state.value if app else None,
            ]
        )
    return to_csv(header, body)


def labels(user: User, filters: LabelFilters, today: date) -> bytes:
    query = labels_query(user, filters, today).order_by(Label.valid_until, Label.id)
    header = [
        "number",
        "cluster",
        "country",
        "level",
        "interview_month",
        "issued_on",
        "valid_until",
        "status",
    ]
    rows = (
        [
            label.number,
            label.cluster.name,
            label.cluster.country,
            label.level.value,
            label.interview_month.strftime("%Y-%m"),
            label.issued_on.isoformat(),
            label.valid_until.isoformat(),
            label.status.value,
        ]
        for label in db.session.scalars(query)
    )
    return to_csv(header, rows)


def recommendations(user: User, status: RecommendationStatus | None = None) -> bytes:
    query = (
        select(Recommendation, Application)
        .join(Report, Report.id == Recommendation.report_id)
        .join(Application, Application.id == Report.application_id)
        .where(application_filter(user))
        .options(joinedload(Application.cluster))
        .order_by(Recommendation.due_date, Recommendation.id)
    )
    if status:
        query = query.where(Recommendation.status == status)
    header = [
        "cluster",
        "application",
        "level",
        "recommendation",
        "priority",
        "owner",
        "due_date",
        "status",
        "completed_on",
        "evidence",
    ]
    rows = (
        [
            app.cluster.name,
            app.id,
            app.level.value,
            rec.title,
            rec.priority.value,
            rec.owner,
            rec.due_date.isoformat() if rec.due_date else None,
            rec.status.value,
            rec.completed_on.isoformat() if rec.completed_on else None,
            rec.evidence,
        ]
        for rec, app in db.session.execute(query)
    )
    return to_csv(header, rows)
