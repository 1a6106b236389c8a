"""Gold's evidence checklist: which quality indicators have a current document as
evidence, on the application page, and in SQL for the evidence reminders."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, select
from sqlalchemy.orm import InstrumentedAttribute, aliased

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Document,
    IndicatorDefinition,
    IndicatorKind,
    Level,
    Report,
)
from certtrack.services.documents import current_documents
from certtrack.workflow.definition import PERMISSIONS
from certtrack.workflow.types import Thing

# The evidence is gathered while the visit can still be planned: from submission to
# the delivered report.
EVIDENCE_STATES = tuple(state for state, rules in PERMISSIONS.items() if rules[Thing.VISIT])


@dataclass(frozen=True)
class Item:
    """One quality indicator and the current documents given as its evidence."""

    indicator: IndicatorDefinition
    documents: list[Document]

    @property
    def has_evidence(self) -> bool:
        return bool(self.documents)


@dataclass(frozen=True)
class Checklist:
    items: list[Item]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def with_evidence(self) -> int:
        return sum(item.has_evidence for item in self.items)

    @property
    def missing(self) -> list[IndicatorDefinition]:
        return [item.indicator for item in self.items if not item.has_evidence]

    @property
    def complete(self) -> bool:
        return self.with_evidence == self.total


def _quality() -> Select[IndicatorDefinition]:
    return select(IndicatorDefinition).where(IndicatorDefinition.kind == IndicatorKind.QUALITY)


def _current(application_id: InstrumentedAttribute[int]) -> list[ColumnElement[bool]]:
    """SQL for services.documents.current_documents: the application's documents, not
    deleted, not replaced by a version that is not deleted."""
    newer = aliased(Document)
    return [
        Document.application_id == application_id,
        Document.deleted_at.is_(None),
        ~exists().where(newer.replaces_id == Document.id, newer.deleted_at.is_(None)),
    ]


def checklist(application: Application) -> Checklist | None:
    """The quality indicators with their evidence, in order (three queries); None for an
    application that is not Gold."""
    if application.level != Level.GOLD:
        return None
    definitions = db.session.scalars(_quality().order_by(IndicatorDefinition.position))
    by_indicator: dict[int, list[Document]] = {}
    for document in reversed(current_documents(application)):  # oldest first
        if document.indicator_id is not None:
            by_indicator.setdefault(document.indicator_id, []).append(document)
    return Checklist([Item(d, by_indicator.get(d.id, [])) for d in definitions])


def incomplete() -> ColumnElement[bool]:
    """SQL: some quality indicator of the application has no current document."""
    evidenced = (
        exists()
        .where(*_current(Application.id), Document.indicator_id == IndicatorDefinition.id)
        .correlate(Application, IndicatorDefinition)
    )
    return _quality().where(~evidenced).exists()


def in_evidence_stage() -> Select[Application]:
    """Gold applications gathering evidence: in the evidence states, with a visit and
    no delivered report."""
    return (
        select(Application)
        .outerjoin(Report, Report.application_id == Application.id)
        .where(
            Application.level == Level.GOLD,
            Application.state.in_(EVIDENCE_STATES),
            Application.visit_starts_on.is_not(None),
            Report.delivered_at.is_(None),
        )
    )
