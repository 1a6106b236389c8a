"""The benchmarking form's area navigation and progress, and the same progress on the
consultant's dashboard, counted in SQL."""

import re

from certtrack.extensions import db
from certtrack.models import Application
from certtrack.workflow import requirements
from tests.web.conftest import open_application_id, sign_in

CONSULTANT = "luis.ortega@experts.example"


def expected_progress(app, application_id: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Counted in Python, the rule the SQL twin must agree with."""
    with app.app_context():
        application = db.session.get(Application, application_id)
        definitions = requirements.definitions_for(application.level)
        answered = requirements.answered_codes(definitions, application.indicator_values)
        return len(answered), len(definitions)


def test_review_form_navigates_by_area_and_counts_the_answers(demo, client):
    sign_in(client, CONSULTANT)
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    page = client.get(f"/applications/{review}/review").get_data(as_text=True)
    answered, total = expected_progress(demo, review)
    assert total == 36 and 0 < answered < total
    assert f"<strong>{answered} of 36 answered</strong>" in page
    nav = re.search(r'<nav class="card mb-4" aria-labelledby="areas-nav-h">(.*?)</nav>', page, re.S)
    assert nav
    targets = re.findall(r'href="#(area-[a-z]+)"', nav.group(1))
    assert len(targets) == 6
    for target in targets:  # each link reaches its area's heading
        assert f'id="{target}"' in page
    assert re.search(r"Structure of the cluster</a> \(\d of 6\)", nav.group(1))


def test_dashboard_shows_each_reviews_progress_counted_in_sql(demo, client):
    sign_in(client, CONSULTANT)
    review = open_application_id(demo, "Polo Tecnologico di Pordenone")
    answered, total = expected_progress(demo, review)
    with demo.app_context():
        application = db.session.get(Application, review)
        assert requirements.progress_of([application])[review] == requirements.Progress(
            answered, total
        )
        assert requirements.progress_of([]) == {}
    page = client.get("/dashboard").get_data(as_text=True)
    name = r"<td><a href=\"[^\"]+\">Polo Tecnologico di Pordenone</a></td>"
    row = re.search(rf"<tr>\s*{name}.*?</tr>", page, re.S)
    assert row and f"{answered} of {total} answered" in row.group(0)
