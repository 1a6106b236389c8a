"""The OpenAPI 3.1 document, generated from the routes and their registered operations,
and a human page rendered from it."""

import re
from typing import Any

from flask import current_app, render_template

from certtrack.api.core import OPERATIONS, Operation, bp
from certtrack.models import LabelStatus, Level, Priority, RecommendationStatus, Role, State
from certtrack.parsing import MAX_ID

NULLABLE_STRING = {"type": ["string", "null"]}
LABEL_NUMBER = r"^[BSG]-[A-Z]{2}-[0-9]{4}-[0-9]{5}$"  # see workflow.effects.label_number
NULLABLE_INTEGER = {"type": ["integer", "null"]}
PERSON = {
    "type": ["object", "null"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    "required": ["id", "name"],
}


def _object(properties: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


def _page(item: str) -> dict[str, Any]:
    return _object(
        {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "total": {"type": "integer"},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
            "next": NULLABLE_STRING,
        }
    )


RECOMMENDATION = _object(
    {
        "id": {"type": "integer"},
        "application_id": {"type": "integer"},
        "title": {"type": "string"},
        "detail": NULLABLE_STRING,
        "priority": {"enum": [p.value for p in Priority]},
        "owner": NULLABLE_STRING,
        "due_date": NULLABLE_STRING,
        "status": {"enum": [s.value for s in RecommendationStatus]},
        "evidence": NULLABLE_STRING,
        "completed_on": NULLABLE_STRING,
        "notes": {
            "type": "array",
            "items": _object({"at": {"type": "string"}, "text": {"type": "string"}}),
        },
    }
)
STEP = _object(
    {
        "event": {"type": "string"},
        "from": {"type": ["string", "null"]},
        "to": {"enum": [s.value for s in State]},
        "by": PERSON,
        "at": {"type": "string"},
        "comment": NULLABLE_STRING,
    }
)
EVENT = _object(
    {
        "event": {"type": "string"},
        "description": {"type": "string"},
        "params": {
            "type": "array",
            "items": _object(
                {
                    "name": {"type": "string"},
                    "type": {"enum": ["string", "integer", "date"]},
                    "required": {"type": "boolean"},
                }
            ),
        },
    }
)
SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                }
            )
        }
    ),
    "Token": _object(
        {"token": {"type": "string"}, "id": {"type": "integer"}, "expires_at": {"type": "string"}}
    ),
    "User": _object(
        {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "name": {"type": "string"},
            "role": {"enum": [r.value for r in Role]},
            "agency_id": NULLABLE_INTEGER,
            "cluster_id": NULLABLE_INTEGER,
            "locale": {"type": "string"},
            "active": {"type": "boolean"},
        }
    ),
    "Agency": _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "short_name": {"type": "string"},
            "country": {"type": "string"},
            "region": {"type": "string"},
            "website": NULLABLE_STRING,
        }
    ),
    "Cluster": _object(
        {
            "id": {"type": "integer"},
            "agency_id": {"type": "integer"},
            "name": {"type": "string"},
            "country": {"type": "string"},
            "region": NULLABLE_STRING,
            "sector": NULLABLE_STRING,
            "website": NULLABLE_STRING,
            "website_in_english": {"type": "boolean"},
            "eccp_listed": {"type": "boolean"},
            "staff_fte": {"type": ["number", "null"]},
            "committed_members": NULLABLE_INTEGER,
            "member_types": {"type": "array", "items": {"type": "string"}},
        }
    ),
    "Consultant": _object(
        {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "country": NULLABLE_STRING,
            "languages": {"type": "array", "items": {"type": "string"}},
            "affiliation": NULLABLE_STRING,
            "open_reviews": {"type": "integer"},
        }
    ),
    "Label": _object(
        {
            "number": {"type": "string"},
            "cluster_id": {"type": "integer"},
            "cluster_name": {"type": "string"},
            "level": {"enum": [lv.value for lv in Level]},
            "interview_month": {"type": "string"},
            "issued_on": {"type": "string"},
            "valid_until": {"type": "string"},
            "status": {"enum": [s.value for s in LabelStatus]},
        }
    ),
    "PublicLabel": _object(
        {
            "number": {"type": "string"},
            "cluster_name": {"type": "string"},
            "country": {"type": "string"},
            "level": {"enum": [lv.value for lv in Level]},
            "valid_until": {"type": "string"},
            "status": {"enum": [s.value for s in LabelStatus]},
        }
    ),
    "Indicator": _object(
        {
            "code": {"type": "string"},
            "kind": {"enum": ["benchmark", "baseline", "quality"]},
            "area": {"type": "string"},
            "name": {"type": "string"},
            "threshold": {"type": ["number", "null"]},
            "max_score": {"type": ["number", "null"]},
        }
    ),
    "Recommendation": RECOMMENDATION,
    "Application": _object(
        {
            "id": {"type": "integer"},
            "cluster_id": {"type": "integer"},
            "cluster_name": {"type": "string"},
            "level": {"enum": [lv.value for lv in Level]},
            "state": {"enum": [s.value for s in State]},
            "version": {"type": "integer"},
            "consultant": PERSON,
            "interview_date": NULLABLE_STRING,
            "previous_id": NULLABLE_INTEGER,
            "label_number": NULLABLE_STRING,
            "allowed_events": {"type": "array", "items": EVENT},
            "history": {"type": "array", "items": STEP},
            "improvement_areas": {
                "type": "array",
                "items": _object({"title": {"type": "string"}, "effect": {"type": "string"}}),
            },
            "report": {
                "type": ["object", "null"],
                "properties": {
                    "summary": NULLABLE_STRING,
                    "delivered_at": NULLABLE_STRING,
                    "recommendations": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Recommendation"},
                    },
                },
                "required": ["summary", "delivered_at", "recommendations"],
            },
        },
        optional=("history", "improvement_areas", "report"),
    ),
    "AgencyPage": _page("Agency"),
    "ClusterPage": _page("Cluster"),
    "UserPage": _page("User"),
    "LabelPage": _page("Label"),
    "ApplicationPage": _page("Application"),
    "RecommendationPage": _page("Recommendation"),
    "ConsultantList": _object(
        {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Consultant"}}}
    ),
    "IndicatorList": _object(
        {
            "level": {"type": "string"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
        }
    ),
}
FIELD_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": -MAX_ID, "maximum": MAX_ID},
    "boolean": {"type": "boolean"},
    "object": {"type": "object"},
    "array": {"type": "array"},
    "date": {"type": "string", "format": "date"},
}
REASONS = {
    200: "OK",
    201: "Created",
    400: "Malformed request",
    401: "Missing, invalid or expired token",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Not possible in the current state",
    412: "The application changed since the given ETag",
    422: "Invalid parameters, or a rule refuses it",
    429: "Too many failed attempts",
}


