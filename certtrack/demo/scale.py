"""A large, consistent scheme for benchmarks and demos: `flask seed-scale`.

Rows go in with bulk inserts, a batch of clusters at a time, in one transaction. Every
cluster has a chain of labelled applications (each renewing or upgrading the one
before, its label superseding the previous one), then ends in one state of the
workflow, cycling through all of them. Dates are laid out backwards from today so that
states and label statuses agree with the day, as the daily pass would have left them.
The outbox is not touched: no message is decided here.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import func, insert, select, text

from certtrack.demo.answers import typical_answer
from certtrack.demo.data import PASSWORD
from certtrack.extensions import db
from certtrack.models import (
    Agency,
    Application,
    AuditEntry,
    Cluster,
    IndicatorDefinition,
    IndicatorKind,
    IndicatorValue,
    Label,
    LabelStatus,
    Level,
    Recommendation,
    RecommendationStatus,
    Report,
    Role,
    State,
    User,
)
from certtrack.services import peer_snapshot
from certtrack.services.planner_statistics import analyse
from certtrack.services.users import hash_password
from certtrack.workflow.dates import add_months, grace_end, month_start, valid_until
from certtrack.workflow.policy import Policy, load_policy
from certtrack.workflow.requirements import KINDS_BY_LEVEL

COUNTRIES = ("IT", "AT", "SI", "HR", "DE", "FR", "ES", "PL", "CZ", "HU")
# What the last application of a cluster is doing today; cluster i ends in FINALS[i % 10].
# RENEWED and UPGRADED are the states of every application followed by another one.
FINALS = (
    State.LABEL_ISSUED,
    State.FOLLOW_UP,
    State.RENEWAL_DUE,
    State.LAPSED,
    State.EXPIRED,
    State.DRAFT,
    State.SUBMITTED,
    State.CONSULTANT_REVIEW,
    State.REJECTED,
    State.WITHDRAWN,
)
# Months from the last label's interview to today, for each final labelled state
# (validity 24 months, renewal window 180 days, grace 12 months).
MONTHS_AGO = {
    State.LABEL_ISSUED: 0,
    State.FOLLOW_UP: 6,
    State.RENEWAL_DUE: 20,
    State.LAPSED: 30,
    State.EXPIRED: 48,
}
GAP_MONTHS = 23  # interview to the interview that renews or upgrades it
FOLLOWER_MONTHS = 22  # last interview to today when a new application follows it
BATCH = 250  # clusters per round of inserts
TABLES = (Agency, User, Cluster, Application, Report, Recommendation, Label, IndicatorValue)


class NotEmpty(Exception):
    """The database already holds a scheme: seeding alongside it is refused."""


@dataclass
class Made:
    """What seed_scale wrote: rows per table, applications per state, the password."""

    rows: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    password: str = PASSWORD
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary the command prints."""
        out = [f"{name}: {count}" for name, count in sorted(self.rows.items())]
        out += [f"application[{state}]: {self.states[state]}" for state in State]
        out.append(f"Every user signs in with the password: {self.password}")
        out.append("  e.g. admin@scale.example, coordinator1@scale.example, manager1@scale.example")
        out.append(f"Seeded in {self.seconds:.1f} s.")
        return out


