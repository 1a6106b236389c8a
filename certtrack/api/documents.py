"""Documents of an application: list, upload (multipart), read, delete, download."""

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased
from werkzeug.datastructures import FileStorage

from certtrack.api.core import bp, caller, page_of, page_query, paginate, query, refusals
from certtrack.api.schemas import DocumentSchema, DocumentUploadSchema
from certtrack.documents.responses import file_response
from certtrack.models import Document, DocumentPurpose
from certtrack.services import access, documents
from certtrack.services.file_types import DOWNLOAD_TYPES
from certtrack.upload_routes import takes_uploads
from certtrack.workflow.errors import InvalidParams

TAGS = ["documents"]
SORTS = {"uploaded_at": Document.uploaded_at, "id": Document.id}
DOWNLOAD = {
    "description": "The file, as an attachment",
    "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in DOWNLOAD_TYPES
    },
}


@bp.get("/applications/<int:application_id>/documents", tags=TAGS)
@query(page_query(SORTS, "-uploaded_at"))
@bp.response(200, page_of(DocumentSchema))
@refusals(403, 404)
def list_documents(args: dict[str, Any], application_id: int) -> Any:
    """The application's documents: the current version of each"""
    application = access.get_application(caller(), application_id)
    successor = aliased(Document)
    found = select(Document).where(
        Document.application_id == application.id,
        Document.deleted_at.is_(None),
        ~exists().where(successor.replaces_id == Document.id),
    )
    return paginate(found, args, SORTS)


@bp.post("/applications/<int:application_id>/documents", tags=TAGS)
@bp.arguments(DocumentUploadSchema, location="files")
@bp.response(201, DocumentSchema(many=True))
@refusals(403, 404, 409, 413, 415)
@takes_uploads
def upload_documents(form: dict[str, Any], application_id: int) -> list[Document]:
    """Upload files (multipart/form-data; all stored or none)"""
    application = access.get_application(caller(), application_id)
    recommendation_id = form.get("recommendation_id")
    default = DocumentPurpose.PROGRESS if recommendation_id else DocumentPurpose.EVIDENCE
    link = documents.Link(
        purpose=form.get("purpose") or default,
        indicator_id=form.get("indicator_id"),
        improvement_area_id=form.get("improvement_area_id"),
        recommendation_id=recommendation_id,
    )
    # A text part named "files" is not a file: refused like any other bad field.
    if not all(isinstance(f, FileStorage) for f in form["files"]):
        raise InvalidParams(
            _("Some fields are not valid; nothing was saved."), {"files": _("Choose a file.")}
        )
    files = [documents.Upload(f.stream, f.filename or "") for f in form["files"]]
    return documents.upload(application, caller(), files, title=form.get("title") or "", link=link)


@bp.get("/documents/<int:document_id>", tags=TAGS)
@bp.response(200, DocumentSchema)
@refusals(403, 404)
def get_document(document_id: int) -> Document:
    """One document (a deleted one says when)"""
    return access.get_document(caller(), document_id)


@bp.delete("/documents/<int:document_id>", tags=TAGS)
@bp.response(204)
@refusals(403, 404, 409)
def delete_document(document_id: int) -> None:
    """Delete a document and its earlier versions (the history keeps their names)"""
    documents.delete(access.get_document(caller(), document_id), caller())


@bp.get("/documents/<int:document_id>/content", tags=TAGS)
@bp.doc(responses={"200": DOWNLOAD})
@refusals(403, 404)
def document_content(document_id: int) -> Any:
    """Download the file"""
    document = access.get_document(caller(), document_id)
    return file_response(document, documents.download(document, caller()))
