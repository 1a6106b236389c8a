"""Each application's conversation: read it page by page, post to it (JSON, or a
multipart form with files to attach)."""

from typing import Any

from flask import request
from flask_babel import gettext as _

from certtrack.api.core import (
    bp,
    caller,
    page_of,
    page_query,
    paginate,
    query,
    refusals,
)
from certtrack.api.schemas import (
    ConversationMessageSchema,
    NewConversationMessageSchema,
    NewConversationMessageUploadSchema,
)
from certtrack.models import ConversationMessage
from certtrack.services import access, conversation, documents
from certtrack.upload_routes import takes_uploads
from certtrack.workflow.errors import InvalidParams

TAGS = ["conversation"]
SORTS = {"created_at": ConversationMessage.created_at, "id": ConversationMessage.id}
MULTIPART = "multipart/form-data"
NEW_MESSAGE = {
    "required": True,
    "content": {
        "application/json": {"schema": NewConversationMessageSchema},
        MULTIPART: {"schema": NewConversationMessageUploadSchema},
    },
}


@bp.get("/applications/<int:application_id>/messages", tags=TAGS)
@query(page_query(SORTS, "created_at"))
@bp.response(200, page_of(ConversationMessageSchema))
@refusals(403, 404)
def list_messages(args: dict[str, Any], application_id: int) -> Any:
    """The application's conversation, oldest first (internal notes only for the agency,
    the assigned consultant and admins), each message with its attachments"""
    application = access.get_application(caller(), application_id)
    return paginate(conversation.messages(caller(), application).order_by(None), args, SORTS)


@bp.post("/applications/<int:application_id>/messages", tags=TAGS)
@takes_uploads
@bp.doc(requestBody=NEW_MESSAGE)
@bp.response(201, ConversationMessageSchema)
@refusals(403, 404, 409, 413, 415)
def post_message(application_id: int) -> ConversationMessage:
    """Post a message (or, for the agency's side, an internal note), as JSON or as a
    multipart form with files to attach (stored with the message or not at all); the
    other participants are told by email"""
    application = access.get_application(caller(), application_id)
    files: list[documents.Upload] = []
    if request.mimetype == MULTIPART:
        if "files" in request.form:
            message = _("Send the files as file parts.")
            raise InvalidParams(message, {"files": message})
        body = bp.ARGUMENTS_PARSER.parse(
            NewConversationMessageUploadSchema, request, location="form"
        )
        files = [
            documents.Upload(f.stream, f.filename or "") for f in request.files.getlist("files")
        ]
    else:
        body = bp.ARGUMENTS_PARSER.parse(NewConversationMessageSchema, request, location="json")
        if body is None or "body" not in body:
            raise InvalidParams(_("The request is not valid."), {"body": _("Required.")})
    return conversation.post(
        application, caller(), body["body"], internal=body.get("internal", False), files=files
    )
