"""The public page and the certificate of a label that no longer holds say so across the
page, with the date it stopped; both name the issuing agency, the issue date and the
number. A valid label shows no banner."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Application, Label, LabelStatus, State
from tests.web.conftest import TODAY

PAGES = ["/labels/{number}", "/labels/{number}/certificate"]
BANNER = re.compile(r'data-status-banner="(\w+)"')


def a_valid_label(demo) -> Label:
    with demo.app_context():
        label = db.session.scalar(
            select(Label).where(Label.status == LabelStatus.VALID).order_by(Label.id)
        )
        db.session.expunge(label)
        return label


def set_status(demo, number: str, status: LabelStatus, **values) -> None:
    with demo.app_context():
        label = db.session.scalar(select(Label).where(Label.number == number))
        label.status = status
        for name, value in values.items():
            setattr(label, name, value)
        db.session.commit()


def later_label(demo, number: str, suffix: str, status: LabelStatus, issued: date) -> str:
    """Another label of the same cluster, on an application of its own."""
    with demo.app_context():
        first = db.session.scalar(select(Label).where(Label.number == number))
        application = Application(
            cluster_id=first.cluster_id, level=first.level, state=State.RENEWED
        )
        db.session.add(application)
        db.session.flush()
        later = Label(
            cluster_id=first.cluster_id,
            application_id=application.id,
            level=first.level,
            number=f"{number[:-5]}{suffix}",
            interview_month=issued.replace(day=1),
            issued_on=issued,
            valid_until=issued + timedelta(days=900),
            status=status,
        )
        db.session.add(later)
        db.session.commit()
        return later.number


def pages(client, number: str) -> list[str]:
    texts = []
    for page in PAGES:
        response = client.get(page.format(number=number))
        assert response.status_code == 200
        texts.append(response.get_data(as_text=True))
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_both_pages_name_agency_issue_date_and_number(demo, client, page):
    label = a_valid_label(demo)
    with demo.app_context():
        agency = db.session.get(Label, label.id).cluster.agency.name
    text = client.get(page.format(number=label.number)).get_data(as_text=True)
    assert agency in text
    assert label.number in text
    assert label.issued_on.strftime("%Y") in text
    assert "Issued" in text


def test_a_valid_label_shows_no_banner(demo, client):
    label = a_valid_label(demo)
    for text in pages(client, label.number):
        assert BANNER.search(text) is None


def test_a_superseded_label_links_to_the_current_one_down_the_chain(demo, client):
    label = a_valid_label(demo)
    middle = later_label(demo, label.number, "90001", LabelStatus.SUPERSEDED, TODAY)
    current = later_label(demo, label.number, "90002", LabelStatus.VALID, TODAY)
    with demo.app_context():
        by_number = {
            lab.number: lab
            for lab in db.session.scalars(select(Label).where(Label.number.in_([middle, current])))
        }
        mid_id, current_id = by_number[middle].id, by_number[current].id
    set_status(demo, label.number, LabelStatus.SUPERSEDED, superseded_by_id=mid_id)
    set_status(demo, middle, LabelStatus.SUPERSEDED, superseded_by_id=current_id)
    for text in pages(client, label.number):
        assert BANNER.findall(text) == ["superseded"]
        assert "Status: Superseded" in text
        assert f'href="/labels/{current}" data-current-label>{current}</a>' in text
        assert f'href="/labels/{middle}"' not in text
    for text in pages(client, current):
        assert BANNER.search(text) is None


def test_a_lapsed_label_says_when_it_ended(demo, client):
    label = a_valid_label(demo)
    set_status(demo, label.number, LabelStatus.LAPSED, valid_until=date(2026, 10, 31))
    for text in pages(client, label.number):
        assert BANNER.findall(text) == ["lapsed"]
        assert "Status: Lapsed" in text and "This label lapsed: it ended on" in text
        assert "2026" in text


def test_an_expired_label_says_its_grace_period_is_over(demo, client):
    label = a_valid_label(demo)
    set_status(demo, label.number, LabelStatus.EXPIRED, valid_until=date(2025, 9, 30))
    for text in pages(client, label.number):
        assert BANNER.findall(text) == ["expired"]
        assert "Status: Expired" in text and "its grace period is over" in text


def test_a_revoked_label_shows_its_date_and_reason(demo, client):
    label = a_valid_label(demo)
    set_status(
        demo,
        label.number,
        LabelStatus.REVOKED,
        revoked_on=date(2026, 11, 20),
        revocation_reason="Membership figures were <b>falsified</b>",
    )
    for text in pages(client, label.number):
        assert BANNER.findall(text) == ["revoked"]
        assert "Status: Revoked" in text and "This label was revoked on" in text
        # The reason is shown as text, never as markup.
        assert "Reason: Membership figures were &lt;b&gt;falsified&lt;/b&gt;" in text


def test_the_banner_is_in_italian(demo, client):
    label = a_valid_label(demo)
    set_status(demo, label.number, LabelStatus.REVOKED, revoked_on=TODAY, revocation_reason="x")
    client.post("/locale", data={"locale": "it"})
    for text in pages(client, label.number):
        assert "Questo label è stato revocato il" in text and "Rilasciato" in text
