"""Dates, numbers and percentages inside sentences are written the reader's way."""

from datetime import date
from decimal import Decimal

from flask_babel import force_locale

from certtrack import formats
from certtrack.models import Level
from certtrack.services import path
from certtrack.workflow.policy import load_policy
from tests.builders import Journey, make_cast


def test_days_numbers_and_percentages_follow_the_locale(app):
    with app.test_request_context():
        with force_locale("it"):
            assert formats.day(date(2027, 3, 31)) == "31 marzo 2027"
            assert formats.month(date(2027, 3, 1)) == "marzo 2027"
            assert formats.number(Decimal("0.5")) == "0,5"
            assert formats.percent(80) == "80%"
            assert formats.percent(Decimal("78.1")) == "78,1%"
        with force_locale("en"):
            assert formats.day(date(2027, 3, 31)) == "March 31, 2027"
            assert formats.number(Decimal("2.5")) == "2.5"
            assert formats.percent(Decimal("78.1")) == "78.1%"


def test_the_next_step_names_its_day_in_italian(app):
    """A sentence built by a service: "entro il ...", not an ISO date."""
    with app.app_context():
        journey = Journey(make_cast())
        journey.start(Level.BRONZE)
        journey.to_label(interview=date(2014, 10, 15))
        journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
        with app.test_request_context(), force_locale("it"):
            text = path.next_step(journey.application, date(2015, 1, 1), load_policy())
        assert "2016-" not in text
        assert "2016" in text and "finestra di rinnovo" in text


def test_the_home_page_gives_golds_bar_as_an_italian_percentage(client):
    client.post("/locale", data={"locale": "it"})
    page = client.get("/").get_data(as_text=True)
    assert "almeno il 80% del punteggio totale" in page
    assert "%%" not in page
