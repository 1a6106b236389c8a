import json
from collections.abc import Iterator

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l

from certtrack.clock import local_today
from certtrack.filters import register_args
from certtrack.models import Level
from certtrack.services import register
from certtrack.services.exports import csv_lines

bp = Blueprint("register", __name__)

# Open data: any site may fetch the downloads from a browser (no cookies are read).
OPEN_DATA = {"Access-Control-Allow-Origin": "*"}
SORT_NAMES = {
    "cluster": _l("Cluster name (A to Z)"),
    "-cluster": _l("Cluster name (Z to A)"),
    "valid_until": _l("Valid until (soonest first)"),
    "-valid_until": _l("Valid until (latest first)"),
}


@bp.get("/register")
def index() -> str:
    """The live labels, filtered, sorted and paged; a plain GET form drives it."""
    filters, number, size = register_args(request.args)
    # What the downloads' links keep of the query, and the pager's besides the page size.
    chosen = {name: value for name, value in filters.echo().items() if value}
    args = {**chosen, "per_page": str(size)} if size != register.PAGE_SIZE else chosen
    return render_template(
        "register/index.html",
        page=register.page(filters, number, size),
        chosen=chosen,
        args=args,
        filters=filters,
        choices=register.choices(),
        sort_names=SORT_NAMES,
        levels=list(Level),
    )


@bp.get("/register.csv")
def csv() -> Response:
    """Every matching live label as CSV, streamed (the page's filters and sort)."""
    filters, _page, _size = register_args(request.args)
    rows = (list(entry.as_dict().values()) for entry in register.entries(filters))
    name = f"register-{local_today().isoformat()}.csv"
    return Response(
        csv_lines(register.FIELDS, rows),
        mimetype="text/csv",
        headers={**OPEN_DATA, "Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/register.json")
def json_download() -> Response:
    """Every matching live label as one JSON document, streamed: {"fields": [...],
    "filters": {...}, "items": [{field: value}, ...]}."""
    filters, _page, _size = register_args(request.args)
    return Response(
        _json_document(filters.echo(), register.entries(filters)),
        mimetype="application/json",
        headers=OPEN_DATA,
    )


def _json_document(
    filters: dict[str, str | None], entries: Iterator[register.RegisterEntry]
) -> Iterator[str]:
    head = json.dumps({"fields": list(register.FIELDS), "filters": filters})
    yield head[:-1] + ', "items": ['
    for index, entry in enumerate(entries):
        yield ("," if index else "") + json.dumps(entry.as_dict(), ensure_ascii=False)
    yield "]}"