def seed_scale(
    clusters: int, labels_per_cluster: int, agencies: int, today: date | None = None
) -> Made:
    """Seed an empty database with `clusters` clusters over `agencies` agencies, each
    with `labels_per_cluster` labels; raise NotEmpty if any agency, cluster, user or
    application exists. One transaction: on failure nothing is left behind."""
    from certtrack.clock import local_today

    started = time.perf_counter()
    if _holds_data():
        raise NotEmpty("the database already holds agencies, clusters, users or applications")
    seeder = _Seeder(today or local_today(), labels_per_cluster, agencies, max(3, clusters // 100))
    try:
        seeder.people(clusters)
        for first in range(0, clusters, BATCH):
            seeder.clusters(range(first, min(first + BATCH, clusters)))
        _advance_sequences()
        peer_snapshot.rebuild()  # in bulk, as the migration does
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    analyse()  # the pages' plans then fit the seeded tables
    seeder.made.seconds = time.perf_counter() - started
    return seeder.made


def _holds_data() -> bool:
    return any(db.session.scalar(select(func.count()).select_from(model)) for model in TABLES[:4])


def _advance_sequences() -> None:
    """Ids were given explicitly; PostgreSQL's sequences must move past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in TABLES:
        table = model.__table__
        highest = db.session.scalar(select(func.max(table.c.id))) or 0
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :next, false)"),
            {"table": model.__tablename__, "next": highest + 1},
        )


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, clock_time(hour))


class _Seeder:
    def __init__(self, today: date, labels: int, agencies: int, consultants: int) -> None:
        self.today = today
        self.labels = labels
        self.agencies = agencies
        self.consultants = consultants
        self.policy: Policy = load_policy()
        self.made = Made()
        self.definitions = {
            level: list(
                db.session.execute(
                    select(
                        IndicatorDefinition.id,
                        IndicatorDefinition.code,
                        IndicatorDefinition.kind,
                        IndicatorDefinition.max_score,
                    )
                    .where(IndicatorDefinition.kind.in_(kinds))
                    .order_by(IndicatorDefinition.id)
                )
            )
            for level, kinds in KINDS_BY_LEVEL.items()
        }
        self.next_id: Counter[str] = Counter()
        self.password_hash = hash_password(PASSWORD)  # once: hashing is slow by design

    # --- ids and inserts -------------------------------------------------------------

    def _id(self, table: str) -> int:
        self.next_id[table] += 1
        return self.next_id[table]

    def _insert(self, model: type, rows: list[dict[str, Any]]) -> None:
        if rows:
            db.session.execute(insert(model), rows)
            self.made.rows[model.__tablename__] += len(rows)  # type: ignore[attr-defined]

    def _user(self, role: Role, email: str, name: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": self._id("user"),
            "email": email,
            "name": name,
            "password_hash": self.password_hash,
            "role": role,
            "languages": extra.pop("languages", []),
            "locale": "en",
            **extra,
        }

    def coordinator_id(self, agency: int) -> int:
        return 1 + agency  # the admin is user 1, agency n's coordinator n + 1

    def consultant_id(self, n: int) -> int:
        return 1 + self.agencies + 1 + n % self.consultants

    # --- people ----------------------------------------------------------------------

    def people(self, clusters: int) -> None:
        agencies = [
            {
                "id": n,
                "name": f"Agency {n:03d}",
                "short_name": f"AG{n:03d}",
                "country": COUNTRIES[(n - 1) % len(COUNTRIES)],
                "region": f"Region {n}",
            }
            for n in range(1, self.agencies + 1)
        ]
        self._insert(Agency, agencies)
        users = [self._user(Role.ADMIN, "admin@scale.example", "Admin")]
        users += [
            self._user(
                Role.COORDINATOR, f"coordinator{n}@scale.example", f"Coordinator {n}", agency_id=n
            )
            for n in range(1, self.agencies + 1)
        ]
        users += [
            self._user(
                Role.CONSULTANT,
                f"consultant{n + 1}@scale.example",
                f"Consultant {n + 1}",
                country=COUNTRIES[n % len(COUNTRIES)],
                languages=["en"],
                affiliation="Scale Consulting",
            )
            for n in range(self.consultants)
        ]
        self._insert(User, users)

    # --- clusters --------------------------------------------------------------------

    def clusters(self, indexes: range) -> None:
        rows: dict[type, list[dict[str, Any]]] = {m: [] for m in (*TABLES[1:], AuditEntry)}
        for i in indexes:
            self._cluster(i, rows)
        rows[Label].sort(key=lambda r: -r["id"])  # a label's successor goes in first
        _enter_states(rows)
        for model in (Cluster, User, *TABLES[3:], AuditEntry):  # referenced rows first
            self._insert(model, rows[model])

    def _cluster(self, i: int, rows: dict[type, list[dict[str, Any]]]) -> None:
        n = i + 1
        agency = i % self.agencies + 1
        country = COUNTRIES[(agency - 1) % len(COUNTRIES)]
        final = FINALS[i % len(FINALS)]
        follows = final not in MONTHS_AGO
        last_interview = add_months(
            self.today, -(FOLLOWER_MONTHS if follows else MONTHS_AGO[final])
        ) - timedelta(days=20)
        top = [Level.BRONZE, Level.SILVER, Level.GOLD][: 1 + i % 3]
        levels = [top[min(k, len(top) - 1)] for k in range(self.labels)]
        interviews = [
            add_months(last_interview, -GAP_MONTHS * (self.labels - 1 - k))
            for k in range(self.labels)
        ]
        rows[Cluster].append(
            {
                "id": n,
                "agency_id": agency,
                "name": f"Cluster {n:05d}",
                "country": country,
                "region": f"Region {agency}",
                "sector": "Manufacturing",
                "website": f"https://cluster{n}.example",
                "website_in_english": True,
                "eccp_listed": True,
                "staff_fte": 3,
                "committed_members": 40,
                "member_types": ["sme", "research"],
                "created_at": _at(add_months(interviews[0], -3)),
            }
        )
        manager = self._user(
            Role.MANAGER, f"manager{n}@scale.example", f"Manager {n}", cluster_id=n
        )
        rows[User].append(manager)
        ctx = _Cluster(n, country, manager["id"], self.coordinator_id(agency))

        previous: int | None = None
        label_ids = [self.next_id["label"] + k + 1 for k in range(self.labels)]
        for k, (level, interview) in enumerate(zip(levels, interviews, strict=True)):
            last = k == self.labels - 1
            if not last:
                then = State.RENEWED if levels[k + 1] == level else State.UPGRADED
            elif follows:
                then = State.UPGRADED if n % 2 and level.next else State.RENEWED
            else:
                then = final
            superseded_by = None if last else label_ids[k + 1]
            previous = self._labelled(ctx, rows, k, level, interview, then, previous, superseded_by)
        if follows:
            level = levels[-1]
            if n % 2 and level.next:
                level = level.next
            self._follower(ctx, rows, level, final, previous)

    def _application(
        self,
        ctx: "_Cluster",
        rows: dict[type, list[dict[str, Any]]],
        level: Level,
        state: State,
        created: date,
        previous: int | None,
        consultant: int | None,
        assigned: date | None,
        interview: date | None,
    ) -> int:
        app_id = self._id("application")
        rows[Application].append(
            {
                "id": app_id,
                "cluster_id": ctx.id,
                "level": level,
                "state": state,
                "version": 1,
                "consultant_id": consultant,
                "assigned_at": _at(assigned) if assigned else None,
                "previous_id": previous,
                "interview_date": interview,
                "created_at": _at(created),
            }
        )
        self.made.states[state] += 1
        data = {"previous_id": previous} if previous else {}
        ctx.audit(rows, app_id, "create", None, State.DRAFT, ctx.manager, created, data)
        return app_id

    def _labelled(
        self,
        ctx: "_Cluster",
        rows: dict[type, list[dict[str, Any]]],
        k: int,
        level: Level,
        interview: date,
        state: State,
        previous: int | None,
        superseded_by: int | None,
    ) -> int:
        created = interview - timedelta(days=60)
        assigned = created + timedelta(days=21)
        consultant = self.consultant_id(ctx.id + k)
        app_id = self._application(
            ctx, rows, level, state, created, previous, consultant, assigned, interview
        )
        renewal = previous is not None and rows[Application][-2]["level"] == level
        until = valid_until(interview, self.policy.validity_months(level, renewal))
        grace = grace_end(until, self.policy.grace_months)
        issued = interview + timedelta(days=7)
        a = ctx.audit
        a(
            rows,
            app_id,
            "submit",
            State.DRAFT,
            State.SUBMITTED,
            ctx.manager,
            created + timedelta(days=14),
        )
        a(
            rows,
            app_id,
            "assign_consultant",
            State.SUBMITTED,
            State.CONSULTANT_REVIEW,
            ctx.coordinator,
            assigned,
            {"consultant_id": consultant},
        )
        delivered = interview + timedelta(days=3)
        a(
            rows,
            app_id,
            "deliver_report",
            State.CONSULTANT_REVIEW,
            State.CONSULTANT_REVIEW,
            consultant,
            delivered,
        )
        a(
            rows,
            app_id,
            "issue_label",
            State.CONSULTANT_REVIEW,
            State.LABEL_ISSUED,
            ctx.coordinator,
            issued,
        )
        if state != State.LABEL_ISSUED:
            a(
                rows,
                app_id,
                "start_follow_up",
                State.LABEL_ISSUED,
                State.FOLLOW_UP,
                ctx.manager,
                issued + timedelta(days=14),
            )
        opens = until - timedelta(days=self.policy.renewal_window_days)
        # The next application opens a month before its interview; a follower a month ago.
        nxt = add_months(interview, GAP_MONTHS) - timedelta(days=60)
        if superseded_by is None:
            nxt = self.today - timedelta(days=30)
        if state in (State.RENEWAL_DUE, State.LAPSED, State.EXPIRED, State.RENEWED) or (
            state == State.UPGRADED and opens <= nxt
        ):
            a(rows, app_id, "open_renewal", State.FOLLOW_UP, State.RENEWAL_DUE, None, opens)
        if state in (State.LAPSED, State.EXPIRED):
            a(
                rows,
                app_id,
                "lapse",
                State.RENEWAL_DUE,
                State.LAPSED,
                None,
                until + timedelta(days=1),
            )
        if state == State.EXPIRED:
            a(rows, app_id, "expire", State.LAPSED, State.EXPIRED, None, grace + timedelta(days=1))

        if superseded_by is not None:
            status = LabelStatus.SUPERSEDED
        elif until >= self.today:
            status = LabelStatus.VALID
        elif grace >= self.today:
            status = LabelStatus.LAPSED
        else:
            status = LabelStatus.EXPIRED
        label_id = self._id("label")
        rows[Label].append(
            {
                "id": label_id,
                "cluster_id": ctx.id,
                "application_id": app_id,
                "level": level,
                "number": f"{level.code}-{ctx.country}-{interview.year}-{label_id:05d}",
                "interview_month": month_start(interview),
                "issued_on": issued,
                "valid_until": until,
                "status": status,
                "superseded_by_id": superseded_by,
            }
        )
        report_id = self._id("report")
        rows[Report].append(
            {
                "id": report_id,
                "application_id": app_id,
                "summary": f"Assessment of cluster {ctx.id}, {level.value} level.",
                "delivered_at": _at(delivered),
                "delivered_by_id": consultant,
            }
        )
        for position in range(3):
            due = interview + timedelta(days=180 * (position + 1))
            done = superseded_by is not None or due < self.today
            rows[Recommendation].append(
                {
                    "id": self._id("recommendation"),
                    "report_id": report_id,
                    "position": position,
                    "title": f"Recommendation {position + 1}",
                    "priority": "high" if position == 0 else "medium",
                    "due_date": due,
                    "status": RecommendationStatus.DONE
                    if done
                    else (
                        RecommendationStatus.IN_PROGRESS
                        if position == 0
                        else RecommendationStatus.OPEN
                    ),
                    "completed_on": due if done else None,
                }
            )
        for indicator_id, code, kind, max_score in self.definitions[level]:
            rows[IndicatorValue].append(
                {
                    "id": self._id("indicator_value"),
                    "application_id": app_id,
                    "indicator_id": indicator_id,
                    "number": typical_answer(code, app_id)
                    if kind == IndicatorKind.BENCHMARK
                    else None,
                    "comment": None,
                    "met": True if kind == IndicatorKind.BASELINE else None,
                    "score": max_score if kind == IndicatorKind.QUALITY else None,
                }
            )
        if state in (State.RENEWED, State.UPGRADED):
            a(
                rows,
                app_id,
                "renew" if state == State.RENEWED else "upgrade",
                State.RENEWAL_DUE if opens <= nxt else State.FOLLOW_UP,
                state,
                ctx.manager,
                nxt,
            )
        return app_id

    def _follower(
        self,
        ctx: "_Cluster",
        rows: dict[type, list[dict[str, Any]]],
        level: Level,
        state: State,
        previous: int | None,
    ) -> None:
        created = self.today - timedelta(days=30)
        reviewed = state in (State.CONSULTANT_REVIEW, State.REJECTED)
        consultant = self.consultant_id(ctx.id + self.labels) if reviewed else None
        assigned = created + timedelta(days=14) if reviewed else None
        app_id = self._application(
            ctx, rows, level, state, created, previous, consultant, assigned, None
        )
        a = ctx.audit
        if state == State.WITHDRAWN:
            a(
                rows,
                app_id,
                "withdraw",
                State.DRAFT,
                State.WITHDRAWN,
                ctx.manager,
                created + timedelta(days=10),
            )
            return
        if state == State.DRAFT:
            return
        a(
            rows,
            app_id,
            "submit",
            State.DRAFT,
            State.SUBMITTED,
            ctx.manager,
            created + timedelta(days=7),
        )
        if reviewed:
            assert assigned is not None
            a(
                rows,
                app_id,
                "assign_consultant",
                State.SUBMITTED,
                State.CONSULTANT_REVIEW,
                ctx.coordinator,
                assigned,
                {"consultant_id": consultant},
            )
        if state == State.REJECTED:
            a(
                rows,
                app_id,
                "reject",
                State.CONSULTANT_REVIEW,
                State.REJECTED,
                consultant,
                assigned + timedelta(days=10) if assigned else created,
            )


@dataclass
class _Cluster:
    id: int
    country: str
    manager: int
    coordinator: int

    def audit(
        self,
        rows: dict[type, list[dict[str, Any]]],
        application_id: int,
        event: str,
        from_state: State | None,
        to_state: State,
        actor: int | None,
        day: date,
        data: dict[str, Any] | None = None,
    ) -> None:
        rows[AuditEntry].append(
            {
                "application_id": application_id,
                "event": event,
                "from_state": from_state,
                "to_state": to_state,
                "actor_id": actor,
                "at": _at(day),
                "data": data or {},
            }
        )


def _enter_states(rows: dict[type, list[dict[str, Any]]]) -> None:
    """Each application entered its state with its latest history row into it."""
    entered: dict[tuple[int, State], datetime] = {}
    for row in rows[AuditEntry]:
        if row["from_state"] != row["to_state"]:
            key = (row["application_id"], row["to_state"])
            entered[key] = max(entered.get(key, row["at"]), row["at"])
    for row in rows[Application]:
        row["state_entered_at"] = entered.get((row["id"], row["state"]), row["created_at"])
