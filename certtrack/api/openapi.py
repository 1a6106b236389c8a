"""The OpenAPI document flask-smorest builds from the operations' schemas, and a page
for people rendered from it (from the package: no third-party script)."""

from typing import Any

from flask import Blueprint, render_template

from certtrack.extensions import api

docs_bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@docs_bp.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    document: dict[str, Any] = api.spec.to_dict()
    return document


@docs_bp.get("/docs")
def docs() -> str:
    return render_template("api/docs.html", spec=api.spec.to_dict())
