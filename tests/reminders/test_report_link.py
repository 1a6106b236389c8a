"""When the label is issued, the cluster's managers get a mail with a link to their
individual report, each in their own language; the link opens the report."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from certtrack.models import Role
from certtrack.services.dispatch import send_due
from tests.builders import PASSWORD, Journey, add_user, make_cast
from tests.mail_server import BASE_URL
from tests.reminders.conftest import noon

INTERVIEW = date(2014, 10, 15)
ISSUED = INTERVIEW + timedelta(days=7)


def test_issued_label_mails_each_manager_a_link_to_the_report(mail_app, smtp):
    cast = make_cast()
    italian = add_user(Role.MANAGER, "vice@ditenave.example", cluster_id=cast.cluster.id)
    italian.locale = "it"
    journey = Journey(cast)
    journey.start()
    journey.to_label(interview=INTERVIEW, issued=ISSUED)
    send_due(now=noon(ISSUED))

    link = f"{BASE_URL}/applications/{journey.application.id}/report"
    [english_mail] = smtp.inbox.to(cast.manager.email)
    assert english_mail.subject == "DITENAVE holds the Bronze label"
    text = english_mail.part("text/plain")
    assert f"Read the report: {link}" in text
    assert "The individual report is ready" in text
    assert f'href="{link}"' in english_mail.part("text/html")
    # A link, not an attachment.
    assert all(part.get_content_disposition() is None for part in english_mail.message.walk())

    [italian_mail] = smtp.inbox.to(italian.email)
    assert italian_mail.subject == "DITENAVE ha ottenuto il label Bronze"
    assert f"Leggi il rapporto: {link}" in italian_mail.part("text/plain")
    # The consultant and the coordinator are not told by this notice.
    assert smtp.inbox.to(cast.consultant.email) == []

    # The manager follows the link: the report, for them.
    client = mail_app.test_client()
    client.post("/login", data={"email": cast.manager.email, "password": PASSWORD})
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "DITENAVE" in page.get_data(as_text=True)
    assert "Formalise a three-year cluster strategy" in page.get_data(as_text=True)
