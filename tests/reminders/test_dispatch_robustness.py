"""One bad message never stops the others: a name with a line break, an address the mail
library refuses, a row of a kind this version does not know. Each is that message's own
outcome, shown to the staff; the rest of the batch goes out and the command succeeds."""

from datetime import date, timedelta

from sqlalchemy import select, update

from certtrack.extensions import db
from certtrack.models import Cluster, OutboxMessage, OutboxStatus, Role, User
from certtrack.services import outbox
from certtrack.services.dispatch import Outcome, send_due
from certtrack.services.invitations import request_password_reset
from certtrack.services.messages import header_text
from certtrack.services.transaction import committed
from tests.builders import Journey, add_user, make_cast
from tests.reminders.test_web_side import sign_in

INJECTED = "DITENAVE\r\nBcc: victim@evil.example"


def status_of(row_id: int) -> OutboxMessage:
    db.session.expire_all()
    message = db.session.get(OutboxMessage, row_id)
    assert message is not None
    return message


def test_a_line_break_in_a_cluster_name_stops_no_mail(mail_app, smtp):
    cast = make_cast()
    journey = Journey(cast)
    journey.start()
    journey.fire("submit", cast.manager, date(2015, 1, 5))  # a notice naming the cluster
    for user in (cast.other_manager, cast.consultant, cast.admin):
        request_password_reset(user.email)
    # Stored before names were checked (or by any other way in): the dispatcher copes.
    db.session.execute(update(Cluster).where(Cluster.id == cast.cluster.id).values(name=INJECTED))
    db.session.commit()
    result = mail_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("4 sent, 0 to retry, 0 failed")
    [notice] = smtp.inbox.to(cast.coordinator.email)
    assert notice.to == [cast.coordinator.email]  # no Bcc smuggled in
    assert str(notice.message["Subject"]) == (
        "DITENAVE Bcc: victim@evil.example submitted a Bronze application"
    )
    assert notice.message["Bcc"] is None
    resets = [cast.other_manager.email, cast.consultant.email, cast.admin.email]
    assert sorted(r.to[0] for r in smtp.inbox.received if r.to != notice.to) == sorted(resets)
    waiting = select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SENT)
    assert db.session.scalars(waiting).all() == []


def test_a_message_that_cannot_be_composed_or_sent_fails_alone(mail_app, smtp):
    cast = make_cast()
    broken = add_user(Role.CONSULTANT, "eve@experts.example")
    with committed():  # the broken ones first: the batch must go on after them
        outbox.enqueue("retired_kind", cast.admin, key="retired:1", link="/dashboard")
    request_password_reset(broken.email)
    db.session.execute(
        update(User).where(User.id == broken.id).values(email=f"{broken.email}\r\nBcc: x@y.z")
    )
    db.session.commit()
    for user in (cast.manager, cast.consultant):
        request_password_reset(user.email)
    retired, refused, *good = db.session.scalars(
        select(OutboxMessage.id).order_by(OutboxMessage.id)
    ).all()

    result = mail_app.test_cli_runner().invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 sent, 0 to retry, 2 failed")
    assert sorted(r.to[0] for r in smtp.inbox.received) == sorted(
        [cast.manager.email, cast.consultant.email]
    )
    assert all(status_of(row).status == OutboxStatus.SENT for row in good)
    composing = status_of(retired)
    assert (composing.status, composing.attempts) == (OutboxStatus.FAILED, 0)
    assert composing.last_error == "Could not compose the message: KeyError: 'retired_kind'"
    sending = status_of(refused)
    assert (sending.status, sending.attempts) == (OutboxStatus.FAILED, 0)
    assert sending.last_error == "Could not send the message: BadHeaderError"
    assert sending.claimed_by is None and composing.claimed_by is None
    # Permanent: not tried again, and shown to the staff with the reason.
    assert send_due(now=status_of(good[0]).created_at + timedelta(days=1)) == Outcome()
    client = mail_app.test_client()
    sign_in(client, cast.admin.email)
    page = client.get("/notifications/failed").get_data(as_text=True)
    assert f'data-message="{retired}"' in page and f'data-message="{refused}"' in page
    assert "Could not send the message: BadHeaderError" in page


def test_subjects_never_carry_control_characters():
    assert header_text("A\r\nB") == "A B"
    assert header_text("A\nB\tC\x00D\x1bE\u2028F\x85G") == "A B C D E F G"
    assert header_text("Cluster Ünïcödé — ok") == "Cluster Ünïcödé — ok"
