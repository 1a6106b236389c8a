"""What each kind of message says, composed at send time in the recipient's language.

A message whose reason no longer holds (the label was renewed, the recommendation done,
the report delivered, ...) composes to None, and the dispatcher cancels it instead of
sending it. For reminders, the reason is their kind's own condition
(services.reminder_kinds), the one the daily pass selected them with; the composers of
workflow notices, password resets and invitations are here."""

import re
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _

from certtrack import markdown, vocabulary
from certtrack.extensions import db
from certtrack.models import Application, ConversationMessage, OutboxMessage
from certtrack.services import access, conversation
from certtrack.services.content import Content
from certtrack.services.reminder_kinds import BY_NAME, KINDS
from certtrack.workflow.definition import TRANSITIONS_BY_EVENT
from certtrack.workflow.permissions import reads_internal_notes
from certtrack.workflow.policy import Policy

# Kinds a user may turn off (the attribute on User); the others always go out.
OPT_OUTS = {
    **{kind.name: kind.opt_out for kind in KINDS if kind.opt_out},
    conversation.KIND: "wants_conversation_messages",
}

# How users see each kind of message listed.
KIND_NAMES = {**vocabulary.MESSAGE_KINDS, **{kind.name: kind.title for kind in KINDS}}


# Control characters (Cc) and the Unicode line and paragraph separators.
UNFIT_FOR_HEADERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


Composer = Callable[[OutboxMessage, date, Policy], Content | None]


def workflow_notice(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    application = db.session.get(Application, message.application_id)
    event = message.context.get("event", "")
    transition = TRANSITIONS_BY_EVENT.get(event)
    # The subject comes from the step's definition.
    if application is None or transition is None or transition.notice_subject is None:
        return None
    if application.state.value != message.context.get("state"):
        return None  # things moved on since the step
    consultant = application.consultant
    if event.endswith("consultant") and (
        consultant is None or consultant.id != message.context.get("consultant")
    ):
        return None
    names = {
        "cluster": application.cluster.name,
        "level": vocabulary.name(application.level),
        "consultant": consultant.name if consultant else "",
    }
    paragraphs = [_("Step: %(step)s.", step=vocabulary.name(event))]
    if message.context.get("reason"):
        paragraphs.append(_("Reason: %(reason)s", reason=message.context["reason"]))
    if transition.notice_page == "report":
        paragraphs.append(
            _(
                "The individual report is ready: how %(cluster)s compares with its peers, "
                "area by area, and the recommendations to work on.",
                cluster=application.cluster.name,
            )
        )
        action = _("Read the report")
    else:
        action = _("Open the application")
    return Content(
        subject=str(transition.notice_subject) % names, paragraphs=paragraphs, action=action
    )


def conversation_message(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    """A new message in an application's conversation, quoted; None once the recipient
    muted it or no longer reads it (an internal note never reaches the cluster)."""
    posted = db.session.get(ConversationMessage, message.context.get("message"))
    recipient = message.recipient
    if posted is None or conversation.is_muted(recipient, posted.application):
        return None
    application = posted.application
    if not access.can_view_application(recipient, application):
        return None
    if posted.internal and not reads_internal_notes(recipient, application):
        return None
    names = {
        "cluster": application.cluster.name,
        "level": vocabulary.name(application.level),
        "author": posted.author.name,
    }
    if posted.internal:
        subject = _("%(cluster)s: an internal note from %(author)s", **names)
        intro = _(
            "%(author)s wrote an internal note on the %(level)s application of %(cluster)s "
            "(not visible to the cluster):",
            **names,
        )
    else:
        subject = _("%(cluster)s: a message from %(author)s", **names)
        intro = _("%(author)s wrote on the %(level)s application of %(cluster)s:", **names)
    return Content(
        subject=subject,
        paragraphs=[intro],
        action=_("Open the conversation"),
        quote=posted.body,
        quote_html=markdown.render(posted.body),
    )


def password_reset(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    return Content(
        subject=_("Set a new certtrack password"),
        paragraphs=[
            _("Someone asked to set a new password for your certtrack account."),
            _("The link works once, for two hours. If it was not you, ignore this message."),
        ],
        action=_("Set a new password"),
    )


def invitation(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    return Content(
        subject=_("You are invited to certtrack"),
        paragraphs=[
            _(
                "%(inviter)s invites you to certtrack, where clusters, their agencies and "
                "consultants follow the way to the cluster-excellence labels.",
                inviter=message.context.get("inviter", "certtrack"),
            ),
            _("Choose your password with the link below; it works for two weeks."),
        ],
        action=_("Choose my password"),
    )


COMPOSERS: dict[str, Composer] = {
    **{kind.name: kind.compose for kind in KINDS},
    "workflow_notice": workflow_notice,
    conversation.KIND: conversation_message,
    "password_reset": password_reset,
    "invitation": invitation,
}


def compose(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    """The message's content, or None when it should no longer be sent."""
    preference = OPT_OUTS.get(message.kind)
    if preference and not getattr(message.recipient, preference):
        return None
    if not message.recipient.active:
        return None
    reminder = BY_NAME.get(message.kind)
    if reminder is not None and not reminder.holds(message, today, policy):
        return None  # the reason is gone: the selection's own condition says so
    content = COMPOSERS[message.kind](message, today, policy)
    if content is not None:
        content.subject = header_text(content.subject)
    return content


def header_text(text: str) -> str:
    """`text` fit for a mail header: subjects are built from names people typed, and a
    line break there would end the header (or start a forged one)."""
    return UNFIT_FOR_HEADERS.sub(" ", text)
