"""The label a cluster holds is defined once (portfolio.held_label): its highest live
label. The cluster page, the list, the CSV and the standing all agree, also when a
lower label was issued while a higher one is still live."""

import csv
import io
import re
from datetime import timedelta

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Cluster, Label, LabelStatus, Level, State
from certtrack.services import portfolio
from tests.web.conftest import TODAY, cluster_id, sign_in

MURCIA = "Murcia Agrifood Technology Cluster"


def issue_a_lower_label(demo) -> int:
    """Murcia holds Gold; a Bronze is issued later while the Gold is still valid."""
    with demo.app_context():
        murcia = db.session.scalar(select(Cluster).where(Cluster.name == MURCIA))
        bronze_app = Application(cluster_id=murcia.id, level=Level.BRONZE, state=State.RENEWED)
        db.session.add(bronze_app)
        db.session.flush()
        db.session.add(
            Label(
                cluster_id=murcia.id,
                application_id=bronze_app.id,
                level=Level.BRONZE,
                number="B-ES-2026-LOWER",
                interview_month=TODAY.replace(day=1),
                issued_on=TODAY - timedelta(days=1),
                valid_until=TODAY + timedelta(days=700),
                status=LabelStatus.VALID,
            )
        )
        db.session.commit()
        return murcia.id


def test_the_highest_live_label_is_held_everywhere(demo, client):
    murcia = issue_a_lower_label(demo)
    with demo.app_context():
        held, _open = portfolio.standing([murcia])
        assert held[murcia].level == Level.GOLD
        assert portfolio.held_label(db.session.get(Cluster, murcia).labels) == held[murcia]

    sign_in(client, "admin@certtrack.example")
    page = client.get(f"/clusters/{cluster_id(demo, MURCIA)}").get_data(as_text=True)
    label_card = page.split('id="label-status"')[1].split("</section>")[0]
    assert "Gold" in label_card and "B-ES-2026-LOWER" not in label_card

    listing = client.get("/clusters?q=Murcia").get_data(as_text=True)
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Murcia(?:(?!</tr>).)*</tr>", listing, re.S)
    assert row and "Gold" in row.group(0) and "Bronze" not in row.group(0)

    exported = client.get("/exports/clusters.csv?q=Murcia").get_data(as_text=True)
    [record] = list(csv.DictReader(io.StringIO(exported)))
    assert (record["label"], record["label_status"]) == ("gold", "valid")
