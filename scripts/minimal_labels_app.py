"""The yardstick of scripts/benchmark_http.py: a minimal Flask-SQLAlchemy app answering
`GET /api/v1/labels?limit=20` as certtrack does for a coordinator (the bearer token
looked up by its hash, the agency's labels counted and the first page read, soonest
ending first, with the same JSON fields), without certtrack's layers: no schemas, no
query-string validation, no sessions, no i18n.

    DATABASE_URL=sqlite:///bench.sqlite gunicorn -w 2 'minimal_labels_app:app'
"""

import base64
import hashlib
import json
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)

TOKEN = text(
    "SELECT u.agency_id FROM api_token t JOIN user_account u ON u.id = t.user_id"
    " WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND t.expires_at > CURRENT_TIMESTAMP"
    " AND u.active"
)
COUNT = text(
    "SELECT count(*) FROM label JOIN cluster ON cluster.id = label.cluster_id"
    " WHERE cluster.agency_id = :agency"
)
ROWS = text(
    "SELECT label.id, label.number, label.cluster_id, cluster.name, label.level,"
    " label.interview_month, label.issued_on, label.valid_until, label.status"
    " FROM label JOIN cluster ON cluster.id = label.cluster_id"
    " WHERE cluster.agency_id = :agency ORDER BY label.valid_until, label.id LIMIT :limit"
)


def _iso(value: object) -> str:
    return value if isinstance(value, str) else value.isoformat()  # type: ignore[attr-defined]


@app.get("/api/v1/labels")
def labels() -> dict[str, object]:
    secret = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    digest = hashlib.sha256(secret.encode()).hexdigest()
    agency = db.session.execute(TOKEN, {"hash": digest}).scalar()
    if agency is None:
        abort(401)
    limit = min(int(request.args.get("limit", 20)), 100)
    total = db.session.execute(COUNT, {"agency": agency}).scalar()
    rows = db.session.execute(ROWS, {"agency": agency, "limit": limit + 1}).all()
    items = [
        {
            "number": row.number,
            "cluster_id": row.cluster_id,
            "cluster_name": row.name,
            "level": row.level,
            "interview_month": _iso(row.interview_month)[:7],
            "issued_on": _iso(row.issued_on),
            "valid_until": _iso(row.valid_until),
            "status": row.status,
        }
        for row in rows[:limit]
    ]
    more = len(rows) > limit
    cursor = None
    if more:  # the same cursor certtrack hands out (certtrack/api/cursors.py)
        last = items[-1]
        raw = json.dumps(
            ["valid_until", last["valid_until"], rows[limit - 1].id], separators=(",", ":")
        )
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": 0,
        "next": f"/api/v1/labels?limit={limit}&offset={limit}" if more else None,
        "next_cursor": cursor,
    }
