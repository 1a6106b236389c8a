"""Getting a token, and who the token belongs to."""

from typing import Any

from flask import request
from flask_babel import gettext as _
from werkzeug.exceptions import TooManyRequests, Unauthorized

from certtrack.api import serialise
from certtrack.api.core import authenticated, bp, caller, json_body, operation
from certtrack.models.base import utcnow
from certtrack.services import throttle
from certtrack.services.tokens import issue_api_token
from certtrack.services.users import check_credentials


@bp.post("/auth/token")
@operation(
    "POST",
    summary="Exchange an email and password for a bearer token",
    tag="auth",
    auth=False,
    body={"email": ("string", True), "password": ("string", True), "name": ("string", False)},
    responses={201: "Token", 401: "Error", 429: "Error"},
)
def create_token() -> tuple[dict[str, Any], int]:
    body = json_body()
    now = utcnow()
    try:
        user = check_credentials(body["email"], body["password"], request.remote_addr or "-", now)
    except throttle.SignInLocked as locked:
        raise TooManyRequests(str(locked)) from None
    if user is None:
        raise Unauthorized(_("Wrong email or password."))
    token, secret = issue_api_token(user, body.get("name") or "API", now)
    return {"token": secret, "id": token.id, "expires_at": serialise.stamp(token.expires_at)}, 201


@bp.get("/me")
@operation("GET", summary="The user the token belongs to", tag="auth", responses={200: "User"})
@authenticated
def me() -> dict[str, Any]:
    return serialise.user(caller())
