"""The OpenAPI document matches the routes, and schemathesis finds no 500 and no
response outside the schema, against the demo data."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from werkzeug.test import Client

from certtrack import create_app
from certtrack.demo.data import PASSWORD
from tests.api.conftest import token_for
from tests.api.documented import UNDOCUMENTED, documented_operations, openapi_path

OPERATIONS = documented_operations(create_app("testing"))
# `make test` replays the same examples on every run so CI is repeatable;
# `make fuzz` sets API_FUZZ_EXAMPLES and explores fresh random ones instead.
FUZZ_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "0"))


def test_every_api_route_is_documented_and_nothing_else(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1") and rule.endpoint not in UNDOCUMENTED
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == set(OPERATIONS)
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    operations = sum(len(set(methods) - {"parameters"}) for methods in document["paths"].values())
    assert operations == len(OPERATIONS)
    assert app.test_client().get("/api/v1/docs").status_code == 200


class ClosingClient(Client):
    """Reads each response whole and closes it, as a WSGI server does: schemathesis'
    own client leaves a streamed download's file open."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().open(*args, **{**kwargs, "buffered": True})


def operations_under_test(app):  # type: ignore[no-untyped-def]
    """Schemathesis' view of our document: (method, path) -> operation."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[(operation.method.upper(), operation.path)] = operation
    return found


def path_of(app, endpoint: str) -> str:  # type: ignore[no-untyped-def]
    [rule] = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return openapi_path(rule.rule)


# A multipart body refused mid-parse (413: too many parts) leaves the part files Werkzeug
# had spooled so far to the garbage collector; nothing of ours is left open.
SPOOLED_PARTS = "ignore:Exception ignored in.*SpooledTemporaryFile"


@pytest.mark.filterwarnings(SPOOLED_PARTS + ":pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(("endpoint", "method"), sorted(OPERATIONS), ids=lambda v: str(v))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_api_conforms_to_its_schema(app, demo_day, endpoint, method, mode):  # type: ignore[no-untyped-def]
    """Generated requests, valid and invalid, for one operation: no 500, every response
    documented and matching its schema, invalid input refused."""
    operation = operations_under_test(app)[(method, path_of(app, endpoint))]
    token = token_for(app.test_client(), "coordinator@informest.example", PASSWORD)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=FUZZ_EXAMPLES or 20,
        derandomize=not FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):  # type: ignore[no-untyped-def]
        # An "extra" query parameter whose value is an empty list never reaches the
        # wire, so the request the server sees is valid: not a negative case at all.
        assume(not any(value == [] for value in (case.query or {}).values()))
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, session=ClosingClient(app)
        )

    check()


@pytest.mark.filterwarnings(SPOOLED_PARTS + ":pytest.PytestUnraisableExceptionWarning")
def test_api_answers_schemathesis_coverage_cases(app, demo_day):  # type: ignore[no-untyped-def]
    """Schemathesis' coverage phase: for every operation, a fixed set of boundary and
    malformed values (each parameter's minimum and maximum and one past them, wrong
    types, missing and unexpected fields, NUL and other awkward strings), deterministic
    by construction. No 500, every response documented, invalid input refused."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = token_for(app.test_client(), "coordinator@informest.example", PASSWORD)
    failures, sent = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        generation = schema.config.generation_for(operation=operation, phase="coverage")
        for case in schema.iter_coverage_cases(
            operation, generation_modes=list(GenerationMode), generation_config=generation
        ):
            sent += 1
            try:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"}, session=ClosingClient(app)
                )
            except Exception as error:  # every failure is collected and shown at the end
                failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:600])
    assert sent > 500
    assert not failures, f"{len(failures)} of {sent} cases failed:\n" + "\n".join(failures)
