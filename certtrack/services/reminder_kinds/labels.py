"""Reminders about a label: its end coming, its lapse, its grace year running out, and
the Silver window a Bronze opens."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Date, and_, false, or_, select

from certtrack import formats, vocabulary
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
    LATE,
    Audience,
    Candidates,
    Columns,
    Notice,
    ReminderKind,
    Subject,
    latest_due,
)
from certtrack.services.sql import Day, grace_end_of, joined, shifted
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


def _not_before_import(row: Columns, day: ColumnElement[date]) -> ColumnElement[bool]:
    """Whether a notice telling of `day` comes on or after the day its label was
    imported: the agency's own records covered the days before, so none is sent late."""
    return or_(row.imported_on.is_(None), row.imported_on <= day)


def _offset_notice(
    kind: str, row: Columns, offset: ColumnElement[int], on_time: ColumnElement[bool]
) -> Notice:
    return Notice(
        stem=joined(f"{kind}:", row.subject, ":", offset),
        link=joined("/clusters/", row.cluster_id),
        context={"offset": offset},
        about={"label_id": row.subject},
        due=offset.is_not(None) & on_time,
    )


def _on_time(offsets: tuple[int, ...], day_within: Any) -> ColumnElement[bool]:
    """Whether some offset's notice day lies in the last LATE days (`day_within(days)`:
    the day `days` before the date the offsets count to is in [today - LATE, today]).
    The latest offset reached (latest_due) is then on time too: its day is later."""
    return or_(false(), *(day_within(days) for days in offsets))


def _label_notice(kind: str, row: Columns) -> Notice:
    return Notice(
        stem=joined(f"{kind}:", row.subject),
        link=joined("/clusters/", row.cluster_id),
        about={"label_id": row.subject},
    )


# --- label ending: `reminder_days` before the end -----------------------------------


def _ending(day: Day, policy: Policy) -> Candidates:
    # No offsets configured: no window, nothing holds.
    horizon = max(policy.reminder_days, default=-1)
    return _labels(
        Label.status == LabelStatus.VALID,
        Application.state.in_(LABELLED_STATES),
        Label.valid_until >= day.today,
        Label.valid_until <= day.plus(timedelta(days=horizon)),
    )


def _ending_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    # At most `offset` days left: valid_until <= today + offset; and the notice's day,
    # `offset` days before the end, not before the import.
    offset = latest_due(
        policy.reminder_days,
        lambda days: and_(
            row.valid_until <= day.plus(timedelta(days=days)),
            _not_before_import(row, shifted(row.valid_until, days=-days)),
        ),
    )
    # The offset's day, valid_until - days, in [today - LATE, today].
    on_time = _on_time(
        policy.reminder_days,
        lambda days: row.valid_until.between(
            day.plus(timedelta(days=days) - LATE), day.plus(timedelta(days=days))
        ),
    )
    return _offset_notice("label_expiry", row, offset, on_time)


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
                    day=formats.day(label.valid_until),
                    **names,
                ),
                _(
                    "Renew it, or go for the next level, before then. A lapsed label can "
                    "still be renewed until %(grace)s; after that the cluster starts again.",
                    grace=formats.day(grace_end(label.valid_until, policy.grace_months)),
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


def _in_grace(day: Day, policy: Policy) -> Candidates:
    # valid_until >= grace_cutoff(...) is today <= grace_end(valid_until) in SQL. A
    # revoked label's application lapses too, but there is nothing to renew.
    return _labels(
        Application.state == State.LAPSED,
        Label.status == LabelStatus.LAPSED,  # not revoked
        Label.valid_until >= _grace_cutoff(day, policy),
    )


def _grace_cutoff(day: Day, policy: Policy, days: int = 0) -> ColumnElement[date]:
    """grace_cutoff of the day `days` later."""
    return day.on(
        lambda today: grace_cutoff(today + timedelta(days=days), policy.grace_months), Date()
    )


def _lapsed_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    notice = _label_notice("label_lapsed", row)
    # It lapsed the day after its end, at most LATE days ago.
    lapsed_on = shifted(row.valid_until, days=1)
    recent = row.valid_until >= day.plus(-LATE - timedelta(days=1))
    return replace(notice, due=_not_before_import(row, lapsed_on) & recent)


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
                    day=formats.day(label.valid_until),
                    grace=formats.day(grace_end(label.valid_until, policy.grace_months)),
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
    # "Renewable until <grace end>": meaningful while in grace, not once the grace year
    # is over (even before the pass's expire event moved the application on).
    condition=_in_grace,
    notice=_lapsed_notice,
    compose=_lapsed_content,
)


