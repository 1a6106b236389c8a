"""A sweep of hostile input over every route of the URL map, every method, anonymously
and signed in as several roles of the demo: path parameters out of range or malformed,
hostile query strings, hostile form and JSON bodies. Whatever is refused, nothing may
answer 5xx. New routes are swept without being listed here."""

import re
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from certtrack.demo.data import PASSWORD
from certtrack.models.base import utcnow
from certtrack.services import leadership
from certtrack.services.leadership import Candidate
from tests.api.conftest import token_for
from tests.api.documented import documented_operations
from tests.web.conftest import sign_in
from tests.web.test_permissions import demo_ids

ROLES = {
    "anonymous": None,
    "admin": "admin@certtrack.example",
    "coordinator": "coordinator@informest.example",
    # These two reach the forms only they may post (review, improvement areas, follow-up).
    "manager": "manager@area.example",
    "consultant": "luis.ortega@experts.example",
}
# What the URL map's converters and views choke on, spelled as they travel in a URL.
HOSTILE_SEGMENTS = ["0", "-1", str(2**31), str(10**20), "%C2%B2", "%00", "x" * 2000]
# Query string and form values: Unicode digits, out of range, too long for int(), NUL,
# control characters and line breaks, plain too long.
HOSTILE_VALUES = ["²", "-1", str(2**31), "9" * 5000, "a\x00b", "a\nb\x1b\x7f", "x" * 5000]
# Every query argument the pages read (the API's come from its document).
QUERY_NAMES = [
    "q", "page", "role", "level", "consultant", "region", "sector", "next", "status",
    "agency", "country", "expiring_within", "state", "cluster", "application",
    "sort", "per_page", "lang", "within", "lapsed_page", "submitted_page",
    "consultant_review_page", "label_issued_page", "follow_up_page", "renewal_due_page",
    "draft_page",
]  # fmt: skip
# The fields of the pages' forms, wherever they are used.
FORM_NAMES = [
    "email", "password", "remember", "name", "locale", "current", "new", "confirm",
    "role", "agency_id", "cluster_id", "country", "languages", "affiliation", "conflicts",
    "active", "short_name", "region", "website", "sector", "description", "staff_fte",
    "committed_members", "member_types", "website_in_english", "eccp_listed", "level",
    "comment", "reason", "consultant_id", "version", "status", "evidence", "note",
    "interview_date", "summary", "areas-0-title", "areas-0-effect",
    "improvement_areas-0-title", "recommendations-0-title", "recommendations-0-detail",
    "recommendations-0-priority", "recommendations-0-due_date", "recommendations-0-owner",
    "save", "deliver", "wants_digest", "wants_recommendation_reminders", "grace_months",
    "body", "internal", "wants_conversation_messages",
    "reminder_days", "gold_prerequisite", "min_staff_fte", "visit_starts_on", "visit_ends_on",
    "title", "link",
]  # fmt: skip
NESTED: Any = "deep"
for _level in range(40):
    NESTED = [NESTED]
JSON_VALUES: list[Any] = [
    "²",
    -1,
    2**31,
    10**20,
    "a\x00b",
    "a\nb\x1b",
    "x" * 5000,
    None,
    [],
    {},
    NESTED,
    True,
]
RAW_JSON = [
    "[" * 1000 + "]" * 1000,
    '{"name": "\\ud800", "email": "\\udc00"}',
    '{"staff_fte": NaN, "committed_members": 1e999}',
    "9" * 5000,
    "{not json",
    '"just a string"',
]
BODY_METHODS = {"POST", "PUT", "PATCH"}
PLACEHOLDER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def valid_path_values(app: Flask) -> dict[str, dict[str, str]]:
    """Path values that reach the view, by endpoint (None: for every endpoint)."""
    ids = {name: str(value) for name, value in demo_ids(app).items()}
    common = {
        "application_id": ids["area_app"],
        "cluster_id": ids["area"],
        "user_id": ids["user"],
        "agency_id": ids["agency"],
        "target_id": ids["target"],
        "recommendation_id": ids["area_rec"],
        "document_id": ids["area_doc"],
        "token_id": "999999",  # not the sweep's own token
        "session_id": "999999",  # not the sweep's own session
        "message_id": "1",
        "number": ids["label"],
        "event": "return_for_changes",
        "secret": "forged",
        "token": "forged",
        "filename": "css/missing.css",
    }
    return {
        "": common,
        "reviews.edit": {**common, "application_id": ids["polo_app"]},
        "applications.assign": {**common, "application_id": ids["sedia_app"]},
        "api.put_review": {**common, "application_id": ids["polo_app"]},
        "api.fire_event": {**common, "application_id": ids["sedia_app"]},
    }


def url_for_rule(rule: Rule, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], rule.rule)


def requests_for(rule: Rule, method: str, valid: dict[str, str], operations):  # type: ignore[no-untyped-def]
    """(url, keyword arguments of client.open) for one route and method."""
    url = url_for_rule(rule, valid)
    for name in rule.arguments:
        for segment in HOSTILE_SEGMENTS:
            yield url_for_rule(rule, {**valid, name: segment}), {}
    documented = operations.get((rule.endpoint, method))
    # The API's names come from its document, the pages' from the list above.
    query_names = (documented["query"] or ["unknown"]) if documented else QUERY_NAMES
    for value in HOSTILE_VALUES:
        yield url, {"query_string": dict.fromkeys(query_names, value)}
    if method not in BODY_METHODS:
        return
    if rule.rule.startswith("/api/"):
        fields = (documented["body"] if documented else []) or ["unknown"]
        for value in JSON_VALUES:
            yield url, {"json": dict.fromkeys(fields, value)}
        for raw in RAW_JSON:
            yield url, {"data": raw, "content_type": "application/json"}
    else:
        for value in HOSTILE_VALUES:
            yield url, {"data": dict.fromkeys(FORM_NAMES, value)}


def routes(app: Flask) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_no_route_answers_5xx_to_hostile_input(demo, role):
    # Hostile sign-ins would lock the sweep's own account out otherwise.
    demo.config.update(LOGIN_MAX_FAILURES_PER_EMAIL=10**6, LOGIN_MAX_FAILURES_PER_IP=10**6)
    client = demo.test_client()
    email = ROLES[role]
    headers = {"Authorization": f"Bearer {token_for(client, email, PASSWORD)}"} if email else {}
    valid = valid_path_values(demo)
    operations = documented_operations(demo)
    with demo.app_context():  # a live scheduler: /readyz answers 200, not 503
        assert leadership.try_lead(Candidate("sweep", "sweep-host", 1), utcnow())
    failures, sent = [], 0
    for rule, method in routes(demo):
        if email:  # a hostile step may have signed the session out (POST /logout)
            sign_in(client, email)
        for url, options in requests_for(
            rule, method, valid.get(rule.endpoint, valid[""]), operations
        ):
            response = client.open(url, method=method, headers=headers, buffered=True, **options)
            sent += 1
            if response.status_code >= 500:
                failures.append(f"{method} {url[:120]} {describe(options)}: {response.status}")
    assert sent > 1000
    if email:  # the sweep ran signed in to the end
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures)


def describe(options: dict[str, Any]) -> str:
    """A short account of a request's query and body for the failure message."""
    return ascii(options)[:160]
