"""The building blocks of the workflow definition."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
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

    def target_from(self, state: State) -> State:
        return self.target or state

    @property
    def is_system(self) -> bool:
        return self.roles == {SYSTEM}
