"""Reminders about a label: its end coming, its lapse, its grace year running out, and
the Silver window a Bronze opens."""

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, select

from certtrack import vocabulary
from certtrack.extensions import db
from certtrack.models import (
    LABELLED_STATES,
    LIVE_LABEL_STATUSES,
    Application,
    Cluster,
    Label,
    LabelStatus,
    Level,
    OutboxMessage,
    State,
)
from certtrack.services.content import Content
from certtrack.services.reminder_kinds.kind import (
    Audience,
    Candidates,
    Notice,
    ReminderKind,
    Subject,
    latest_due,
)
from certtrack.workflow.dates import add_months, grace_cutoff, grace_end, month_start
from certtrack.workflow.policy import Policy

LABEL = Subject(OutboxMessage.label_id, Label.id)


def _labels(*conditions: Any) -> Candidates:
    return (
        select(
            Label.id.label("subject"),
            Label.cluster_id,
            Cluster.agency_id,
            Label.valid_until,
            Application.imported_on,
        )
        .select_from(Label)
        .join(Application, Application.id == Label.application_id)
        .join(Cluster, Cluster.id == Label.cluster_id)
        .where(*conditions)
    )


def _label(message: OutboxMessage) -> Label:
    label = db.session.get(Label, message.label_id)
    assert label is not None  # the condition held a moment ago
    return label


def _copy(message: OutboxMessage, paragraphs: list[str]) -> list[str]:
    if message.context.get("copy"):
        return [_("A copy for the agency, sent to the cluster's managers."), *paragraphs]
    return paragraphs


def _before_import(row: Row[Any], day: date) -> bool:
    """Whether a notice for `day` would tell of a day before the label was imported:
    the agency's own records covered it, so it is not sent late."""
    return row.imported_on is not None and day < row.imported_on


def _offset_notice(kind: str, row: Row[Any], offset: int | None, end: date) -> Notice | None:
    """The notice for `offset` days before `end`, unless none is due or its day came
    before the label was imported."""
    if offset is None or _before_import(row, end - timedelta(days=offset)):
        return None
    return Notice(
        stem=f"{kind}:{row.subject}:{offset}",
        link=f"/clusters/{row.cluster_id}",
        context={"offset": offset},
        about={"label_id": row.subject},
    )


def _label_notice(kind: str, row: Row[Any]) -> Notice:
    return Notice(
        stem=f"{kind}:{row.subject}",
        link=f"/clusters/{row.cluster_id}",
        about={"label_id": row.subject},
    )


# --- label ending: `reminder_days` before the end -----------------------------------


def _ending(today: date, policy: Policy) -> Candidates:
    # No offsets configured: no window, nothing holds.
    horizon = max(policy.reminder_days, default=-1)
    return _labels(
        Label.status == LabelStatus.VALID,
        Application.state.in_(LABELLED_STATES),
        Label.valid_until >= today,
        Label.valid_until <= today + timedelta(days=horizon),
    )


def _ending_notice(row: Row[Any], today: date, policy: Policy) -> Notice | None:
    offset = latest_due(policy.reminder_days, (row.valid_until - today).days)
    return _offset_notice("label_expiry", row, offset, row.valid_until)


def _ending_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    label = _label(message)
    days = (label.valid_until - today).days
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


LABEL_EXPIRY = ReminderKind(
    name="label_expiry",
    title=_l("Label ending soon"),
    audience=Audience.CLUSTER,
    subject=LABEL,
    condition=_ending,
    notice=_ending_notice,
    compose=_ending_content,
)


# --- label lapsed: the day it lapses ---------------------------------------------


def _lapsed(today: date, policy: Policy) -> Candidates:
    return _labels(Application.state == State.LAPSED)


def _lapsed_notice(row: Row[Any], today: date, policy: Policy) -> Notice | None:
    # It lapsed the day after its end.
    if _before_import(row, row.valid_until + timedelta(days=1)):
        return None
    return _label_notice("label_lapsed", row)


def _lapsed_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    label = _label(message)
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


LABEL_LAPSED = ReminderKind(
    name="label_lapsed",
    title=_l("Label lapsed"),
    audience=Audience.CLUSTER,
    subject=LABEL,
    condition=_lapsed,
    notice=_lapsed_notice,
    compose=_lapsed_content,
)


# --- last days to renew: `grace_reminder_days` before the grace year ends --------------


def _in_grace(today: date, policy: Policy) -> Candidates:
    # valid_until >= grace_cutoff(...) is today <= grace_end(valid_until) in SQL.
    return _labels(
        Application.state == State.LAPSED,
        Label.valid_until >= grace_cutoff(today, policy.grace_months),
    )


def _grace_notice(row: Row[Any], today: date, policy: Policy) -> Notice | None:
    end = grace_end(row.valid_until, policy.grace_months)
    offset = latest_due(policy.grace_reminder_days, (end - today).days)
    return _offset_notice("grace_ending", row, offset, end)


def _grace_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    label = _label(message)
    end = grace_end(label.valid_until, policy.grace_months)
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


GRACE_ENDING = ReminderKind(
    name="grace_ending",
    title=_l("Last days to renew"),
    audience=Audience.CLUSTER,
    subject=LABEL,
    condition=_in_grace,
    notice=_grace_notice,
    compose=_grace_content,
)


# --- Silver window: a Bronze holder may go for Silver ---------------------------------


def _silver_window(today: date, policy: Policy) -> Candidates:
    # The guard's rule (prerequisites: min <= whole months since the interview month <=
    # max) in SQL; interview_month is a month's first day.
    return _labels(
        Label.level == Level.BRONZE,
        Label.status.in_(LIVE_LABEL_STATUSES),
        Application.state.in_((*LABELLED_STATES, State.LAPSED)),
        Label.interview_month >= month_start(add_months(today, -policy.silver_window_max_months)),
        Label.interview_month <= month_start(add_months(today, -policy.silver_window_min_months)),
    )


def _silver_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    label = _label(message)
    opens = add_months(label.interview_month, policy.silver_window_min_months)
    closes = add_months(label.interview_month, policy.silver_window_max_months)
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


SILVER_WINDOW = ReminderKind(
    name="silver_window",
    title=_l("Silver window open"),
    audience=Audience.MANAGERS,
    subject=LABEL,
    condition=_silver_window,
    notice=lambda row, today, policy: _label_notice("silver_window", row),
    compose=_silver_content,
)
