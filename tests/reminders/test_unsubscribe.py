"""One-click unsubscribe (RFC 8058) from the digest and the recommendation reminders, and
Message-IDs that are unique everywhere and stable across a retry."""

import email
import email.policy
import re
from datetime import date, timedelta

from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import OutboxMessage, User
from certtrack.models.base import utcnow
from certtrack.services.account_links import make_link_token
from certtrack.services.dispatch import send_due
from certtrack.services.invitations import request_password_reset
from tests.builders import make_cast
from tests.mail_server import BASE_URL, Received
from tests.reminders.conftest import pass_and_send
from tests.reminders.test_messages import labelled

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def unsubscribe_path(received: Received) -> str:
    header = str(received.message["List-Unsubscribe"])
    match = re.fullmatch(rf"<{re.escape(BASE_URL)}(/notifications/unsubscribe/[\w.-]+)>", header)
    assert match, header
    assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    return match.group(1)


def reload(user: User) -> User:
    db.session.expire_all()
    fresh = db.session.get(User, user.id)
    assert fresh is not None
    return fresh


def test_opt_out_kinds_carry_one_click_unsubscribe_and_notices_do_not(mail_app, smtp):
    journey = labelled()
    cast = journey.cast
    smtp.inbox.received.clear()
    pass_and_send(date(2016, 3, 27))  # a recommendation due in 14 days
    pass_and_send(date(2016, 8, 8))  # a Monday: the digest, and the 90-day expiry notice
    [reminder] = [r for r in smtp.inbox.to(cast.manager.email) if "Recommendation" in r.subject]
    [digest] = [r for r in smtp.inbox.to(cast.coordinator.email) if "weekly" in r.subject]
    notices = [r for r in smtp.inbox.received if "ends in" in r.subject]
    assert len(notices) == 2  # the manager, and the coordinator's copy
    for received in (reminder, digest):
        path = unsubscribe_path(received)
        assert f"{BASE_URL}{path}" in received.part("text/plain")
        assert f'href="{BASE_URL}{path}"' in received.part("text/html")
    assert unsubscribe_path(reminder) != unsubscribe_path(digest)
    for notice in notices:  # cannot be turned off: no such header, no such link
        assert notice.message["List-Unsubscribe"] is None
        assert notice.message["List-Unsubscribe-Post"] is None
        assert "/unsubscribe/" not in notice.part("text/plain")


def test_one_click_post_turns_the_setting_off_without_signing_in_or_csrf(mail_app, smtp):
    journey = labelled()
    cast = journey.cast
    pass_and_send(date(2016, 8, 8))
    [digest] = [r for r in smtp.inbox.to(cast.coordinator.email) if "weekly" in r.subject]
    path = unsubscribe_path(digest)
    mail_app.config["WTF_CSRF_ENABLED"] = True  # as in production
    client = mail_app.test_client()
    assert client.post("/notifications/settings", data={}).status_code == 400  # CSRF holds

    page = client.get(path)  # a link scanner, or a person who clicks
    assert page.status_code == 200
    assert f'action="{path}"' in page.get_data(as_text=True)
    assert reload(cast.coordinator).wants_digest is True  # a GET changes nothing

    response = client.post(path, data=ONE_CLICK)  # what the mail client sends
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "The weekly digest (coordinators)" in text and 'href="/notifications/settings"' in text
    coordinator = reload(cast.coordinator)
    assert (coordinator.wants_digest, coordinator.wants_recommendation_reminders) == (False, True)
    assert client.post(path, data=ONE_CLICK).status_code == 200  # again: harmless
    pass_and_send(date(2016, 8, 15))  # next Monday: no digest any more
    assert [r for r in smtp.inbox.to(cast.coordinator.email) if "weekly" in r.subject] == [digest]


def test_tampered_or_foreign_tokens_are_refused(mail_app, smtp):
    journey = labelled()
    pass_and_send(date(2016, 8, 8))
    [digest] = [r for r in smtp.inbox.to(journey.cast.coordinator.email) if "weekly" in r.subject]
    path = unsubscribe_path(digest)
    token = path.rsplit("/", 1)[1]
    payload, signature = token.rsplit(".", 1)
    tampered = [
        f"{payload}.{signature[:-2]}xx",
        f"{payload[:-1]}A.{signature}",
        "not-a-token",
        make_link_token(journey.cast.coordinator, "reset"),  # signed, but for another use
    ]
    client = mail_app.test_client()
    for bad in tampered:
        for method in ("GET", "POST"):
            response = client.open(f"/notifications/unsubscribe/{bad}", method=method)
            assert response.status_code == 404, (bad, method)
            assert "This unsubscribe link is invalid." in response.get_data(as_text=True)
    assert reload(journey.cast.coordinator).wants_digest is True


def test_message_ids_are_unique_and_stable_across_a_retry(mail_app, smtp):
    cast = make_cast()
    request_password_reset(cast.manager.email)
    request_password_reset(cast.consultant.email)
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    ids = [row.message_id for row in rows]
    assert len(set(ids)) == 2
    assert all(re.fullmatch(r"<[0-9a-f]{32}@certtrack\.example>", i) for i in ids)
    deferred: list[str] = []
    accept = smtp.inbox.handle_DATA

    async def defer_the_first(server, session, envelope):  # type: ignore[no-untyped-def]
        if not deferred:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            deferred.append(str(message["Message-ID"]))
            return "451 4.3.0 Try again later"
        return await accept(server, session, envelope)

    smtp.inbox.handle_DATA = defer_the_first  # type: ignore[method-assign]
    moment = utcnow()
    first = send_due(now=moment)
    assert (first.sent, first.retried) == (1, 1)
    assert send_due(now=moment + timedelta(hours=1)).sent == 1
    received = {r.to[0]: str(r.message["Message-ID"]) for r in smtp.inbox.received}
    assert received == {cast.manager.email: ids[0], cast.consultant.email: ids[1]}
    assert deferred == [ids[0]]  # the retry went out under the id of the first attempt
