"""The API's blueprint on flask-smorest: strict JSON bodies and query strings, bearer
tokens, pages and ETags. Each operation's schemas validate, serialise and document it."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields
from sqlalchemy import Select, func, select
from webargs import core
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import CombinedMultiDict, WWWAuthenticate
from werkzeug.exceptions import BadRequest, Unauthorized

from certtrack.api import cursors
from certtrack.extensions import db
from certtrack.models import Role, User
from certtrack.parsing import MAX_ID, whole_number
from certtrack.schemas import (
    ErrorSchema,
    Query,
    Representation,
    Text,
    WholeNumber,
    choice,
    refused,
)
from certtrack.services.tokens import user_for_api_token
from certtrack.strict_json import JSONRefused
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams

F = TypeVar("F", bound=Callable[..., Any])
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class StrictParser(FlaskParser):
    """webargs with the app's strict JSON loader (whatever the content type, as before),
    unknown query parameters refused, and refusals in the one error shape."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "files": RAISE,
    }

    def load_files(self, req: Any, schema: Schema) -> Any:
        """A multipart body: its files and the fields beside them, in one schema (the
        document has one request body per operation)."""
        return MultiDictProxy(CombinedMultiDict([req.files, req.form]), schema)

    def _raw_load_json(self, req: Any) -> Any:
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        try:
            return current_app.json.loads(data)
        except JSONRefused as refusal:
            raise BadRequest(str(refusal)) from None
        except ValueError:
            raise BadRequest(_("The body is not valid JSON.")) from None

    def handle_error(self, error: Any, req: Any, schema: Any, **kwargs: Any) -> Any:
        raise refused(error.messages)


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1")


def public(view: F) -> F:
    """No token needed for this operation."""
    view.public = True  # type: ignore[attr-defined]
    return bp.doc(security=[])(view)


def takes_json(schema: type[Schema]) -> Callable[[F], F]:
    """The operation's JSON body, checked by `schema`; required if a field of it is."""
    required = any(field.required for field in schema._declared_fields.values())
    return bp.arguments(schema, required=required)


def query(schema: type[Schema]) -> Callable[[F], F]:
    """The operation's query string, checked by `schema`."""

    def decorator(view: F) -> F:
        view = bp.arguments(schema, location="query")(view)
        view.reads_query = True  # type: ignore[attr-defined]
        return view

    return decorator


@bp.before_request
def authenticate() -> None:
    """Bearer token required unless the operation is public (the token's user becomes
    g.api_user); a query string on an operation that reads none is refused."""
    view = current_app.view_functions.get(request.endpoint or "")
    if not getattr(view, "public", False):
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        user = user_for_api_token(secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized(
                _("A valid bearer token is required."), www_authenticate=WWWAuthenticate("bearer")
            )
        g.api_user = user
    if request.args and not getattr(view, "reads_query", False):
        unknown = {name: _("Unknown parameter.") for name in sorted(request.args)}
        raise InvalidParams(_("The request is not valid."), unknown)


def caller() -> User:
    user: User = g.api_user
    return user


def require_role(*roles: Role) -> None:
    if caller().role not in roles:
        raise ForbiddenForRole(
            _("This is for: %(roles)s.", roles=", ".join(r.value for r in roles))
        )


def refusals(*statuses: int) -> Callable[[F], F]:
    """Document the error answers an operation may give beyond 401 and 422."""

    def decorator(view: F) -> F:
        for status in statuses:
            view = bp.alt_response(status, schema=ErrorSchema, description=REASONS[status])(view)
        return view

    return decorator


REASONS = {
    403: "Not allowed for this user",
    404: "Not found",
    409: "Not possible in the current state",
    412: "The application changed since the given ETag",
    413: "A file over the size limit or the application's quota",
    415: "A file of a type not accepted",
    429: "Too many failed attempts",
    503: "Not available on this server right now",
}


# --- lists ----------------------------------------------------------------------------


def page_query(sorts: Mapping[str, Any], default: str, **filters: Any) -> type[Schema]:
    """A list's query string: limit, offset or a cursor (`after`), sort (a key of
    `sorts`, '-' first for descending), whether to count (`total`) and the list's own
    filters."""
    return Query.from_dict(
        {
            "limit": WholeNumber(1, MAX_LIMIT, text=True, load_default=20),
            "offset": WholeNumber(0, MAX_OFFSET, text=True, load_default=0),
            "after": Text(
                metadata={
                    "maxLength": cursors.MAX_CURSOR,
                    "description": "Continue after the row this cursor names: the "
                    "next_cursor of the previous page, with the same sort. A deep page "
                    "then costs what the first does. Not with offset.",
                },
            ),
            "sort": choice([*sorts, *(f"-{name}" for name in sorts)], load_default=default),
            "total": choice(
                ["true", "false"],
                load_default="true",
                metadata={"description": "false skips counting the matching rows (total is null)."},
            ),
            **filters,
        }
    )


def page_of(item: type[Schema]) -> type[Schema]:
    """The answer of a list of `item`."""
    return Representation.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "total": fields.Integer(
                allow_none=True, metadata={"description": "null when asked with total=false"}
            ),
            "limit": fields.Integer(),
            "offset": fields.Integer(),
            "next": fields.String(
                allow_none=True, metadata={"description": "the following page, null at the end"}
            ),
            "next_cursor": fields.String(
                allow_none=True,
                metadata={"description": "pass as `after` for the following page; null at the end"},
            ),
        },
        name=item.__name__.replace("Schema", "PageSchema"),
    )


def paginate(query: Select[Any], args: Mapping[str, Any], sorts: Mapping[str, Any]) -> Any:
    """One page of `query` in the order `args` asks for, ties broken by the id so pages
    are stable: at most two statements (the count unless total=false, and the rows) plus
    what the query's loader options add, whatever the page size or the depth (with
    `after` the page starts from a WHERE on the sort key, not an OFFSET)."""
    limit, offset, sort = args["limit"], args["offset"], args["sort"]
    name, descending = sort.lstrip("-"), sort.startswith("-")
    column, id_column = sorts[name], sorts["id"]
    if cursors.nullable(column):
        first = column.desc().nulls_first() if descending else column.asc().nulls_last()
    else:
        first = column.desc() if descending else column.asc()
    total = None
    if args["total"] == "true":
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if cursor := args.get("after"):
        if offset:
            raise InvalidParams(
                _("The request is not valid."), {"offset": _("Not with a cursor (after).")}
            )
        value, row_id = cursors.decode(cursor, sort, column)
        query = query.where(cursors.after(column, descending, value, row_id, id_column))
    found = query.order_by(first, id_column.asc()).limit(limit + 1).offset(offset)
    rows = db.session.scalars(found).unique().all()
    following = next_cursor = None
    if len(rows) > limit:  # one row more than the page: there is a following page
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = cursors.encode(sort, getattr(last, column.key), getattr(last, id_column.key))
        values = {**(request.view_args or {}), **request.args.to_dict()}
        step = {"after": next_cursor} if cursor else {"offset": offset + limit}
        following = url_for(request.endpoint or "", **{**values, **step})
    return {
        "items": rows,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": following,
        "next_cursor": next_cursor,
    }


def etag_version() -> int | None:
    """The version an If-Match names, None without one; '*' matches anything."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    version = whole_number(header.strip().removeprefix("W/").strip('"'), 0, MAX_ID)
    if version is None:
        abort(400, description=_("If-Match must be an ETag of this API."))
    return version
