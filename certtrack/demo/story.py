"""Walks a cluster through the workflow with the real services, on given days. Used by
the demo data and by the tests."""

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from certtrack.demo.answers import typical_answer
from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEntry,
    Cluster,
    IndicatorKind,
    Label,
    Level,
    State,
    User,
)
from certtrack.services import applications, benchmarking
from certtrack.workflow import requirements
from certtrack.workflow.dates import grace_end, renewal_window_opens
from certtrack.workflow.policy import Policy, load_policy

RECOMMENDATIONS = [
    ("Formalise a three-year cluster strategy", "high", "Board of directors"),
    ("Broaden the funding base beyond regional grants", "medium", "Cluster manager"),
    ("Run a yearly member satisfaction survey", "low", "Communication officer"),
]


# The consultant notes where a number needs its context.
COMMENTS = {
    "B13": "Last closed financial year, audited accounts.",
    "B30": "Yearly survey; about a third of the participants answered.",
}


def at(day: date) -> datetime:
    """A working-hours timestamp on `day`, for the audit trail."""
    return datetime.combine(day, time(10, 0))


def sample_review(level: Level, today: date, *, passing: bool = True) -> dict[str, Any]:
    """A complete review of `level`. Silver and Gold pass when `passing`; otherwise every
    baseline requirement fails and every Gold score sits at its threshold (under 80 %)."""
    values: dict[str, Any] = {}
    for definition in requirements.definitions_for(level):
        if definition.kind == IndicatorKind.BENCHMARK:
            values[definition.code] = {
                "number": typical_answer(definition.code, today.toordinal()),
                "comment": COMMENTS.get(definition.code),
            }
        elif definition.kind == IndicatorKind.BASELINE:
            values[definition.code] = passing
        else:
            values[definition.code] = definition.max_score if passing else definition.threshold
    data: dict[str, Any] = {
        "values": values,
        "summary": "Solid management and committed members; the service portfolio and the "
        "funding base need sharper focus.",
        "recommendations": [
            {
                "title": title,
                "priority": priority,
                "owner": owner,
                "due_date": today + timedelta(days=180 * (i + 1)),
            }
            for i, (title, priority, owner) in enumerate(RECOMMENDATIONS)
        ],
    }
    if level == Level.SILVER:
        data["improvement_areas"] = [
            {"title": title, "effect": effect}
            for title, effect in (
                ("Internationalisation services", "Members in two new export markets"),
                ("Joint R&D projects", "Four collaborative projects a year"),
                ("Member engagement", "Event participation up by a third"),
            )
        ]
    return data


class Story:
    """One cluster's path: its manager and its agency's coordinator act on given days."""

    def __init__(self, cluster: Cluster, manager: User, coordinator: User) -> None:
        self.cluster = cluster
        self.manager = manager
        self.coordinator = coordinator

    @property
    def application(self) -> Application:
        query = (
            select(Application)
            .where(Application.cluster_id == self.cluster.id)
            .order_by(Application.id.desc())
        )
        application = db.session.scalars(query).first()
        assert application is not None, "start an application first"
        return application

    def start(self, level: Level, day: date) -> Application:
        return applications.open_application(self.cluster, level, self.manager, now=at(day))

    def fire(self, event: str, actor: User | None, day: date, **params: Any) -> AuditEntry:
        return applications.fire(self.application, event, actor, today=day, now=at(day), **params)

    def review(self, consultant: User, day: date, interview: date, *, passing: bool = True) -> None:
        data = sample_review(self.application.level, day, passing=passing)
        if self.application.improvement_areas:
            data.pop("improvement_areas", None)  # the cluster named its own
        benchmarking.save_benchmarking(
            self.application, consultant, today=day, interview_date=interview, **data
        )

    def labelled(
        self, level: Level, consultant: User, interview: date, *, started: int, follow_up: int
    ) -> Label:
        """A new application started `started` days before the interview, taken to its
        label, with the follow-up begun `follow_up` days after the interview."""
        self.start(level, interview - timedelta(days=started))
        label = self.to_label(consultant, interview)
        self.fire("start_follow_up", self.manager, interview + timedelta(days=follow_up))
        return label

    def advance(self, day: date) -> None:
        """Fire the time events that fell due up to `day`, each on the day it fell due,
        as the daily pass would have."""
        policy = load_policy()
        while (due := next_time_event(self.application, policy)) and due[1] <= day:
            event, due_day = due
            applications.fire(
                self.application, event, None, today=due_day, now=at(due_day), policy=policy
            )

    def submit_and_assign(self, consultant: User, day: date) -> None:
        self.fire("submit", self.manager, day)
        self.fire("assign_consultant", self.coordinator, day, consultant_id=consultant.id)

    def to_label(self, consultant: User, interview: date, issued: date | None = None) -> Label:
        """From draft to label_issued: submitted four weeks before the interview, the
        report delivered and the label issued `issued` (default: a week after it)."""
        self.submit_and_assign(consultant, interview - timedelta(days=28))
        delivered = interview + timedelta(days=3)
        self.review(consultant, delivered, interview)
        self.fire("deliver_report", consultant, delivered)
        self.fire("issue_label", self.coordinator, issued or interview + timedelta(days=7))
        label = self.application.label
        assert label is not None
        return label


def next_time_event(application: Application, policy: Policy) -> tuple[str, date] | None:
    """The time event this application meets next, and the day it falls due."""
    label = application.label
    if label is None:
        return None
    after_end = label.valid_until + timedelta(days=1)
    if application.state == State.FOLLOW_UP:
        opens = renewal_window_opens(label.valid_until, policy.renewal_window_days)
        return ("open_renewal", opens) if opens < after_end else ("lapse", after_end)
    if application.state == State.RENEWAL_DUE:
        return ("lapse", after_end)
    if application.state == State.LAPSED:
        return ("expire", grace_end(label.valid_until, policy.grace_months) + timedelta(days=1))
    return None
