"""Redirects stay on this site: `next` after sign-in and the Referer a refused form goes
back to are only ever followed to a local path, and a hostile value never breaks the
response."""

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Recommendation
from certtrack.safe_redirect import back, local_path
from tests import builders
from tests.builders import make_cast
from tests.web.conftest import cluster_id, open_application_id, sign_in

PASSWORD = "certtrack-demo"
HOSTILE = [
    "////evil.example/",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "\n",
    "/dashboard\n",
    "/dashboard\r\nSet-Cookie: stolen=1",
    "/%09/evil.example",
    "\t",
    "/\t/evil.example",
    " /dashboard",
    "/dash board",
    "/\x00",
    "/\u2028evil",
    "evil.example",
    "",
]


def sign_in_with_next(app, client, target):
    with app.app_context():
        make_cast()
    return client.post(
        "/login",
        query_string={"next": target},
        data={"email": "coord@informest.example", "password": builders.PASSWORD},
    )


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_next_after_sign_in_lands_on_the_dashboard(app, client, target):
    response = sign_in_with_next(app, client, target)
    if "\x00" in target:  # refused before any view: nothing can be stored from it
        assert response.status_code == 400
        assert "Location" not in response.headers
        return
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize(
    "target", ["/clusters?page=2", "/board?q=a%20b", "/x/%0d%0aSet-Cookie:%20stolen=1"]
)
def test_a_local_next_is_followed_as_it_is(app, client, target):
    response = sign_in_with_next(app, client, target)
    assert response.headers["Location"] == target  # an encoded line break stays encoded
    assert "stolen" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", HOSTILE)
def test_local_path_refuses_anything_but_a_path_here(target):
    assert local_path(target, "/home") == "/home"


@pytest.mark.parametrize(
    "referrer",
    [
        "https://evil.example/applications/1",
        "http://evil.example/",
        "http://localhost.evil.example/x",
        "https://localhost/x",  # another scheme is another site
        "http://localhost//evil.example/",
        "http://localhost/\\evil.example",
        "javascript:alert(1)",
        "not a url at all",
    ],
)
def test_back_refuses_a_referrer_from_elsewhere(app, referrer):
    with app.test_request_context("/", headers={"Referer": referrer}):
        assert back("/home") == "/home"


def test_back_keeps_a_page_of_this_site(app):
    with app.test_request_context("/", headers={"Referer": "http://localhost/board?state=x#top"}):
        assert back("/home") == "/board?state=x"


@pytest.mark.parametrize("referrer", ["https://evil.example/", "http://localhost//evil.example"])
def test_a_refused_step_goes_back_only_to_this_site(demo, client, referrer):
    sign_in(client, "coordinator@informest.example")
    application = open_application_id(demo, "Consorzio AREA")
    response = client.post(
        f"/applications/{application}/events/submit", headers={"Referer": referrer}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    response = client.post(
        f"/applications/{application}/events/submit",
        headers={"Referer": f"http://localhost/applications/{application}"},
    )
    assert response.headers["Location"] == f"/applications/{application}"


def test_switching_the_language_goes_back_only_to_this_site(demo, client):
    response = client.post(
        "/locale", data={"locale": "it"}, headers={"Referer": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"
    response = client.post(
        "/locale", data={"locale": "en"}, headers={"Referer": "http://localhost/labels/x"}
    )
    assert response.headers["Location"] == "/labels/x"


def test_an_updated_recommendation_goes_back_only_to_this_site(demo, client):
    sign_in(client, "manager@area.example")
    application = open_application_id(demo, "Consorzio AREA")
    with demo.app_context():
        recommendation = db.session.scalar(
            select(Recommendation.id).where(Recommendation.report.has(application_id=application))
        )
    area = cluster_id(demo, "Consorzio AREA")
    response = client.post(
        f"/recommendations/{recommendation}",
        data={"note": "Asked the members"},
        headers={"Referer": "https://evil.example/"},
    )
    assert response.headers["Location"] == f"/clusters/{area}#recommendation-{recommendation}"
