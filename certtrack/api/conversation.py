"""Each application's conversation: read it page by page, post to it."""

from typing import Any

from certtrack.api.core import (
    bp,
    caller,
    page_of,
    page_query,
    paginate,
    query,
    refusals,
    takes_json,
)
from certtrack.api.schemas import ConversationMessageSchema, NewConversationMessageSchema
from certtrack.models import ConversationMessage
from certtrack.services import access, conversation

TAGS = ["conversation"]
SORTS = {"created_at": ConversationMessage.created_at, "id": ConversationMessage.id}


@bp.get("/applications/<int:application_id>/messages", tags=TAGS)
@query(page_query(SORTS, "created_at"))
@bp.response(200, page_of(ConversationMessageSchema))
@refusals(403, 404)
def list_messages(args: dict[str, Any], application_id: int) -> Any:
    """The application's conversation, oldest first (internal notes only for the agency,
    the assigned consultant and admins)"""
    application = access.get_application(caller(), application_id)
    return paginate(conversation.messages(caller(), application).order_by(None), args, SORTS)


@bp.post("/applications/<int:application_id>/messages", tags=TAGS)
@takes_json(NewConversationMessageSchema)
@bp.response(201, ConversationMessageSchema)
@refusals(403, 404, 409)
def post_message(body: dict[str, Any], application_id: int) -> ConversationMessage:
    """Post a message (or, for the agency's side, an internal note); the other
    participants are told by email"""
    application = access.get_application(caller(), application_id)
    return conversation.post(
        application, caller(), body["body"], internal=body.get("internal", False)
    )
