"""What each kind of message says, composed at send time in the recipient's language.

A composer returns None when the message's reason no longer holds (the label was
renewed, the recommendation done, the report delivered, ...): the dispatcher then cancels
the message instead of sending it."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack import vocabulary
from certtrack.extensions import db
from certtrack.models import (
    LABELLED_STATES,
    LIVE_LABEL_STATUSES,
    OPEN_RECOMMENDATION_STATUSES,
    Application,
    Label,
    LabelStatus,
    OutboxMessage,
    Recommendation,
    Report,
    State,
)
from certtrack.services import digest
from certtrack.workflow.dates import add_months, grace_end
from certtrack.workflow.definition import TRANSITIONS_BY_EVENT
from certtrack.workflow.policy import Policy

# Kinds a user may turn off (the attribute on User); the others always go out.
OPT_OUTS = {
    "coordinator_digest": "wants_digest",
    "recommendation_due": "wants_recommendation_reminders",
    "recommendation_overdue": "wants_recommendation_reminders",
}


# Control characters (Cc) and the Unicode line and paragraph separators.
UNFIT_FOR_HEADERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass
class Content:
    subject: str
    paragraphs: list[str]
    action: str
    items: list[str] = field(default_factory=list)


Composer = Callable[[OutboxMessage, date, Policy], Content | None]


def _label(message: OutboxMessage) -> Label:
    label = db.session.get(Label, message.label_id)
    assert label is not None  # the foreign key cascades
    return label


def _copy(message: OutboxMessage, paragraphs: list[str]) -> list[str]:
    if message.context.get("copy"):
        return [_("A copy for the agency, sent to the cluster's managers."), *paragraphs]
    return paragraphs


def label_expiry(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    label = _label(message)
    if label.status != LabelStatus.VALID or label.application.state not in LABELLED_STATES:
        return None  # renewed, upgraded, superseded, lapsed: the reason is gone
    days = (label.valid_until - today).days
    if days < 0:
        return None
    names = vocabulary.label_names(label)
    return Content(
        subject=_("%(cluster)s: the %(level)s label ends in %(days)s days", days=days, **names),
        paragraphs=_copy(
            message,
            [
                _(
                    "The %(level)s label %(number)s of %(cluster)s is valid until %(day)s.",
                    number=label.number,
                    day=label.valid_until.isoformat(),
                    **names,
                ),
                _(
                    "Renew it, or go for the next level, before then. A lapsed label can "
                    "still be renewed until %(grace)s; after that the cluster starts again.",
                    grace=grace_end(label.valid_until, policy.grace_months).isoformat(),
                ),
            ],
        ),
        action=_("Open the cluster's page"),
    )


def label_lapsed(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    label = _label(message)
    if label.application.state != State.LAPSED:
        return None
    names = vocabulary.label_names(label)
    return Content(
        subject=_("%(cluster)s: the %(level)s label has lapsed", **names),
        paragraphs=_copy(
            message,
            [
                _(
                    "The %(level)s label of %(cluster)s ended on %(day)s. It can be renewed "
                    "until %(grace)s.",
                    day=label.valid_until.isoformat(),
                    grace=grace_end(label.valid_until, policy.grace_months).isoformat(),
                    **names,
                )
            ],
        ),
        action=_("Renew the label"),
    )


def grace_ending(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    label = _label(message)
    end = grace_end(label.valid_until, policy.grace_months)
    if label.application.state != State.LAPSED or today > end:
        return None
    names = vocabulary.label_names(label)
    return Content(
        subject=_(
            "%(cluster)s: %(days)s days left to renew the %(level)s label",
            days=(end - today).days,
            **names,
        ),
        paragraphs=_copy(
            message,
            [
                _(
                    "The %(level)s label of %(cluster)s lapsed on %(day)s. After %(end)s it "
                    "is lost and the cluster starts again from Bronze.",
                    day=label.valid_until.isoformat(),
                    end=end.isoformat(),
                    **names,
                )
            ],
        ),
        action=_("Renew the label"),
    )


def silver_window(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    label = _label(message)
    closes = add_months(label.interview_month, policy.silver_window_max_months)
    if label.status not in LIVE_LABEL_STATUSES or today > closes:
        return None
    if label.application.state not in (*LABELLED_STATES, State.LAPSED):
        return None  # the cluster already moved on
    opens = add_months(label.interview_month, policy.silver_window_min_months)
    return Content(
        subject=_("%(cluster)s can go for the Silver label", cluster=label.cluster.name),
        paragraphs=[
            _(
                "The Bronze interview of %(cluster)s was in %(month)s: the second "
                "benchmarking for Silver is possible from %(start)s to %(end)s.",
                cluster=label.cluster.name,
                month=label.interview_month.strftime("%Y-%m"),
                start=opens.isoformat(),
                end=closes.isoformat(),
            )
        ],
        action=_("Go for Silver"),
    )


def recommendation_due(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    rec = db.session.get(Recommendation, message.recommendation_id)
    if rec is None or rec.status not in OPEN_RECOMMENDATION_STATUSES or rec.due_date is None:
        return None
    if rec.due_date < today or rec.report.application.state not in LABELLED_STATES:
        return None
    return Content(
        subject=_(
            "Recommendation due on %(day)s: %(title)s",
            day=rec.due_date.isoformat(),
            title=rec.title,
        ),
        paragraphs=[
            _(
                "The recommendation “%(title)s” of %(cluster)s is due on %(day)s.",
                title=rec.title,
                cluster=rec.report.application.cluster.name,
                day=rec.due_date.isoformat(),
            ),
            _("Record what was done, or the progress so far."),
        ],
        action=_("Update the recommendation"),
    )


def recommendation_overdue(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    recs = db.session.scalars(
        select(Recommendation)
        .join(Recommendation.report)
        .where(
            Report.application_id == message.application_id,
            Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES),
            Recommendation.due_date < today,
        )
        .order_by(Recommendation.due_date, Recommendation.id)
    ).all()
    if not recs:
        return None
    application = db.session.get(Application, message.application_id)
    if application is None or application.state not in LABELLED_STATES:
        return None
    return Content(
        subject=_(
            "%(cluster)s: %(n)s recommendations are overdue",
            cluster=application.cluster.name,
            n=len(recs),
        ),
        paragraphs=[_("These recommendations are past their due date and not done yet:")],
        items=[f"{rec.title} ({rec.due_date.isoformat() if rec.due_date else ''})" for rec in recs],
        action=_("Update the recommendations"),
    )


def review_stalled(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    application = db.session.get(Application, message.application_id)
    if application is None or application.state != State.CONSULTANT_REVIEW:
        return None
    assigned = application.assigned_at
    if application.report_delivered or assigned is None:
        return None
    if assigned.isoformat() != message.context.get("assigned_at"):
        return None  # reassigned since: a new delay runs
    due = assigned.date() + timedelta(days=policy.review_due_days)
    consultant = application.consultant
    return Content(
        subject=_(
            "%(cluster)s: the %(level)s report is overdue",
            cluster=application.cluster.name,
            level=vocabulary.name(application.level),
        ),
        paragraphs=[
            _(
                "%(consultant)s was assigned the review on %(day)s; the report was due by "
                "%(due)s and is not delivered yet.",
                consultant=consultant.name if consultant else "",
                day=assigned.date().isoformat(),
                due=due.isoformat(),
            )
        ],
        action=_("Open the application"),
    )


def coordinator_digest(message: OutboxMessage, today: date, policy: Policy) -> Content | None:
    summary = digest.for_coordinator(message.recipient, today, policy)
    if summary.empty:
        return None
    return Content(
        subject=_("certtrack weekly: %(n)s items need attention", n=summary.count),
        paragraphs=[_("This week in your clusters:")],
        items=summary.lines(),
        action=_("Open the dashboard"),
    )


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
    return Content(
        subject=str(transition.notice_subject) % names,
        paragraphs=paragraphs,
        action=_("Open the application"),
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
    "label_expiry": label_expiry,
    "label_lapsed": label_lapsed,
    "grace_ending": grace_ending,
    "silver_window": silver_window,
    "recommendation_due": recommendation_due,
    "recommendation_overdue": recommendation_overdue,
    "review_stalled": review_stalled,
    "coordinator_digest": coordinator_digest,
    "workflow_notice": workflow_notice,
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
    content = COMPOSERS[message.kind](message, today, policy)
    if content is not None:
        content.subject = header_text(content.subject)
    return content


def header_text(text: str) -> str:
    """`text` fit for a mail header: subjects are built from names people typed, and a
    line break there would end the header (or start a forged one)."""
    return UNFIT_FOR_HEADERS.sub(" ", text)
