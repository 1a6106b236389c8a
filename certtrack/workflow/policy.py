"""The scheme's configurable rules. Defaults come from DOMAIN.md; config keys
`CERTTRACK_<NAME>` and admin-edited `Setting` rows override them, in that order."""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import current_app
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import Level, Setting


@dataclass(frozen=True)
class Policy:
    # Eligibility (the exact profile rule is unconfirmed, hence settings).
    min_staff_fte: Decimal = Decimal("0.5")
    min_committed_members: int = 15
    min_member_types: int = 2
    require_english_website: bool = True
    require_eccp_listing: bool = True
    # Silver: months after the Bronze interview during which re-benchmarking may start.
    silver_window_min_months: int = 18
    silver_window_max_months: int = 24
    silver_improvement_areas: int = 3
    # Gold: the lowest label a cluster must hold; "none" lets anyone apply.
    gold_prerequisite: Level | None = Level.BRONZE
    gold_pass_percent: int = 80
    # Impartiality: also refuse the consultant of the cluster's previous process.
    forbid_same_consultant_twice: bool = True
    # Validity, in months from the interview/assessment month.
    bronze_validity_months: int = 24
    silver_validity_months: int = 24
    gold_validity_months: int = 24
    renewal_validity_months: int = 24
    # After expiry a label may still be renewed for this long.
    grace_months: int = 12
    renewal_window_days: int = 180
    # The consultant's report is due this long after the assignment (~5 weeks); a review
    # still without report then is reported as stalled.
    review_due_days: int = 35
    # Reminders: days before a label ends, days before its grace period ends, days
    # before a recommendation is due.
    reminder_days: tuple[int, ...] = (180, 90, 30, 7)
    grace_reminder_days: tuple[int, ...] = (90, 30)
    recommendation_due_days: int = 14
    # The report's peer groups: a group (or an indicator) with fewer peers shows no
    # figures, so that no other cluster's value can be read off.
    peer_group_minimum: int = 5
    # Gold: the cluster sends its evidence this long before the on-site visit (two to
    # three weeks), and hears of what is missing this many days before that due date.
    # The visit lasts two days; at most `gold_visit_max_days`.
    gold_evidence_days_before_visit: int = 14
    gold_evidence_reminder_days: tuple[int, ...] = (14, 3, 0)
    gold_visit_max_days: int = 3

    def validity_months(self, level: Level, renewal: bool) -> int:
        if renewal:
            return self.renewal_validity_months
        return int(getattr(self, f"{level.value}_validity_months"))

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> "Policy":
        """Build a policy from raw values (strings from the environment, JSON from the
        database). Unknown keys are ignored; a value of the wrong shape raises ValueError
        naming the setting."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        parsed = {}
        for name, raw in values.items():
            if name in known:
                parsed[name] = _coerce(name, type(getattr(cls(), name)), raw)
        return cls(**parsed)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _coerce(name: str, kind: type, raw: Any) -> Any:
    try:
        if name == "gold_prerequisite":
            return None if raw in (None, "", "none") else Level(raw)
        if kind is bool:
            if isinstance(raw, bool):
                return raw
            if str(raw).lower() in {"1", "true", "yes", "on"}:
                return True
            if str(raw).lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind is int:
            if isinstance(raw, bool) or int(raw) < 0:
                raise ValueError(raw)
            return int(raw)
        if kind is Decimal:
            value = Decimal(str(raw))
            if not value.is_finite() or value < 0:
                raise ValueError(raw)
            return value
        if kind is tuple:
            parts = raw if isinstance(raw, list | tuple) else str(raw).split(",")
            days = tuple(sorted({int(str(part).strip()) for part in parts}, reverse=True))
            if not days or days[-1] < 0:
                raise ValueError(raw)
            return days
    except (ValueError, InvalidOperation):
        raise ValueError(f"setting {name}: {raw!r} is not a valid value") from None
    raise TypeError(f"setting {name} has an unsupported type")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _configured() -> dict[str, Any]:
    """The settings the app's configuration gives (CERTTRACK_<NAME>)."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Policy):
        key = "CERTTRACK_" + field.name.upper()
        if key in current_app.config:
            values[field.name] = current_app.config[key]
    return values


def configured_policy() -> Policy:
    """The policy from defaults and configuration only, without admin overrides."""
    return Policy.from_mapping(_configured())


def load_policy() -> Policy:
    """The policy in force for the current app: defaults < config < database."""
    values = _configured()
    for setting in db.session.scalars(select(Setting)):
        values[setting.key] = setting.value
    return Policy.from_mapping(values)
