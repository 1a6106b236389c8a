"""The API's plumbing: the blueprint, bearer-token authentication, strict JSON bodies,
pagination, ETags, and the registry the OpenAPI document is generated from."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Unauthorized

from certtrack.extensions import db
from certtrack.models import Role, User
from certtrack.parsing import MAX_ID, number_problem, whole_number
from certtrack.services.tokens import user_for_api_token
from certtrack.strict_json import JSONRefused
from certtrack.workflow.errors import ForbiddenForRole, InvalidParams

bp = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


@dataclass
class Operation:
    """What the OpenAPI document says about one route and method."""

    summary: str
    tag: str
    auth: bool = True
    query: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    responses: dict[int, Any] = field(default_factory=dict)


OPERATIONS: dict[tuple[str, str], Operation] = {}
PAGE = [
    {"name": "limit", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}},
    {"name": "offset", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
]


def sort_param(*names: str) -> dict[str, Any]:
    values = [*names, *(f"-{n}" for n in names)]
    return {"name": "sort", "schema": {"type": "string", "enum": values}}


def enum_param(name: str, values: Iterable[StrEnum]) -> dict[str, Any]:
    return {"name": name, "schema": {"type": "string", "enum": [v.value for v in values]}}


def id_param(name: str) -> dict[str, Any]:
    return {"name": name, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def operation(method: str, **spec: Any) -> Callable[[F], F]:
    """Document a view; `method` is the HTTP method it serves."""

    def decorator(view: F) -> F:
        OPERATIONS[(f"api.{view.__name__}", method)] = Operation(**spec)
        return view

    return decorator


@bp.before_request
def refuse_unknown_query_parameters() -> None:
    """Strict like the bodies: a query parameter the operation does not know is a
    mistake worth a 422, not something to ignore silently."""
    documented = _documented()
    if documented is None:
        return
    known = {param["name"] for param in documented.query}
    unknown = sorted(name for name in request.args if name not in known)
    if unknown:
        raise InvalidParams(
            _("The request is not valid."), {name: _("Unknown parameter.") for name in unknown}
        )


def _documented() -> Operation | None:
    """What the document says about the operation serving this request."""
    return OPERATIONS.get((request.endpoint or "", request.method))


def authenticated(view: F) -> F:
    """Bearer token required; the token's user becomes g.api_user."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _sep, secret = header.partition(" ")
        user = user_for_api_token(secret.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized(
                _("A valid bearer token is required."), www_authenticate=WWWAuthenticate("bearer")
            )
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def caller() -> User:
    user: User = g.api_user
    return user


def require_role(*roles: Role) -> None:
    if caller().role not in roles:
        raise ForbiddenForRole(
            _("This is for: %(roles)s.", roles=", ".join(r.value for r in roles))
        )


# --- request bodies -------------------------------------------------------------------

TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
    "date": (str,),
}


def json_body() -> dict[str, Any]:
    """The request's JSON object, checked against the body its operation documents:
    name -> (type, required) or (type, required, allowed values). Malformed JSON answers
    400; anything else wrong, 422 naming each field."""
    documented = _documented()
    fields: Mapping[str, tuple[Any, ...]] = (documented.body if documented else None) or {}
    data = request.data
    if not data:
        body: Any = {}
    else:
        try:
            body = current_app.json.loads(data)
        except JSONRefused as refused:
            raise BadRequest(str(refused)) from None
        except ValueError:
            raise BadRequest(_("The body is not valid JSON.")) from None
    if not isinstance(body, dict):
        raise InvalidParams(_("The body must be a JSON object."), {"body": _("Must be an object.")})
    errors: dict[str, str] = {}
    for name in body:
        if name not in fields:
            errors[name] = _("Unknown field.")
    for name, (kind, required, *allowed) in fields.items():
        if name not in body or body[name] is None:
            if required:
                errors[name] = _("This field is required.")
            continue
        value = body[name]
        wrong = not isinstance(value, TYPES[kind]) or (
            kind == "integer"
            and (isinstance(value, bool) or (isinstance(value, int) and abs(value) > MAX_ID))
        )
        if not wrong and kind == "date":
            try:
                body[name] = date.fromisoformat(value)
            except ValueError:
                wrong = True
        if wrong:
            errors[name] = _("Must be of type %(kind)s.", kind=kind)
        elif allowed and not all(item in allowed[0] for item in _items(kind, value)):
            errors[name] = _("Choose from: %(v)s.", v=", ".join(allowed[0]))
    if errors:
        raise InvalidParams(_("The request is not valid."), errors)
    return body


def _items(kind: str, value: Any) -> list[Any]:
    """The values an allowed-values rule checks: an array's items, else the value."""
    return list(value) if kind == "array" else [value]


# --- lists ----------------------------------------------------------------------------


def page_args(sorts: Mapping[str, Any], default: str) -> tuple[int, int, list[Any]]:
    """limit, offset and ORDER BY from the query string; unknown values answer 422.
    Every order ends with the id, so pages are stable."""
    errors: dict[str, str] = {}
    limit, offset = (
        _int_arg("limit", 20, 1, MAX_LIMIT, errors),
        _int_arg("offset", 0, 0, MAX_OFFSET, errors),
    )
    sort = request.args.get("sort", default)
    column = sorts.get(sort.lstrip("-"))
    if column is None:
        errors["sort"] = _("Choose from: %(v)s.", v=", ".join(sorted(sorts)))
    if errors or column is None:
        raise InvalidParams(_("The request is not valid."), errors)
    order = [column.desc() if sort.startswith("-") else column.asc(), sorts["id"].asc()]
    return limit, offset, order


def _int_arg(name: str, default: int, low: int, high: int, errors: dict[str, str]) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    number = whole_number(raw, low, high)
    if number is None:
        errors[name] = number_problem(low, high)
        return default
    return number


def paginate(
    query: Select[Any], limit: int, offset: int, order: list[Any], serialise: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of `query`: two statements (the count and the rows) plus what the
    query's loader options add, whatever the page size."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.order_by(*order).limit(limit).offset(offset)).unique().all()
    following = None
    if offset + limit < (total or 0):
        args: dict[str, Any] = {
            **(request.view_args or {}),
            **request.args.to_dict(),
            "offset": offset + limit,
            "limit": limit,
        }
        following = url_for(request.endpoint or "", **args)
    return {
        "items": [serialise(row) for row in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": following,
    }


def enum_arg(name: str, values: Any) -> Any:
    """A query argument that must be one of an enum's values (or absent)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return values(raw)
    except ValueError:
        raise InvalidParams(
            _("The request is not valid."), {name: _("Choose from: %(v)s.", v=", ".join(values))}
        ) from None


def int_arg(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    errors: dict[str, str] = {}
    if request.args.get(name) is None:
        return None
    value = _int_arg(name, 0, low, high, errors)
    if errors:
        raise InvalidParams(_("The request is not valid."), errors)
    return value


def etag_version() -> int | None:
    """The version an If-Match names, None without one; '*' matches anything."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    version = whole_number(header.strip().removeprefix("W/").strip('"'), 0, MAX_ID)
    if version is None:
        abort(400, description=_("If-Match must be an ETag of this API."))
    return version
