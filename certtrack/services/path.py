"""A cluster's path through the labels, laid out for its timeline: each label's span on
one time axis, where today falls, and what comes next."""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from certtrack import formats, vocabulary
from certtrack.models import Application, Cluster, Label, LabelStatus, Level, State
from certtrack.workflow.dates import add_months, grace_end, renewal_window_opens
from certtrack.workflow.deadlines import report_due
from certtrack.workflow.policy import Policy


@dataclass(frozen=True)
class Span:
    """One label on the timeline: its validity, and the grace period after it."""

    label: Label
    start: date
    end: date  # when it stopped counting: superseded, or its last valid day
    grace_until: date | None  # lapsed or expired labels show their grace period
    left: float  # percentages of the axis
    width: float
    grace_width: float


@dataclass(frozen=True)
class Timeline:
    spans: list[Span]
    start: date
    end: date
    today: float  # position of today on the axis, in percent
    upcoming: list[tuple[date, str]]


def _percent(day: date, start: date, end: date) -> float:
    total = max((end - start).days, 1)
    return round(max(0.0, min(100.0, (day - start).days * 100 / total)), 2)


def timeline(cluster: Cluster, today: date, policy: Policy) -> Timeline | None:
    """None for a cluster that never held a label."""
    labels = sorted(cluster.labels, key=lambda label: (label.interview_month, label.id))
    if not labels:
        return None
    successors = {label.id: label for label in labels}
    start = labels[0].interview_month
    end = max(
        add_months(today, 6),
        *(grace_end(label.valid_until, policy.grace_months) for label in labels),
    )
    spans = []
    for label in labels:
        stop = label.valid_until
        if label.superseded_by_id and label.superseded_by_id in successors:
            stop = min(stop, successors[label.superseded_by_id].issued_on)
        grace = None
        if label.status in (LabelStatus.LAPSED, LabelStatus.EXPIRED):
            grace = grace_end(label.valid_until, policy.grace_months)
        left = _percent(label.interview_month, start, end)
        width = _percent(stop, start, end) - left
        grace_width = (_percent(grace, start, end) - left - width) if grace else 0.0
        spans.append(Span(label, label.interview_month, stop, grace, left, width, grace_width))
    return Timeline(spans, start, end, _percent(today, start, end), upcoming(labels, today, policy))


def upcoming(labels: list[Label], today: date, policy: Policy) -> list[tuple[date, str]]:
    """The dates ahead that matter for the labels the cluster still holds."""
    events: list[tuple[date, str]] = []
    for label in labels:
        if label.status == LabelStatus.VALID:
            opens = renewal_window_opens(label.valid_until, policy.renewal_window_days)
            if opens >= today:
                events.append((opens, _("Renewal window opens")))
            events.append(
                (label.valid_until, _("%(level)s label ends", level=vocabulary.name(label.level)))
            )
            if label.level == Level.BRONZE:
                window = add_months(label.interview_month, policy.silver_window_min_months)
                if window >= today:
                    events.append((window, _("Silver window opens")))
        if label.status == LabelStatus.LAPSED:
            events.append(
                (grace_end(label.valid_until, policy.grace_months), _("Last day to renew"))
            )
    return sorted(event for event in events if event[0] >= today)


def current_application(applications: list[Application]) -> Application | None:
    """The open application among `applications`, else the most recent one."""
    applications = sorted(applications, key=lambda app: app.id)
    open_ones = [app for app in applications if not app.is_closed]
    if open_ones:
        return open_ones[-1]
    return applications[-1] if applications else None


def next_step(application: Application | None, today: date, policy: Policy) -> str:
    """What happens next, in words, for the cluster's current application."""
    if application is None or application.is_closed:
        return _("Start an application for the label the cluster is going for.")
    state = application.state
    label = application.label
    if state == State.DRAFT:
        return _("Complete the profile and submit the application to the agency.")
    if state == State.SUBMITTED:
        return _("The agency checks the application and assigns a consultant.")
    if state == State.CONSULTANT_REVIEW:
        if application.report_delivered:
            return _("The report is delivered; the agency decides on the label.")
        due = report_due(application, policy)
        if due is not None:
            return _(
                "The consultant runs the assessment; the report is due by %(day)s.",
                day=formats.day(due),
            )
        return _("The consultant runs the assessment.")
    if state == State.LABEL_ISSUED:
        return _("Start the follow-up to work on the report's recommendations.")
    if state == State.FOLLOW_UP and label is not None:
        opens = renewal_window_opens(label.valid_until, policy.renewal_window_days)
        return _(
            "Work off the recommendations; the renewal window opens on %(day)s.",
            day=formats.day(opens),
        )
    if state == State.RENEWAL_DUE and label is not None:
        return _(
            "Renew the label, or go for the next level, before %(day)s.",
            day=formats.day(label.valid_until),
        )
    if state == State.LAPSED and label is not None:
        return _(
            "The label has lapsed; renew it by %(day)s or start again from scratch.",
            day=formats.day(grace_end(label.valid_until, policy.grace_months)),
        )
    return ""