# --- last days to renew: `grace_reminder_days` before the grace year ends --------------


def _grace_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    # At most `offset` days left: grace_end(valid_until) < today + offset + 1, which is
    # valid_until < grace_cutoff(today + offset + 1) (see grace_cutoff); and the
    # notice's day not before the import.
    end = grace_end_of(row.valid_until, policy.grace_months)
    offset = latest_due(
        policy.grace_reminder_days,
        lambda days: and_(
            row.valid_until < _grace_cutoff(day, policy, days + 1),
            _not_before_import(row, shifted(end, days=-days)),
        ),
    )
    # The offset's day, grace_end - days, in [today - LATE, today] (see grace_cutoff).
    on_time = _on_time(
        policy.grace_reminder_days,
        lambda days: and_(
            row.valid_until >= _grace_cutoff(day, policy, days - LATE.days),
            row.valid_until < _grace_cutoff(day, policy, days + 1),
        ),
    )
    return _offset_notice("grace_ending", row, offset, on_time)


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
                    day=formats.day(label.valid_until),
                    end=formats.day(end),
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


def _silver_window(day: Day, policy: Policy) -> Candidates:
    # The guard's rule (prerequisites: min <= whole months since the interview month <=
    # max) in SQL; interview_month is a month's first day.
    def months_before(months: int) -> ColumnElement[date]:
        return day.on(lambda today: month_start(add_months(today, -months)), Date())

    return _labels(
        Label.level == Level.BRONZE,
        Label.status.in_(LIVE_LABEL_STATUSES),
        Application.state.in_((*LABELLED_STATES, State.LAPSED)),
        Label.interview_month >= months_before(policy.silver_window_max_months),
        Label.interview_month <= months_before(policy.silver_window_min_months),
    ).add_columns(Label.interview_month)


def silver_window_opens(interview_month: date, policy: Policy) -> date:
    """The day a Bronze holder may go for Silver: the first day of the month
    `silver_window_min_months` after the interview month."""
    return add_months(interview_month, policy.silver_window_min_months)


def silver_opened_since(day: date, policy: Policy) -> date:
    """The earliest interview month whose Silver window opens on or after `day`
    (silver_window_opens(month) >= day exactly when month >= this): windows open on a
    month's first day, so the first one on or after `day`, less the months."""
    first_of_month = month_start(add_months(day - timedelta(days=1), 1))
    return add_months(first_of_month, -policy.silver_window_min_months)


def _silver_notice(row: Columns, day: Day, policy: Policy) -> Notice:
    # The window opened at most LATE days ago (an interview month, so the planner reads
    # the column's statistics: a normal day re-checks a month's labels at most).
    recent = row.interview_month >= day.on(
        lambda today: silver_opened_since(today - LATE, policy), Date()
    )
    return replace(_label_notice("silver_window", row), due=recent)


def _silver_content(message: OutboxMessage, today: date, policy: Policy) -> Content:
    label = _label(message)
    opens = silver_window_opens(label.interview_month, policy)
    closes = add_months(label.interview_month, policy.silver_window_max_months)
    return Content(
        subject=_("%(cluster)s can go for the Silver label", cluster=label.cluster.name),
        paragraphs=[
            _(
                "The Bronze interview of %(cluster)s was in %(month)s: the second "
                "benchmarking for Silver is possible from %(start)s to %(end)s.",
                cluster=label.cluster.name,
                month=formats.month(label.interview_month),
                start=formats.day(opens),
                end=formats.day(closes),
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
    notice=_silver_notice,
    compose=_silver_content,
)
