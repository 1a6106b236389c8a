"""Getting a token, and who the token belongs to."""

from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests, Unauthorized

from certtrack.api.core import bp, caller, public, refusals, takes_json
from certtrack.api.schemas import TokenRequestSchema, TokenSchema, UserSchema
from certtrack.models import User
from certtrack.models.base import utcnow
from certtrack.services import throttle
from certtrack.services.tokens import issue_api_token
from certtrack.services.users import check_credentials

TAGS = ["auth"]


@bp.post("/auth/token", tags=TAGS)
@takes_json(TokenRequestSchema)
@bp.response(201, TokenSchema)
@refusals(429)
@public
def create_token(body: dict[str, Any]) -> dict[str, Any]:
    """Exchange an email and password for a bearer token"""
    now = utcnow()
    try:
        user = check_credentials(body["email"], body["password"], request.remote_addr or "-", now)
    except throttle.SignInLocked as locked:
        raise TooManyRequests(str(locked)) from None
    if user is None:
        raise Unauthorized(_("Wrong email or password."))
    token, secret = issue_api_token(user, body.get("name") or "API", now)
    return {"token": secret, "id": token.id, "expires_at": token.expires_at}


@bp.get("/me", tags=TAGS)
@bp.response(200, UserSchema)
def me() -> User:
    """The user the token belongs to"""
    return caller()
