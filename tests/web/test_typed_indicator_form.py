"""The consultant's form and the API with typed benchmarking measurements: the right
input per measure, refusals beside the field with what was typed kept, the API's shape,
and the indicator wording for Italian readers."""

import re
from decimal import Decimal

from sqlalchemy import select

from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import IndicatorDefinition, IndicatorValue, User
from tests.api.conftest import token_for
from tests.builders import snapshot
from tests.web.conftest import open_application_id, sign_in


def test_review_form_renders_the_input_of_each_measure(demo, client):
    sign_in(client, "luis.ortega@experts.example")
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    page = client.get(f"/applications/{review}/review").get_data(as_text=True)
    count = re.search(r"<input[^>]*name=\"v_B01\"[^>]*>", page)[0]
    assert all(a in count for a in ('type="number"', 'inputmode="numeric"', 'step="1"', 'min="0"'))
    assert 'aria-describedby="guide-B01"' in count and 'id="guide-B01"' in page
    percent = re.search(r"<input[^>]*name=\"v_B03\"[^>]*>", page)[0]
    assert 'max="100"' in percent and 'inputmode="decimal"' in percent
    assert re.search(r'name="v_B03"[^>]*>\s*<span class="input-group-text">%</span>', page)
    assert re.search(r'name="v_B07"[^>]*>\s*<span class="input-group-text">FTE</span>', page)
    scale = page[
        page.index('aria-describedby="guide-B12"') - 20 : page.index(
            "</fieldset>", page.index("guide-B12")
        )
    ]
    assert scale.strip().startswith("<fieldset") and "<legend" in scale
    assert scale.count('type="radio"') == 6  # not answered and steps 0 to 4
    assert "2 - written strategy" in scale
    assert 'name="c_B01"' in page and "Comment (optional)" in page


def test_refused_measurements_show_beside_their_fields_with_what_was_typed(demo, client):
    sign_in(client, "luis.ortega@experts.example")
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    with demo.app_context():
        before = snapshot()["indicator_value"]
    response = client.post(
        f"/applications/{review}/review",
        data={
            "v_B02": "9",
            "v_B08": "7",
            "v_B07": "2,5",
            "c_B07": "Two and a half.",
            "save": "1",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'name="v_B02"[^>]*value="9"[^>]*>.*?Must be between 0 and 7\.', page, re.S)
    assert re.search(r"guide-B08.*?Must be one of the steps 0 to 4\.", page, re.S)
    assert 'value="2,5"' in page and "Two and a half." in page  # kept as typed
    with demo.app_context():
        assert snapshot()["indicator_value"] == before
    response = client.post(
        f"/applications/{review}/review", data={"v_B01": "\u0663", "save": "1"}
    )  # an Arabic-Indic three: numbers are ASCII digits
    assert response.status_code == 422
    assert re.search(
        r'name="v_B01"[^>]*>.*?Must be a number\.', response.get_data(as_text=True), re.S
    )
    response = client.post(
        f"/applications/{review}/review",
        data={"v_B07": "2,5", "v_B08": "1", "c_B07": "Two and a half.", "save": "1"},
    )
    assert response.status_code == 302
    with demo.app_context():
        stored = dict(
            db.session.execute(
                select(IndicatorDefinition.code, IndicatorValue.number)
                .join(IndicatorValue.indicator)
                .where(IndicatorValue.application_id == review)
            ).all()
        )
        assert (stored["B07"], stored["B08"]) == (Decimal("2.5"), 1)


def test_api_takes_and_returns_typed_values_and_refuses_in_the_error_shape(demo, client):
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    headers = {
        "Authorization": f"Bearer {token_for(client, 'luis.ortega@experts.example', PASSWORD)}"
    }
    url = f"/api/v1/applications/{review}/review"
    with demo.app_context():
        before = snapshot()["indicator_value"]
    refused = client.put(
        url, json={"values": {"B08": {"number": 7}, "B01": {"number": 3.5}}}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        "values.B08": "Must be one of the steps 0 to 4.",
        "values.B01": "Must be a whole number.",
    }
    with demo.app_context():
        assert snapshot()["indicator_value"] == before
    saved = client.put(
        url, json={"values": {"B08": {"number": 2, "comment": "Two certified."}}}, headers=headers
    )
    assert saved.status_code == 200
    recorded = {v["code"]: v for v in saved.get_json()["indicator_values"]}
    assert recorded["B08"] == {
        "code": "B08",
        "number": 2,
        "comment": "Two certified.",
        "met": None,
        "score": None,
    }
    listed = client.get("/api/v1/indicators?level=bronze", headers=headers).get_json()
    b08 = next(i for i in listed["items"] if i["code"] == "B08")
    assert (b08["measure"], b08["direction"], b08["levels"][2]["label"]) == (
        "scale",
        "up",
        "degree",
    )


def test_italian_readers_get_italian_names_units_guidance_and_wording(demo, client):
    with demo.app_context():
        luis = db.session.scalars(
            select(User).where(User.email == "luis.ortega@experts.example")
        ).one()
        luis.locale = "it"
        db.session.commit()
    sign_in(client, "luis.ortega@experts.example", locale=None)  # the account's language
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    page = client.get(f"/applications/{review}/review").get_data(as_text=True)
    assert "B01 · Numero di partecipanti impegnati nel cluster" in page
    assert '<span class="input-group-text">ETP</span>' in page
    assert "2 - strategia scritta" in page
    assert "Contare le organizzazioni che hanno aderito formalmente" in page
    assert "Commento (facoltativo)" in page
    assert "Number of committed cluster participants" not in page
