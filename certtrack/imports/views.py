"""Two steps: the upload gives a preview of every row's outcome, kept under a token;
confirming imports it all or nothing. The rules live in services.portfolio_import."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from certtrack.clock import local_today
from certtrack.imports.forms import ConfirmForm, UploadForm
from certtrack.models import Agency, Role
from certtrack.models.base import utcnow
from certtrack.services import portfolio, portfolio_import
from certtrack.upload_routes import takes_uploads
from certtrack.web import actor, roles_required
from certtrack.workflow.errors import WorkflowError

bp = Blueprint("imports", __name__)
TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": portfolio_import.XLSX,
}


def _agencies() -> list[Agency]:
    user = actor()
    if user.role == Role.ADMIN:
        return portfolio.agencies()
    return [user.agency] if user.agency is not None else []


@bp.route("/import", methods=["GET", "POST"])
@takes_uploads
@roles_required(Role.COORDINATOR, Role.ADMIN)
def index() -> ResponseReturnValue:
    """The upload form; a file that reads and checks goes on to its preview."""
    user = actor()
    agencies = _agencies()
    form = UploadForm()
    form.agency_id.choices = [(a.id, a.name) for a in agencies]
    if form.validate_on_submit():
        agency = next((a for a in agencies if a.id == form.agency_id.data), None)
        if agency is None:
            abort(403)
        sent = form.file.data
        name = sent.filename or ""
        # One byte over the limit is enough to refuse the file, whatever its size.
        content = sent.stream.read(portfolio_import.max_bytes() + 1)
        try:
            portfolio_import.import_refusal(user, agency)
            portfolio_import.plan(agency, content, name, today=local_today())
            upload = portfolio_import.keep_upload(user, agency, content, name)
        except WorkflowError as error:
            if error.status == 403:
                raise
            form.file.errors = [error.message]
        else:
            return redirect(url_for("imports.preview", token=upload.token))
    # The summary at the top links each problem to its field.
    problems = [(str(error), field.id) for field in form for error in field.errors]
    status = 422 if problems else 200
    return render_template("imports/index.html", form=form, problems=problems), status


@bp.get("/import/template")
@roles_required(Role.COORDINATOR, Role.ADMIN)
def template() -> Response:
    """The template in English or Italian (?language=), as CSV or XLSX (?format=)."""
    kind = request.args.get("format", "xlsx")
    language = request.args.get("language") or str(get_locale() or "en")[:2]
    if kind not in TEMPLATE_TYPES or language not in ("en", "it"):
        abort(404)
    body = portfolio_import.template(language, kind)
    response = Response(body, mimetype=TEMPLATE_TYPES[kind])
    name = f"certtrack-import-{language}.{kind}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/import/<token>", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR, Role.ADMIN)
def preview(token: str) -> ResponseReturnValue:
    """Every row's outcome; confirming writes them all, or nothing if one is refused."""
    user = actor()
    try:
        upload = portfolio_import.get_upload(user, token)
    except WorkflowError as error:
        abort(error.status)
    agency = portfolio_import.agency_of(upload)
    form = ConfirmForm()
    plan = portfolio_import.plan(agency, upload.content, upload.file_name, today=local_today())
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and not plan.refused:
            counts = plan.counts()
            portfolio_import.commit(plan, user, now=utcnow(), upload=upload)
            flash(
                _(
                    "Imported: %(create)s rows created, %(update)s updated, "
                    "%(unchanged)s unchanged.",
                    **counts,
                ),
                "success",
            )
            return redirect(url_for("clusters.index"))
        status = 422
    return render_template(
        "imports/preview.html",
        form=form,
        plan=plan,
        upload=upload,
        counts=plan.counts(),
        column_name=portfolio_import.column_name,
        columns=list(portfolio_import.COLUMNS),
    ), status
