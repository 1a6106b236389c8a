"""Plain functions from models to JSON-ready dicts; the OpenAPI schemas describe them."""

from datetime import date, datetime
from typing import Any

from certtrack.models import (
    Agency,
    Application,
    AuditEntry,
    Cluster,
    IndicatorDefinition,
    Label,
    Recommendation,
    User,
)
from certtrack.workflow.engine import allowed_transitions
from certtrack.workflow.types import Transition

TYPE_NAMES = {str: "string", int: "integer", date: "date"}


def stamp(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def person(user: User | None) -> dict[str, Any] | None:
    return {"id": user.id, "name": user.name} if user else None


def agency(item: Agency) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "short_name": item.short_name,
        "country": item.country,
        "region": item.region,
        "website": item.website,
    }


def cluster(item: Cluster) -> dict[str, Any]:
    return {
        "id": item.id,
        "agency_id": item.agency_id,
        "name": item.name,
        "country": item.country,
        "region": item.region,
        "sector": item.sector,
        "website": item.website,
        "website_in_english": item.website_in_english,
        "eccp_listed": item.eccp_listed,
        "staff_fte": float(item.staff_fte) if item.staff_fte is not None else None,
        "committed_members": item.committed_members,
        "member_types": list(item.member_types),
    }


def user(item: User) -> dict[str, Any]:
    return {
        "id": item.id,
        "email": item.email,
        "name": item.name,
        "role": item.role.value,
        "agency_id": item.agency_id,
        "cluster_id": item.cluster_id,
        "locale": item.locale,
        "active": item.active,
    }


def consultant(item: User, workload: int) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "country": item.country,
        "languages": list(item.languages),
        "affiliation": item.affiliation,
        "open_reviews": workload,
    }


def label(item: Label) -> dict[str, Any]:
    return {
        "number": item.number,
        "cluster_id": item.cluster_id,
        "cluster_name": item.cluster.name,
        "level": item.level.value,
        "interview_month": item.interview_month.strftime("%Y-%m"),
        "issued_on": day(item.issued_on),
        "valid_until": day(item.valid_until),
        "status": item.status.value,
    }


def public_label(item: Label) -> dict[str, Any]:
    """What anyone may know of a label: nothing private."""
    return {
        "number": item.number,
        "cluster_name": item.cluster.name,
        "country": item.cluster.country,
        "level": item.level.value,
        "valid_until": day(item.valid_until),
        "status": item.status.value,
    }


def event(transition: Transition) -> dict[str, Any]:
    return {
        "event": transition.event,
        "description": str(transition.description),
        "params": [
            {"name": p.name, "type": TYPE_NAMES[p.kind], "required": p.required}
            for p in transition.params
        ],
    }


def step(entry: AuditEntry) -> dict[str, Any]:
    return {
        "event": entry.event,
        "from": entry.from_state.value if entry.from_state else None,
        "to": entry.to_state.value,
        "by": person(entry.actor),
        "at": stamp(entry.at),
        "comment": entry.comment,
    }


def recommendation(item: Recommendation) -> dict[str, Any]:
    return {
        "id": item.id,
        "application_id": item.report.application_id,
        "title": item.title,
        "detail": item.detail,
        "priority": item.priority.value,
        "owner": item.owner,
        "due_date": day(item.due_date),
        "status": item.status.value,
        "evidence": item.evidence,
        "completed_on": day(item.completed_on),
        "notes": [{"at": stamp(n.created_at), "text": n.text} for n in item.notes],
    }


def application(item: Application, viewer: User, *, detail: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": item.id,
        "cluster_id": item.cluster_id,
        "cluster_name": item.cluster.name,
        "level": item.level.value,
        "state": item.state.value,
        "version": item.version,
        "consultant": person(item.consultant),
        "interview_date": day(item.interview_date),
        "previous_id": item.previous_id,
        "label_number": item.label.number if item.label else None,
        "allowed_events": [event(t) for t in allowed_transitions(item, viewer)],
    }
    if detail:
        report = item.report
        body["history"] = [step(entry) for entry in item.history]
        body["improvement_areas"] = [
            {"title": a.title, "effect": a.effect} for a in item.improvement_areas
        ]
        body["report"] = (
            {
                "summary": report.summary,
                "delivered_at": stamp(report.delivered_at),
                "recommendations": [recommendation(r) for r in report.recommendations],
            }
            if report
            else None
        )
    return body


def indicator(item: IndicatorDefinition) -> dict[str, Any]:
    return {
        "code": item.code,
        "kind": item.kind.value,
        "area": item.area,
        "name": item.name,
        "threshold": float(item.threshold) if item.threshold is not None else None,
        "max_score": float(item.max_score) if item.max_score is not None else None,
    }
