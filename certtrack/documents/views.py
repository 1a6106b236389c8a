"""The Documents section's routes. Refused files come back beside the upload field on
the application page, with the refusal's status (413, 415, 422)."""

import io

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from certtrack import confirmation
from certtrack.applications.views import detail_page
from certtrack.documents.responses import file_response
from certtrack.documents.section import parse_link
from certtrack.parsing import MAX_ID, whole_number
from certtrack.safe_redirect import back
from certtrack.services import access, documents
from certtrack.upload_routes import takes_uploads
from certtrack.web import actor
from certtrack.workflow import permissions
from certtrack.workflow.errors import InvalidParams, WorkflowError

bp = Blueprint("documents", __name__)
# Shown again on the page, beside the form; the others are flashed (409) or an error
# page (403, 404).
FORM_STATUSES = frozenset({413, 415, 422})


@bp.post("/applications/<int:application_id>/documents")
@takes_uploads
@login_required
def upload(application_id: int) -> ResponseReturnValue:
    """Several files at once, with a title and what they are for."""
    user = actor()
    application = access.get_application(user, application_id)
    form = request.form
    files = [
        documents.Upload(f.stream, f.filename or "")
        for f in request.files.getlist("files")
        if f.filename  # an empty file input sends a part without a name
    ]
    recommendation_id = _optional_id(form.get("recommendation_id"), "recommendation_id")
    try:
        documents.upload(
            application,
            user,
            files,
            title=form.get("title", ""),
            link=parse_link(form.get("link", ""), recommendation_id),
        )
    except WorkflowError as error:
        if error.status not in FORM_STATUSES:
            raise
        form_name = f"upload-{recommendation_id}" if recommendation_id else "upload"
        return _again(application_id, error, form_name)
    flash(_("Stored: %(n)s document(s).", n=len(files)), "success")
    return redirect(_section(application_id))


@bp.post("/documents/<int:document_id>/replace")
@takes_uploads
@login_required
def replace(document_id: int) -> ResponseReturnValue:
    """A new version; the earlier one stays, listed under it."""
    user = actor()
    document = access.get_document(user, document_id)
    sent = request.files.get("file")
    try:
        documents.replace(
            document,
            user,
            documents.Upload(sent.stream, sent.filename or "") if sent else _nothing(),
            title=request.form.get("title", ""),
        )
    except WorkflowError as error:
        if error.status not in FORM_STATUSES:
            raise
        return _again(document.application_id, error, f"replace-{document.id}")
    flash(_("A new version of %(title)s is stored.", title=document.title), "success")
    return redirect(_section(document.application_id))


@bp.post("/documents/<int:document_id>/delete")
@login_required
def delete(document_id: int) -> Response | tuple[str, int]:
    """Deleted from the list (the history keeps its name), once confirmed: posted
    without the confirmation, the confirmation is shown and nothing changes."""
    user = actor()
    document = access.get_document(user, document_id)
    title, application_id = document.title, document.application_id
    if not confirmation.given(request.form):
        refused = permissions.document_refusal(user, document)
        if refused:
            raise refused
        return confirmation.ask(
            label=_("Delete %(title)s", title=title),
            consequence=documents.DELETE_CONSEQUENCE,
            action=url_for("documents.delete", document_id=document.id),
            back=_section(application_id),
        )
    documents.delete(document, user)
    flash(_("%(title)s is deleted.", title=title), "success")
    return redirect(back(_section(application_id)))


@bp.get("/documents/<int:document_id>/download")
@login_required
def download(document_id: int) -> Response:
    """The file, as an attachment."""
    user = actor()
    document = access.get_document(user, document_id)
    return file_response(document, documents.download(document, user))


def _section(application_id: int) -> str:
    return url_for("applications.detail", application_id=application_id) + "#documents"


def _again(application_id: int, error: WorkflowError, form_name: str) -> ResponseReturnValue:
    """The application page again, the refusal beside the form that was sent."""
    page = detail_page(
        application_id,
        document_form=form_name,
        document_errors=error.fields or {"files": error.message},
    )
    return page, error.status


def _optional_id(raw: str | None, name: str) -> int | None:
    if not raw:
        return None
    number = whole_number(raw, 1, MAX_ID)
    if number is None:
        raise InvalidParams(_("The form is not valid."), {name: _("Not a valid choice.")})
    return number


def _nothing() -> documents.Upload:
    """No file sent: an empty one, which the service refuses as such."""
    return documents.Upload(io.BytesIO(b""), "")
