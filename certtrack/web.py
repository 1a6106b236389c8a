"""Small helpers shared by the web blueprints."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, flash, g, redirect, request
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select
from werkzeug.wrappers import Response

from certtrack import confirmation, formats, markdown, vocabulary
from certtrack.extensions import db
from certtrack.form_errors import document_errors, form_errors, invalid_attrs
from certtrack.measurements import format_measurement
from certtrack.models import Application, Cluster, Document, MemberType, Role, User, UserSession
from certtrack.paging import Page, page_of
from certtrack.parsing import MAX_ID, number_problem, whole_number
from certtrack.services.documents import DELETE_CONSEQUENCE
from certtrack.services.file_types import type_name
from certtrack.services.messages import KIND_NAMES
from certtrack.sizes import format_size
from certtrack.workflow import permissions
from certtrack.workflow.definition import TONES
from certtrack.workflow.errors import InvalidParams

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Sign-in required, and one of `roles`; anyone else gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def actor() -> User:
    """The signed-in user as a model (current_user is a proxy)."""
    return current_user._get_current_object()


def current_session() -> UserSession:
    """The server-side session the signed-in user's request came with."""
    if not current_user.is_authenticated:
        abort(401)
    session: UserSession = g.user_session
    return session


def query_int(name: str, low: int = 1, high: int = MAX_ID) -> int | None:
    """A whole-number query argument, None when absent or empty; anything else than a
    number from `low` to `high` is refused (422) naming the argument."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    number = whole_number(raw, low, high)
    if number is None:
        problem = number_problem(low, high)
        raise InvalidParams(
            _("The %(name)s argument is not valid: %(problem)s", name=name, problem=problem),
            {name: problem},
        )
    return number


def paginate(query: Select[Any], param: str = "page", last_first: bool = False) -> Page[Any]:
    """The page of `query` that the `param` argument asks for (the first without one,
    or the last with `last_first`) of CERTTRACK_PAGE_SIZE rows; a number that is not a
    page is refused (422)."""
    size = current_app.config["CERTTRACK_PAGE_SIZE"]
    return page_of(query, query_int(param), size, last_first)


def first(query: Select[Any]) -> list[Any]:
    """The first few rows of `query` (CERTTRACK_DASHBOARD_LIST_SIZE), for a dashboard
    that links to the full list."""
    size = current_app.config["CERTTRACK_DASHBOARD_LIST_SIZE"]
    return list(db.session.scalars(query.limit(size)).unique())


def format_date(value: date | None, style: str = "medium") -> str:
    return babel_format_date(value, style) if value else ""


def format_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) moment in the configured time zone."""
    return babel_format_datetime(value, "short") if value else ""


def machine_datetime(value: datetime) -> str:
    """A stored moment as a `<time datetime>` value: UTC to the second with a Z (the
    microseconds a moment recorded at runtime carries are not a valid datetime string)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def format_month(value: date | None) -> str:
    return babel_format_date(value, "MMMM y") if value else ""


def register_template_helpers(app: Any) -> None:
    app.jinja_env.filters["label"] = vocabulary.name
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["machine_datetime"] = machine_datetime
    app.jinja_env.filters["number"] = lambda value: "" if value is None else format_decimal(value)
    app.jinja_env.filters["percent"] = formats.percent
    # A Decimal as HTML attributes want it (min="0", max="100"), whatever the locale.
    app.jinja_env.filters["number_plain"] = lambda value: format(value.normalize(), "f")
    app.jinja_env.filters["label_member"] = lambda value: vocabulary.name(MemberType(value))
    app.jinja_env.filters["tone"] = TONES.get
    app.jinja_env.filters["filesize"] = format_size
    app.jinja_env.filters["file_type"] = type_name
    app.jinja_env.filters["markdown"] = markdown.render
    app.jinja_env.globals.update(
        Role=Role,
        may=may,
        may_read_report=may_read_report,
        may_change_document=may_change_document,
        delete_consequence=DELETE_CONSEQUENCE,
        # The field a confirmation's final button sends: named once, in certtrack.confirmation.
        confirmation_field=confirmation.FIELD,
        confirmation_value=confirmation.VALUE,
        area_name=vocabulary.AREAS.get,
        indicator_name=vocabulary.indicator_name,
        indicator_guidance=vocabulary.indicator_guidance,
        indicator_unit=vocabulary.indicator_unit,
        scale_level_label=vocabulary.scale_level_label,
        measurement=format_measurement,
        kind_name=lambda kind: str(KIND_NAMES.get(kind, kind)),
        timedelta=timedelta,
        form_errors=form_errors,
        document_form_errors=document_errors,
        invalid_attrs=invalid_attrs,
    )


def may_read_report(application: Application) -> bool:
    """Templates ask whether the signed-in user may open the application's report."""
    user = current_user._get_current_object()
    return user.is_authenticated and permissions.may_read_report(user, application)


def may(action: str, subject: Application | Cluster) -> bool:
    """Templates ask the workflow's rule: may the signed-in user do `action` (an event,
    or a thing to edit) to `subject` now?"""
    user = current_user._get_current_object()
    return user.is_authenticated and permissions.allows(user, subject, action)


def may_change_document(document: Document) -> bool:
    """May the signed-in user replace or delete this document now?"""
    user = current_user._get_current_object()
    return user.is_authenticated and permissions.document_refusal(user, document) is None


def apply_errors(form: Any, fields: dict[str, str], aliases: dict[str, str] | None = None) -> None:
    """Put a service's per-field errors beside the matching form fields; errors with
    no matching field go to the form's general errors."""
    aliases = aliases or {}
    for name, message in fields.items():
        for source, alias in aliases.items():
            if name == source or name.startswith(source + "."):
                name = alias + name[len(source) :]
                break
        target = form
        for part in name.split("."):
            target = _child(target, part)
            if target is None:
                break
        if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
            target.errors.append(message)
        else:
            form.form_errors.append(message)


def _child(node: Any, part: str) -> Any:
    index = whole_number(part, 0, MAX_ID)
    if index is not None:
        entries = getattr(node, "entries", None)
        return entries[index] if entries is not None and index < len(entries) else None
    found = getattr(node, part, None)
    return getattr(found, "form", found)


def form_status(form: Any) -> int:
    """422 for a form shown again with errors, 200 otherwise."""
    return 422 if form.errors or form.form_errors else 200


def save_form(
    form: Any,
    action: Callable[[], Any],
    message: str,
    target: str | Callable[[Any], str],
    aliases: dict[str, str] | None = None,
) -> Response | None:
    """Run a service for a validated form. Refused input goes beside the fields (None is
    returned and the form is shown again); success is flashed and redirects."""
    try:
        result = action()
    except InvalidParams as error:
        apply_errors(form, error.fields, aliases)
        return None
    flash(message, "success")
    return redirect(target(result) if callable(target) else target)
