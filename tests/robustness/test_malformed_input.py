"""Malformed input, one named case per kind a red-team run found answering 500: each gets
a clear 4xx in its interface's shape and writes nothing."""

import io
import json

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import ApiToken, Application, Cluster, User
from certtrack.parsing import MAX_ID, whole_number
from tests.web.conftest import cluster_id, open_application_id, sign_in

COORDINATOR = "coordinator@informest.example"
ADMIN = "admin@certtrack.example"
UNSTORABLE = "Contains a character that is not allowed (NUL or an unpaired surrogate)."


def error_of(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def version_of(app: Flask, application_id: int) -> int:
    with app.app_context():
        return db.session.get(Application, application_id).version


def name_of_cluster(app: Flask, cluster: int) -> str:
    with app.app_context():
        return db.session.get(Cluster, cluster).name


# --- Unicode digits -------------------------------------------------------------------


def test_whole_number_takes_ascii_digits_within_the_range_only():
    assert whole_number("42", 1, MAX_ID) == 42
    assert whole_number("-1", -5, 5) == -1
    assert whole_number(7, 1, 10) == 7
    for raw in ["²", "\u0661", "-1", "0", str(2**31), "9" * 5000, " 1", "1.0", "", True, None]:
        assert whole_number(raw, 1, MAX_ID) is None, raw


def test_unicode_digits_are_not_numbers_anywhere(demo, client, as_user):
    """'²' passes str.isdigit() but not int(): ids, pages, limits, filters, If-Match and the
    form version refuse it instead of failing."""
    api = as_user(COORDINATOR, PASSWORD)
    assert client.get("/api/v1/public/labels/%C2%B2").status_code == 404
    assert api.get("/api/v1/clusters/²").status_code == 404
    assert api.get("/api/v1/clusters/\u0661").status_code == 404  # an Arabic-Indic one is no id
    for url, field in [
        ("/api/v1/labels?limit=²", "limit"),
        ("/api/v1/labels?offset=²", "offset"),
        ("/api/v1/applications?cluster=²", "cluster"),
        ("/api/v1/labels?expiring_within=²", "expiring_within"),
    ]:
        response = api.get(url)
        assert response.status_code == 422, url
        assert error_of(response)["code"] == "invalid_params"
        assert field in error_of(response)["fields"]
    application = open_application_id(demo, "ASDI Sedia")
    response = api.post(
        f"/api/v1/applications/{application}/events",
        json={"event": "return_for_changes", "reason": "Members"},
        headers={"If-Match": '"²"'},
    )
    assert response.status_code == 400
    sign_in(client, COORDINATOR)
    assert client.get("/clusters?page=²").status_code == 422
    assert client.get("/board?consultant=²").status_code == 422
    before = version_of(demo, application)
    response = client.post(
        f"/applications/{application}/events/return_for_changes",
        data={"reason": "Members", "version": "²"},
    )
    assert response.status_code == 302  # back on the page, with the reason flashed
    assert version_of(demo, application) == before


# --- numbers beyond the database's range ----------------------------------------------


def test_numbers_beyond_the_range_are_refused_on_pages(demo, client):
    sign_in(client, ADMIN)
    for url in [
        "/clusters?page=99999999999999999999",
        "/board?consultant=2147483648",
        "/admin/users?page=-1",
        "/notifications?page=0",
    ]:
        response = client.get(url)
        assert response.status_code == 422, url
        assert "Must be a whole number from 1 to 2147483647." in response.get_data(as_text=True)


def test_numbers_beyond_the_range_are_refused_by_the_api(demo, as_user):
    api = as_user(COORDINATOR, PASSWORD)
    for url, field in [
        ("/api/v1/applications?cluster=2147483648", "cluster"),
        ("/api/v1/recommendations?application=99999999999999999999", "application"),
        ("/api/v1/labels?limit=101", "limit"),
        ("/api/v1/labels?offset=-1", "offset"),
    ]:
        response = api.get(url)
        assert response.status_code == 422, url
        assert error_of(response)["code"] == "invalid_params"
        assert list(error_of(response)["fields"]) == [field]


def test_ids_beyond_the_range_are_unknown(demo, client, as_user):
    sign_in(client, ADMIN)
    assert client.get(f"/clusters/{2**31}").status_code == 404
    assert client.get(f"/clusters/{10**20}").status_code == 404
    assert as_user(ADMIN, PASSWORD).get(f"/api/v1/users/{'9' * 5000}").status_code == 404


def test_a_5000_digit_if_match_is_refused(demo, as_user):
    application = open_application_id(demo, "ASDI Sedia")
    before = version_of(demo, application)
    response = as_user(COORDINATOR, PASSWORD).post(
        f"/api/v1/applications/{application}/events",
        json={"event": "return_for_changes", "reason": "Members"},
        headers={"If-Match": '"' + "9" * 5000 + '"'},
    )
    assert response.status_code == 400
    assert error_of(response)["message"] == "If-Match must be an ETag of this API."
    assert version_of(demo, application) == before


def test_a_5000_digit_form_version_is_refused(demo, client):
    application = open_application_id(demo, "ASDI Sedia")
    before = version_of(demo, application)
    sign_in(client, COORDINATOR)
    client.post(
        f"/applications/{application}/events/return_for_changes",
        data={"reason": "Members", "version": "9" * 5000},
    )
    assert version_of(demo, application) == before


# --- nested JSON ----------------------------------------------------------------------


def test_json_nested_1000_levels_is_refused(demo, as_user):
    api = as_user(COORDINATOR, PASSWORD)
    for url in ["/api/v1/auth/token", "/api/v1/applications"]:
        response = api.client.post(
            url,
            data="[" * 1000 + "]" * 1000,
            content_type="application/json",
            headers=api.headers(),
        )
        assert response.status_code == 400, url
        assert error_of(response) == {
            "code": "bad_request",
            "message": "The body is nested more than 32 levels deep.",
            "fields": {},
        }


def test_json_nested_within_the_limit_reaches_the_field_checks(demo, as_user):
    nested: object = "x"
    for _level in range(30):
        nested = [nested]
    response = as_user(COORDINATOR, PASSWORD).post("/api/v1/applications", json={"level": nested})
    assert response.status_code == 422
    assert error_of(response)["fields"]["level"] == "Must be of type string."


def test_json_nan_is_not_a_number(demo, as_user):
    cluster = cluster_id(demo, "Consorzio AREA")
    response = as_user(COORDINATOR, PASSWORD).client.patch(
        f"/api/v1/clusters/{cluster}",
        data='{"staff_fte": NaN}',
        content_type="application/json",
        headers=as_user(COORDINATOR, PASSWORD).headers(),
    )
    assert response.status_code == 400
    assert error_of(response)["message"] == "NaN is not a JSON number."


# --- lone surrogates and NUL ----------------------------------------------------------


def test_lone_surrogate_or_nul_in_json_is_refused(app, client):
    for escape in ["\\ud800", "\\udfff", "\\u0000"]:
        body = f'{{"email": "a{escape}@x.example", "password": "certtrack-demo"}}'
        response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
        assert response.status_code == 400, escape
        assert error_of(response)["message"] == UNSTORABLE


def test_lone_surrogate_in_a_json_key_is_refused(demo, as_user):
    cluster = cluster_id(demo, "Consorzio AREA")
    api = as_user(COORDINATOR, PASSWORD)
    response = api.client.patch(
        f"/api/v1/clusters/{cluster}",
        data='{"na\\ud800me": "x"}',
        content_type="application/json",
        headers=api.headers(),
    )
    assert response.status_code == 400


def test_nul_in_a_path_is_refused(app, client):
    response = client.get("/labels/%00")
    assert response.status_code == 400
    assert UNSTORABLE in response.get_data(as_text=True)
    response = client.get("/api/v1/public/labels/%00")
    assert response.status_code == 400
    assert error_of(response) == {
        "code": "bad_request",
        "message": UNSTORABLE,
        "fields": {"path": UNSTORABLE},
    }
    assert client.get("/calendar/%00.ics").status_code == 400


def test_nul_in_a_query_string_is_refused(demo, client, as_user):
    sign_in(client, COORDINATOR)
    assert client.get("/clusters?q=%00").status_code == 400
    assert client.get("/exports/clusters.csv?q=a%00").status_code == 400
    response = as_user(COORDINATOR, PASSWORD).get("/api/v1/clusters?q=%00")
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"q": UNSTORABLE}


