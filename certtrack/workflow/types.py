"""The building blocks of the workflow definition."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from certtrack.models import Application, State, User
from certtrack.workflow.policy import Policy

# The pseudo-role of time-based events fired by the daily pass.
SYSTEM = "system"


@dataclass(frozen=True)
class Refusal:
    message: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Context:
    """Everything a guard or effect may look at. Time is given, never read."""

    application: Application
    actor: User | None
    today: date
    now: datetime
    policy: Policy
    params: dict[str, Any]


Guard = Callable[[Context], Refusal | None]
Effect = Callable[[Context], None]


@dataclass(frozen=True)
class Param:
    name: str
    kind: type  # str, int or date
    required: bool = True
    description: str = ""
    # Extra validation of the parsed value; returns the problem or None.
    check: Callable[[Any], str | None] | None = None


class Thing(StrEnum):
    """What people edit on an application (or its cluster), state by state."""

    PROFILE = "profile"  # the cluster's profile
    BENCHMARKING = "benchmarking"  # the consultant's review and report
    IMPROVEMENT_AREAS = "improvement_areas"  # Silver's, named by the cluster
    RECOMMENDATIONS = "recommendations"  # the manager's progress updates
    DOCUMENTS = "documents"
    VISIT = "visit"  # the dates of Gold's on-site assessment visit
    THREAD = "thread"  # the application's conversation
    INTERNAL_NOTES = "internal_notes"  # its notes the cluster never sees


# Who hears of a step (services.notices resolves them to people).
AUDIENCE_NAMES = frozenset({"coordinators", "managers", "consultant"})
# The pages of an application a notice may link to besides the application's own.
NOTICE_PAGES = frozenset({"report"})


@dataclass(frozen=True)
class Transition:
    event: str
    sources: frozenset[State]
    # None: the event records something and the state stays.
    target: State | None
    roles: frozenset[str]
    description: str
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    params: tuple[Param, ...] = ()
    # What people read: the step's name (a lazy translation), and for the steps that
    # hand work to someone, who hears of it and the subject of their notice (with
    # %(cluster)s, %(level)s, %(consultant)s).
    display_name: Any = ""
    audience: tuple[str, ...] = ()
    notice_subject: Any = None
    # Where the notice's link leads: the application's page, or its report's ("report").
    notice_page: str | None = None
    # Its button: a Bootstrap colour, or the page that takes the step's input.
    style: str = "primary"
    page: str | None = None
    # A destructive or final step: the consequence the person confirms before the page
    # takes it (a lazy translation); None for the others. The API confirms by calling.
    confirm: Any = None

    def target_from(self, state: State) -> State:
        return self.target or state

    @property
    def is_system(self) -> bool:
        return self.roles == {SYSTEM}

    @property
    def takes_reason(self) -> bool:
        """A reason is shown to the cluster (and sent with the notice)."""
        return any(p.name == "reason" for p in self.params)
