"""The daily pass: fire the day's time events, then decide which reminders are due and
write them to the outbox. Deciding is a fixed number of queries whatever the number of
labels: each kind selects its candidates in SQL, and the keys already written in one
more query, so only new messages are inserted.

Late or repeated passes are harmless: keys make every message unique, and for the
offsets before a date only the latest one due is written (a pass that was down for a
week sends the 30-day notice, not the 90-day and the 30-day together)."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from certtrack.extensions import db
from certtrack.models import (
    LABELLED_STATES,
    LIVE_LABEL_STATUSES,
    OPEN_RECOMMENDATION_STATUSES,
    Application,
    Cluster,
    Label,
    LabelStatus,
    Level,
    OutboxMessage,
    Recommendation,
    Report,
    Role,
    State,
    User,
)
from certtrack.services import outbox
from certtrack.services.outbox import Draft
from certtrack.services.recommendations import FOLLOW_UP_STATES
from certtrack.services.time_events import run_time_events
from certtrack.services.transaction import committed
from certtrack.workflow.dates import add_months, grace_end, month_start
from certtrack.workflow.policy import Policy, load_policy


@dataclass(frozen=True)
class PassResult:
    events: int
    written: int


def run_daily_pass(today: date, now: datetime | None = None) -> PassResult:
    """Everything the clock decides for `today`."""
    policy = load_policy()
    events = run_time_events(today, now=now, policy=policy)
    with committed():
        written = outbox.write(decide(today, policy), now)
    return PassResult(events=len(events), written=written)


def decide(today: date, policy: Policy) -> list[Draft]:
    people = People.load()
    return [
        *_label_expiry(today, policy, people),
        *_lapsed(people),
        *_grace_ending(today, policy, people),
        *_silver_window(today, policy, people),
        *_recommendations_due(today, policy, people),
        *_recommendations_overdue(today, people),
        *_stalled_reviews(today, policy, people),
        *_digests(today, people),
    ]


@dataclass
class People:
    """Who receives what: active managers by cluster, coordinators by agency, each kind
    of optional message only to those who want it. Two queries per pass."""

    managers: dict[int, list[User]]
    coordinators: dict[int, list[User]]

    @classmethod
    def load(cls) -> "People":
        managers: dict[int, list[User]] = defaultdict(list)
        coordinators: dict[int, list[User]] = defaultdict(list)
        active = select(User).where(User.active.is_(True))
        for user in db.session.scalars(active.where(User.role == Role.MANAGER)):
            managers[user.cluster_id or 0].append(user)
        for user in db.session.scalars(active.where(User.role == Role.COORDINATOR)):
            coordinators[user.agency_id or 0].append(user)
        return cls(managers, coordinators)

    def cluster(self, cluster_id: int, agency_id: int) -> list[tuple[User, bool]]:
        """The cluster's managers, and its agency's coordinators in copy."""
        return [(u, False) for u in self.managers[cluster_id]] + [
            (u, True) for u in self.coordinators[agency_id]
        ]


def _existing(kind: str, column: Any, ids: Select[Any]) -> set[str]:
    """Keys already written for `kind` about the candidate rows (one query)."""
    query = select(OutboxMessage.key).where(OutboxMessage.kind == kind, column.in_(ids))
    return set(db.session.scalars(query))


def _new(drafts: Iterable[Draft], existing: set[str]) -> list[Draft]:
    return [draft for draft in drafts if draft.key not in existing]


def _latest_due(offsets: tuple[int, ...], days_left: int) -> int | None:
    """The smallest offset not yet passed: the one notice that is due today."""
    due = [offset for offset in offsets if offset >= days_left]
    return min(due) if due else None


def _labels(*conditions: Any) -> Select[int, int, int, date, date]:
    return (
        select(
            Label.id, Label.cluster_id, Cluster.agency_id, Label.valid_until, Label.interview_month
        )
        .join(Application, Application.id == Label.application_id)
        .join(Cluster, Cluster.id == Label.cluster_id)
        .where(*conditions)
    )


def _label_expiry(today: date, policy: Policy, people: People) -> list[Draft]:
    if not policy.reminder_days:
        return []
    query = _labels(
        Label.status == LabelStatus.VALID,
        Application.state.in_(LABELLED_STATES),
        Label.valid_until >= today,
        Label.valid_until <= today + timedelta(days=max(policy.reminder_days)),
    )
    return _label_notices(
        "label_expiry",
        query,
        people,
        lambda valid_until: _latest_due(policy.reminder_days, (valid_until - today).days),
    )


def _lapsed(people: People) -> list[Draft]:
    return _label_notices("label_lapsed", _labels(Application.state == State.LAPSED), people)


def _grace_ending(today: date, policy: Policy, people: People) -> list[Draft]:
    if not policy.grace_reminder_days:
        return []

    def offset(valid_until: date) -> int | None:
        days = (grace_end(valid_until, policy.grace_months) - today).days
        return _latest_due(policy.grace_reminder_days, days) if days >= 0 else None

    return _label_notices(
        "grace_ending", _labels(Application.state == State.LAPSED), people, offset
    )


def _label_notices(
    kind: str,
    query: Select[int, int, int, date, date],
    people: People,
    offset_for: Callable[[date], int | None] | None = None,
) -> list[Draft]:
    """A notice about each label to its cluster's managers, coordinators in copy. With
    `offset_for`, only labels with an offset due today, and the offset is in the key so
    each one is sent once."""
    drafts = []
    for label_id, cluster_id, agency_id, valid_until, _month in db.session.execute(query):
        offset = offset_for(valid_until) if offset_for else None
        if offset_for and offset is None:
            continue
        stem = f"{kind}:{label_id}" if offset is None else f"{kind}:{label_id}:{offset}"
        for user, copy in people.cluster(cluster_id, agency_id):
            context: dict[str, Any] = {"copy": copy}
            if offset is not None:
                context["offset"] = offset
            drafts.append(
                Draft(
                    key=f"{stem}:{user.id}",
                    kind=kind,
                    recipient_id=user.id,
                    link=f"/clusters/{cluster_id}",
                    context=context,
                    label_id=label_id,
                )
            )
    ids = query.with_only_columns(Label.id)
    return _new(drafts, _existing(kind, OutboxMessage.label_id, ids))


def _silver_window(today: date, policy: Policy, people: People) -> list[Draft]:
    # Interviewed between max and min months ago (interview_month is a month's first day).
    query = _labels(
        Label.level == Level.BRONZE,
        Label.status.in_(LIVE_LABEL_STATUSES),
        Application.state.in_((*LABELLED_STATES, State.LAPSED)),
        Label.interview_month >= month_start(add_months(today, -policy.silver_window_max_months)),
        Label.interview_month <= month_start(add_months(today, -policy.silver_window_min_months)),
    )
    drafts = [
        Draft(
            key=f"silver_window:{label_id}:{user.id}",
            kind="silver_window",
            recipient_id=user.id,
            link=f"/clusters/{cluster_id}",
            label_id=label_id,
        )
        for label_id, cluster_id, _agency, _until, _month in db.session.execute(query)
        for user in people.managers[cluster_id]
    ]
    ids = query.with_only_columns(Label.id)
    return _new(drafts, _existing("silver_window", OutboxMessage.label_id, ids))


def _recommendations(*conditions: Any) -> Select[int, int, int]:
    return (
        select(Recommendation.id, Report.application_id, Application.cluster_id)
        .join(Report, Report.id == Recommendation.report_id)
        .join(Application, Application.id == Report.application_id)
        .where(
            Recommendation.status.in_(OPEN_RECOMMENDATION_STATUSES),
            Application.state.in_(FOLLOW_UP_STATES),
            *conditions,
        )
    )


def _recommendations_due(today: date, policy: Policy, people: People) -> list[Draft]:
    query = _recommendations(
        Recommendation.due_date >= today,
        Recommendation.due_date <= today + timedelta(days=policy.recommendation_due_days),
    )
    drafts = [
        Draft(
            key=f"recommendation_due:{rec_id}:{user.id}",
            kind="recommendation_due",
            recipient_id=user.id,
            link=f"/applications/{application_id}#recommendation-{rec_id}",
            application_id=application_id,
            recommendation_id=rec_id,
        )
        for rec_id, application_id, cluster_id in db.session.execute(query)
        for user in people.managers[cluster_id]
        if user.wants_recommendation_reminders
    ]
    ids = query.with_only_columns(Recommendation.id)
    return _new(drafts, _existing("recommendation_due", OutboxMessage.recommendation_id, ids))


def _recommendations_overdue(today: date, people: People) -> list[Draft]:
    """One nag per cluster at most every seven days, listing what is overdue at send time."""
    query = _recommendations(Recommendation.due_date < today)
    applications = {(app_id, cluster_id) for _rec, app_id, cluster_id in db.session.execute(query)}
    ids = query.with_only_columns(Report.application_id)
    last_nag = dict(
        db.session.execute(
            select(OutboxMessage.application_id, func.max(OutboxMessage.created_at))
            .where(
                OutboxMessage.kind == "recommendation_overdue",
                OutboxMessage.application_id.in_(ids),
            )
            .group_by(OutboxMessage.application_id)
        ).all()
    )
    week_ago = today - timedelta(days=7)
    return [
        Draft(
            key=f"recommendation_overdue:{app_id}:{today.isoformat()}:{user.id}",
            kind="recommendation_overdue",
            recipient_id=user.id,
            link=f"/clusters/{cluster_id}",
            application_id=app_id,
        )
        for app_id, cluster_id in sorted(applications)
        if app_id not in last_nag or last_nag[app_id].date() <= week_ago
        for user in people.managers[cluster_id]
        if user.wants_recommendation_reminders
    ]


def _stalled_reviews(today: date, policy: Policy, people: People) -> list[Draft]:
    deadline = datetime.combine(today - timedelta(days=policy.review_due_days), datetime.min.time())
    query = (
        select(
            Application.id, Application.consultant_id, Application.assigned_at, Cluster.agency_id
        )
        .join(Cluster, Cluster.id == Application.cluster_id)
        .outerjoin(Report, Report.application_id == Application.id)
        .where(
            Application.state == State.CONSULTANT_REVIEW,
            Application.assigned_at < deadline,
            Report.delivered_at.is_(None),
        )
    )
    drafts = []
    for app_id, consultant_id, assigned_at, agency_id in db.session.execute(query):
        if assigned_at is None or consultant_id is None:
            continue  # excluded by the query; narrows the types
        recipients = [consultant_id, *(u.id for u in people.coordinators[agency_id])]
        for user_id in recipients:
            drafts.append(
                Draft(
                    key=f"review_stalled:{app_id}:{assigned_at.isoformat()}:{user_id}",
                    kind="review_stalled",
                    recipient_id=user_id,
                    link=f"/applications/{app_id}",
                    context={"assigned_at": assigned_at.isoformat()},
                    application_id=app_id,
                )
            )
    ids = query.with_only_columns(Application.id)
    return _new(drafts, _existing("review_stalled", OutboxMessage.application_id, ids))


def _digests(today: date, people: People) -> list[Draft]:
    """One digest per coordinator and ISO week; its content is gathered at send time."""
    year, week, _day = today.isocalendar()
    drafts = [
        Draft(
            key=f"coordinator_digest:{user.id}:{year}-W{week:02d}",
            kind="coordinator_digest",
            recipient_id=user.id,
            link="/dashboard",
        )
        for users in people.coordinators.values()
        for user in users
        if user.wants_digest
    ]
    suffix = f":{year}-W{week:02d}"
    existing = {
        key
        for key in db.session.scalars(
            select(OutboxMessage.key).where(
                OutboxMessage.kind == "coordinator_digest", OutboxMessage.key.endswith(suffix)
            )
        )
    }
    return _new(drafts, existing)