def _field(spec: tuple[Any, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = dict(FIELD_TYPES[spec[0]])
    if len(spec) > 2 and spec[0] == "array":
        schema["items"] = {"enum": list(spec[2])}
    elif len(spec) > 2:
        schema["enum"] = list(spec[2])
    return schema


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        kind = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            if converter == "int"
            else {"type": "string"}
        )
        if name == "number":
            kind["pattern"] = LABEL_NUMBER
        parameters.append({"name": name, "in": "path", "required": True, "schema": kind})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), parameters


def _operation(op: Operation, path_parameters: list[dict[str, Any]]) -> dict[str, Any]:
    responses: dict[int, Any] = {400: "Error", 404: "Error", **op.responses}
    if op.auth:
        responses[401] = "Error"
    if op.query or op.body is not None:
        responses.setdefault(422, "Error")
    document: dict[str, Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": path_parameters + [{"in": "query", **q} for q in op.query],
        "responses": {
            str(code): {
                "description": REASONS[code],
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                },
            }
            for code, schema in sorted(responses.items())
        },
    }
    if not op.auth:
        document["security"] = []
    if op.body is not None:
        document["requestBody"] = {
            "required": any(spec[1] for spec in op.body.values()),
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {name: _field(spec) for name, spec in op.body.items()},
                        "required": [name for name, spec in op.body.items() if spec[1]],
                        "additionalProperties": False,
                    }
                }
            },
        }
    return document


def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in current_app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            op = OPERATIONS.get((rule.endpoint, method))
            if op is None:
                continue
            path, parameters = _path(rule.rule)
            paths.setdefault(path, {})[method.lower()] = _operation(op, parameters)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "certtrack API",
            "version": "1.0",
            "description": "Clusters on their way to the cluster-excellence labels. Every error "
            'is {"error": {"code", "message", "fields"}}.',
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
    }


@bp.get("/openapi.json")
def openapi_json() -> dict[str, Any]:
    return document()


@bp.get("/docs")
def docs() -> str:
    return render_template("api/docs.html", spec=document())
