"""What the OpenAPI document says about each API route, keyed as the URL map is."""

import re
from typing import Any

from flask import Flask

UNDOCUMENTED = {"api_docs.openapi_json", "api_docs.docs"}  # the document and its page


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def documented_operations(app: Flask) -> dict[tuple[str, str], dict[str, Any]]:
    """(endpoint, METHOD) -> {"query": names of its query parameters, "body": names of
    its body's fields} for every operation of the document."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    found = {}
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = document["paths"].get(openapi_path(rule.rule), {}).get(method.lower())
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            ref = body["schema"]["$ref"].rsplit("/", 1)[-1] if body else None
            found[(rule.endpoint, method)] = {
                "query": [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"],
                "body": list(schemas[ref]["properties"]) if ref else [],
            }
    return found
