"""The language chosen before signing in (the switch, or the browser's preference) is
kept after signing in, and becomes the account's when it has none of its own yet."""

from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import User
from tests.web.conftest import sign_in

CONSULTANT = "luis.ortega@experts.example"  # the demo leaves his language to him
MANAGER = "manager@area.example"  # an Italian cluster's manager: Italian


def locale_of(app, email: str) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(User.locale).where(User.email == email))


def lang(client, url: str = "/dashboard") -> str:  # type: ignore[no-untyped-def]
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_demo_italian_accounts_read_italian_and_the_others_have_none_yet(demo):
    assert locale_of(demo, MANAGER) == "it"
    assert locale_of(demo, "manager@polo.example") == "it"
    assert locale_of(demo, "coordinator@informest.example") == "it"
    assert locale_of(demo, "coordinator@czechinvest.example") == ""
    assert locale_of(demo, "manager@engineering-cluster.example") == ""
    assert locale_of(demo, CONSULTANT) == ""


def test_italian_account_reads_italian_after_signing_in(demo, client):
    sign_in(client, MANAGER, locale=None)
    assert lang(client) == "it"


def test_the_switch_before_signing_in_is_kept_and_stored_when_the_account_has_none(demo, client):
    client.post("/locale", data={"locale": "it"})
    client.post("/login", data={"email": CONSULTANT, "password": PASSWORD})
    assert lang(client) == "it"
    assert locale_of(demo, CONSULTANT) == "it"


def test_the_browsers_language_is_stored_when_the_account_has_none(demo, client):
    response = client.post(
        "/login",
        data={"email": CONSULTANT, "password": PASSWORD},
        headers={"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"},
    )
    assert response.status_code == 302
    assert locale_of(demo, CONSULTANT) == "it"
    assert lang(client) == "it"  # no header now: the account's language


def test_the_switch_before_signing_in_wins_but_does_not_replace_the_accounts(demo, client):
    client.post("/locale", data={"locale": "en"})
    client.post(
        "/login",
        data={"email": MANAGER, "password": PASSWORD},
        headers={"Accept-Language": "it"},
    )
    assert lang(client) == "en"
    assert locale_of(demo, MANAGER) == "it"  # the account keeps its own


def test_browser_language_does_not_override_an_accounts_own(demo, client):
    client.post(
        "/login",
        data={"email": MANAGER, "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert lang(client) == "it"
    assert locale_of(demo, MANAGER) == "it"


def test_a_new_language_on_the_profile_applies_at_once(demo, client):
    sign_in(client, MANAGER, locale="it")
    response = client.post("/account", data={"name": "Marco Furlan", "locale": "en"})
    assert response.status_code == 302
    assert lang(client) == "en"
    assert locale_of(demo, MANAGER) == "en"
