"""The web side of messages: emailed links that work, each user's notifications, the
opt-outs, and failed messages shown to the staff who may see them."""

import re
from datetime import date

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, OutboxStatus, User
from certtrack.services.dispatch import send_due
from tests.builders import PASSWORD, Journey, make_cast
from tests.mail_server import BASE_URL
from tests.reminders.conftest import noon, pass_and_send


def sign_in(client, email, password=PASSWORD):
    client.post("/logout")
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302


def emailed_link(received) -> str:
    match = re.search(rf"{re.escape(BASE_URL)}(/\S+)", received.part("text/plain"))
    assert match, received.part("text/plain")
    return match.group(1)


def test_forgotten_password_by_email(mail_app, smtp):
    cast = make_cast()
    client = mail_app.test_client()
    response = client.post("/password/forgot", data={"email": "Manager@Ditenave.example"})
    assert response.status_code == 302
    client.post("/password/forgot", data={"email": "nobody@nowhere.example"})  # says the same
    client.post("/password/forgot", data={"email": "manager@ditenave.example"})  # same slot
    send_due()
    [message] = smtp.inbox.received
    assert (message.to, message.subject) == ([cast.manager.email], "Set a new certtrack password")
    link = emailed_link(message)
    assert link.startswith("/password/reset/")
    response = client.post(
        link, data={"password": "mare-adriatico-7", "confirm": "mare-adriatico-7"}
    )
    assert response.headers["Location"] == "/dashboard"
    client.post("/logout")
    sign_in(client, cast.manager.email, "mare-adriatico-7")


def test_admin_invites_a_consultant_who_chooses_a_password(mail_app, smtp):
    make_cast()
    client = mail_app.test_client()
    sign_in(client, "admin@certtrack.example")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "marta@experts.example",
            "name": "Marta Ruiz",
            "role": "consultant",
            "agency_id": "0",
            "cluster_id": "0",
            "locale": "it",
            "languages": "es, it",
        },
    )
    assert response.status_code == 302
    send_due()
    [message] = smtp.inbox.to("marta@experts.example")
    assert message.subject == "Sei invitato su certtrack"  # in her language
    client.post("/logout")
    response = client.post(
        emailed_link(message),
        data={"password": "una-password-nuova", "confirm": "una-password-nuova"},
    )
    assert response.status_code == 302
    marta = db.session.scalar(select(User).where(User.email == "marta@experts.example"))
    assert marta.languages == ["es", "it"] and marta.password_hash


def test_coordinator_invites_a_manager_of_an_agency_cluster(mail_app, smtp):
    cast = make_cast()
    client = mail_app.test_client()
    sign_in(client, cast.coordinator.email)
    response = client.post(
        f"/clusters/{cast.cluster.id}/invite",
        data={"name": "Elisa Fabbro", "email": "elisa@ditenave.example"},
    )
    assert response.status_code == 302
    send_due()
    [message] = smtp.inbox.to("elisa@ditenave.example")
    assert message.subject == "You are invited to certtrack"
    assert "Coord invites you to certtrack" in " ".join(message.part("text/plain").split())
    assert (
        client.post(
            f"/clusters/{cast.other_cluster.id}/invite", data={"name": "X", "email": "x@x.example"}
        ).status_code
        == 403
    )
    sign_in(client, cast.manager.email)
    assert client.get(f"/clusters/{cast.cluster.id}/invite").status_code == 403


def test_notifications_list_and_opt_outs(mail_app, smtp):
    journey = Journey(make_cast())
    journey.start()
    journey.to_label(interview=date(2014, 10, 15))
    journey.fire("start_follow_up", journey.cast.manager, date(2014, 11, 1))
    pass_and_send(date(2016, 5, 4))
    client = mail_app.test_client()
    sign_in(client, journey.cast.manager.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Label ending soon" in page and "sent by email" in page
    assert f'href="/clusters/{journey.cluster.id}"' in page
    response = client.post("/notifications/settings", data={"wants_digest": "y"})
    assert response.status_code == 302
    manager = db.session.get(User, journey.cast.manager.id)
    db.session.refresh(manager)
    assert (manager.wants_digest, manager.wants_recommendation_reminders) == (True, False)


def test_failed_messages_are_shown_to_admins_and_the_agency_only(mail_app, smtp):
    cast = make_cast()
    smtp.inbox.refuse.add(cast.manager.email)
    journey = Journey(cast)
    journey.start()
    journey.fire("submit", cast.manager, date(2015, 1, 5))
    journey.fire("return_for_changes", cast.coordinator, date(2015, 1, 6), reason="More members")
    send_due(now=noon(date(2015, 1, 6)))
    [failed] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).all()
    client = mail_app.test_client()
    for email, sees in (
        (cast.admin.email, True),
        (cast.coordinator.email, True),
        (cast.other_coordinator.email, False),
    ):
        sign_in(client, email)
        page = client.get("/notifications/failed").get_data(as_text=True)
        assert (f'data-message="{failed.id}"' in page) is sees, email
    assert (
        client.post(f"/notifications/failed/{failed.id}/retry").status_code == 404
    )  # other agency
    sign_in(client, cast.manager.email)
    assert client.get("/notifications/failed").status_code == 403
    sign_in(client, cast.coordinator.email)
    smtp.inbox.refuse.clear()  # the address was fixed
    assert client.post(f"/notifications/failed/{failed.id}/retry").status_code == 302
    send_due()  # the retry is due at once
    assert [r.subject for r in smtp.inbox.to(cast.manager.email)] == [
        "The Bronze application of DITENAVE was returned for changes"
    ]