def test_nul_in_a_form_is_refused_and_nothing_saved(demo, client):
    sign_in(client, COORDINATOR)
    for url, data in [
        ("/account", {"name": "Anna\x00", "locale": "en"}),
        ("/clusters/new", {"name": "New\x00", "country": "IT"}),
        ("/account/tokens", {"name": "laptop\x00"}),
        ("/login", {"email": "manager@area.example\x00", "password": "certtrack-demo"}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert UNSTORABLE in response.get_data(as_text=True)
    with demo.app_context():
        assert db.session.scalar(select(Cluster).where(Cluster.name.startswith("New"))) is None
        coordinator = db.session.scalar(select(User).where(User.email == COORDINATOR))
        assert coordinator.name == "Chiara Zanetti"
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_nul_in_a_form_field_name_is_refused(app, client):
    assert client.post("/login", data={"e\x00mail": "x"}).status_code == 400


def test_a_multipart_part_whose_name_cannot_be_parsed_is_not_a_server_error(app, client):
    # An unterminated quoted name: Werkzeug gives the part the name None.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="x\\"\r\n\r\n\xed\xa0\x80\r\n'
        b'--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nx\r\n--b--\r\n'
    )
    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 422  # the sign-in form, missing its password


def test_nul_in_json_on_a_form_save_is_refused(demo, as_user):
    cluster = cluster_id(demo, "Consorzio AREA")
    before = name_of_cluster(demo, cluster)
    response = as_user(COORDINATOR, PASSWORD).patch(
        f"/api/v1/clusters/{cluster}", json={"name": "A\x00"}
    )
    assert response.status_code == 400
    assert name_of_cluster(demo, cluster) == before


# --- control characters in names ------------------------------------------------------


def test_line_breaks_and_control_characters_in_a_name_are_refused_by_the_api(demo, as_user):
    cluster = cluster_id(demo, "Consorzio AREA")
    api = as_user(COORDINATOR, PASSWORD)
    for name in ["Consorzio\nAREA", "Consorzio\rAREA", "AREA\x1b[31m", "A\u2028B"]:
        response = api.patch(f"/api/v1/clusters/{cluster}", json={"name": name})
        assert response.status_code == 422, name
        assert error_of(response)["fields"] == {
            "name": "Must be a single line without control characters."
        }
    assert name_of_cluster(demo, cluster) == "Consorzio AREA"


def test_a_description_keeps_its_line_breaks_but_no_other_control_character(demo, as_user):
    cluster = cluster_id(demo, "Consorzio AREA")
    api = as_user(COORDINATOR, PASSWORD)
    text = "First line\r\nsecond\tline"
    assert api.patch(f"/api/v1/clusters/{cluster}", json={"description": text}).status_code == 200
    response = api.patch(f"/api/v1/clusters/{cluster}", json={"description": "bell\x07"})
    assert response.status_code == 422
    assert error_of(response)["fields"] == {
        "description": "Contains a control character; only line breaks and tabs are allowed."
    }


def test_line_breaks_in_a_name_are_shown_beside_the_field(demo, client):
    sign_in(client, ADMIN)
    for url, data in [
        ("/account", {"name": "Anna\nKeller", "locale": "en"}),
        ("/clusters/new", {"name": "Two\nlines", "country": "IT"}),
        (
            "/admin/agencies/new",
            {"name": "A\nB", "short_name": "AB", "country": "IT", "region": "X"},
        ),
        ("/account/tokens", {"name": "my\nlaptop"}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code == 422, url
        page = response.get_data(as_text=True)
        assert "Must be a single line without control characters." in page, url


def test_a_control_character_in_a_reason_is_refused(demo, as_user):
    application = open_application_id(demo, "ASDI Sedia")
    response = as_user(COORDINATOR, PASSWORD).post(
        f"/api/v1/applications/{application}/events",
        json={"event": "return_for_changes", "reason": "Please\x1b attach"},
    )
    assert response.status_code == 422
    assert set(error_of(response)["fields"]) == {"reason"}


# --- request size ---------------------------------------------------------------------


class Body(io.RawIOBase):
    """An endless request body that counts what the server reads of it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        self.read_bytes += len(buffer)
        buffer[:] = b" " * len(buffer)
        return len(buffer)


def send(app: Flask, url: str, content_type: str, body: Body, length: int | None):  # type: ignore[no-untyped-def]
    """Send `body` with a Content-Length of `length`, or chunked without one."""
    environ = EnvironBuilder(url, method="POST", content_type=content_type).get_environ()
    environ["wsgi.input"] = io.BufferedReader(body)
    if length is None:
        environ.pop("CONTENT_LENGTH", None)
        environ.update({"wsgi.input_terminated": True, "HTTP_TRANSFER_ENCODING": "chunked"})
    else:
        environ["CONTENT_LENGTH"] = str(length)
    chunks, status, _headers = run_wsgi_app(app, environ, buffered=True)
    return int(status.split()[0]), b"".join(chunks)


def test_100_mb_of_json_to_the_token_endpoint_is_refused_unread(app):
    body = Body()
    status, content = send(app, "/api/v1/auth/token", "application/json", body, 100 * 2**20)
    assert status == 413
    assert json.loads(content)["error"] == {
        "code": "payload_too_large",
        "message": "The request is too large.",
        "fields": {},
    }
    assert body.read_bytes == 0


def test_a_chunked_json_body_over_the_limit_is_refused(app):
    body = Body()
    status, content = send(app, "/api/v1/auth/token", "application/json", body, None)
    assert status == 413
    assert json.loads(content)["error"]["code"] == "payload_too_large"
    assert body.read_bytes <= 2 * app.config["MAX_CONTENT_LENGTH"]


def test_a_chunked_form_over_the_limit_is_refused(app):
    status, content = send(app, "/login", "application/x-www-form-urlencoded", Body(), None)
    assert status == 413
    assert b"The request is too large." in content


def test_a_10_mb_form_field_is_refused(demo, client: FlaskClient):
    sign_in(client, COORDINATOR)
    cluster = cluster_id(demo, "Consorzio AREA")
    response = client.post(
        f"/clusters/{cluster}/edit", data={"name": "x", "description": "x" * 10 * 2**20}
    )
    assert response.status_code == 413
    assert "The request is too large." in response.get_data(as_text=True)
    assert name_of_cluster(demo, cluster) == "Consorzio AREA"


def test_a_multipart_field_over_the_form_memory_limit_is_refused(app, client):
    big = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    response = client.post(
        "/login", data={"email": big, "password": "x"}, content_type="multipart/form-data"
    )
    assert response.status_code == 413


def test_a_multipart_form_with_too_many_parts_is_refused(app, client):
    fields = {f"f{i}": "x" for i in range(app.config["MAX_FORM_PARTS"] + 1)}
    response = client.post("/login", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413


def test_a_large_json_body_within_the_limit_is_still_read(app, client):
    padding = " " * (app.config["MAX_CONTENT_LENGTH"] - 100)
    body = '{"email": "nobody@x.example",' + padding + '"password": "wrong-password"}'
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert response.status_code == 401
