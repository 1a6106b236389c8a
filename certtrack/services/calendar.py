"""A user's dates as an iCalendar feed (RFC 5545): label ends, renewal and Silver
windows, recommendation due dates, review deadlines, and Gold's visits with their
evidence due dates, for what the user may see. Four queries, whatever the number of
labels."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from certtrack import vocabulary
from certtrack.extensions import db
from certtrack.models import (
    LIVE_LABEL_STATUSES,
    OPEN_RECOMMENDATION_STATUSES,
    Application,
    Label,
    Level,
    Recommendation,
    Report,
    State,
    User,
)
from certtrack.services import evidence
from certtrack.services.access import application_filter, cluster_filter
from certtrack.services.outbox import external_url
from certtrack.workflow.dates import add_months, renewal_window_opens
from certtrack.workflow.deadlines import evidence_due, report_due
from certtrack.workflow.policy import Policy


@dataclass(frozen=True)
class Entry:
    uid: str
    start: date
    end: date  # exclusive, as iCalendar's all-day events want it
    summary: str
    link: str


def entries(user: User, policy: Policy) -> list[Entry]:
    found: list[Entry] = []
    labels = db.session.scalars(
        select(Label)
        .join(Label.cluster)
        .where(cluster_filter(user), Label.status.in_(LIVE_LABEL_STATUSES))
        .options(contains_eager(Label.cluster))
    )
    for label in labels:
        names = vocabulary.label_names(label)
        link = f"/clusters/{label.cluster_id}"
        until = label.valid_until
        found.append(
            Entry(
                f"label-{label.id}-end",
                until,
                until + timedelta(days=1),
                _("%(cluster)s: %(level)s label ends", **names),
                link,
            )
        )
        opens = renewal_window_opens(until, policy.renewal_window_days)
        found.append(
            Entry(
                f"label-{label.id}-renewal",
                opens,
                until + timedelta(days=1),
                _("%(cluster)s: renewal window of the %(level)s label", **names),
                link,
            )
        )
        if label.level == Level.BRONZE:
            start = add_months(label.interview_month, policy.silver_window_min_months)
            end = add_months(label.interview_month, policy.silver_window_max_months)
            found.append(
                Entry(
                    f"label-{label.id}-silver",
                    start,
                    end + timedelta(days=1),
                    _("%(cluster)s: Silver window", **names),
                    link,
                )
            )
    recommendations = db.session.scalars(
        select(Recommendation)
        .join(Recommendation.report)
        .join(Application, Application.id == Report.application_id)
        .where(
            application_filter(user),
            Recommendation.due_date.is_not(None),
            Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES),
        )
        .options(contains_eager(Recommendation.report))
    )
    for rec in recommendations:
        assert rec.due_date is not None
        found.append(
            Entry(
                f"recommendation-{rec.id}-due",
                rec.due_date,
                rec.due_date + timedelta(days=1),
                _("Recommendation due: %(title)s", title=rec.title),
                f"/applications/{rec.report.application_id}#recommendation-{rec.id}",
            )
        )
    reviews = db.session.scalars(
        select(Application)
        .where(
            application_filter(user),
            Application.state == State.CONSULTANT_REVIEW,
            Application.assigned_at.is_not(None),
        )
        .options(contains_eager(Application.cluster))
        .join(Application.cluster)
    )
    for app in reviews:
        due = report_due(app, policy)
        assert app.assigned_at is not None and due is not None
        found.append(
            Entry(
                f"review-{app.id}-{app.assigned_at:%Y%m%d}",
                due,
                due + timedelta(days=1),
                _("Report due: %(cluster)s", cluster=app.cluster.name),
                f"/applications/{app.id}",
            )
        )
    found += _visits(user, policy)
    return sorted(found, key=lambda entry: (entry.start, entry.uid))


def _visits(user: User, policy: Policy) -> list[Entry]:
    """Gold's planned visits and, while evidence is gathered, its due date."""
    found = []
    planned = db.session.scalars(
        evidence.in_evidence_stage()
        .join(Application.cluster)
        .where(application_filter(user))
        .options(contains_eager(Application.cluster))
    )
    for app in planned:
        start, end, due = app.visit_starts_on, app.visit_ends_on, evidence_due(app, policy)
        assert start is not None and end is not None and due is not None
        link = f"/applications/{app.id}"
        found.append(
            Entry(
                f"visit-{app.id}",
                start,
                end + timedelta(days=1),
                _("Gold assessment visit: %(cluster)s", cluster=app.cluster.name),
                link,
            )
        )
        found.append(
            Entry(
                f"evidence-{app.id}",
                due,
                due + timedelta(days=1),
                _("Gold evidence due: %(cluster)s", cluster=app.cluster.name),
                f"{link}#evidence",
            )
        )
    return found


def feed(user: User, policy: Policy, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//certtrack//labels//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("certtrack: %(name)s", name=user.name))
    for entry in entries(user, policy):
        event = Event()
        event.add("uid", f"{entry.uid}@certtrack")
        event.add("dtstamp", now)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.summary)
        event.add("url", external_url(entry.link))
        calendar.add_component(event)
    return calendar.to_ical()
