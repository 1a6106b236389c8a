"""What the application page's Documents section shows and offers."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from certtrack.extensions import db
from certtrack.models import (
    Application,
    Document,
    DocumentPurpose,
    IndicatorDefinition,
    IndicatorKind,
    Level,
    User,
)
from certtrack.services.documents import Link, current_documents
from certtrack.workflow import permissions
from certtrack.workflow.errors import InvalidParams

INDICATOR, AREA = "indicator:", "area:"


@dataclass
class DocumentSection:
    documents: list[Document]  # current versions not tied to a recommendation
    progress: dict[int, list[Document]]  # by recommendation id
    # The upload form's "for" choices (value, label); empty: the user may not upload.
    links: list[tuple[str, str]] = field(default_factory=list)


def document_section(application: Application, user: User) -> DocumentSection:
    """The current documents, split by what they are for, and the upload choices."""
    section = DocumentSection(documents=[], progress={})
    for document in current_documents(application):
        if document.recommendation_id is not None:
            section.progress.setdefault(document.recommendation_id, []).append(document)
        else:
            section.documents.append(document)
    if permissions.upload_refusal(user, application, DocumentPurpose.EVIDENCE) is None:
        section.links = link_choices(application, user)
    return section


def link_choices(application: Application, user: User) -> list[tuple[str, str]]:
    """The application itself, Gold's quality indicators, Silver's improvement areas,
    and (for the consultant) the report's files."""
    choices = [("", _("The application"))]
    if application.level == Level.GOLD:
        indicators = db.session.scalars(
            select(IndicatorDefinition)
            .where(IndicatorDefinition.kind == IndicatorKind.QUALITY)
            .order_by(IndicatorDefinition.position)
        )
        choices += [(f"{INDICATOR}{i.id}", f"{i.code} {i.name}") for i in indicators]
    choices += [(f"{AREA}{a.id}", a.title) for a in application.improvement_areas]
    if permissions.upload_refusal(user, application, DocumentPurpose.SIGNED_REPORT) is None:
        choices += [
            (DocumentPurpose.SIGNED_REPORT.value, _("The signed report")),
            (DocumentPurpose.REPORT_ANNEX.value, _("An annex of the report")),
        ]
    return choices


def parse_link(raw: str, recommendation_id: int | None) -> Link:
    """The upload form's "for" value (or a recommendation's evidence of progress)."""
    if recommendation_id is not None:
        return Link(DocumentPurpose.PROGRESS, recommendation_id=recommendation_id)
    if raw == "":
        return Link()
    if raw in (DocumentPurpose.SIGNED_REPORT.value, DocumentPurpose.REPORT_ANNEX.value):
        return Link(DocumentPurpose(raw))
    for prefix, name in ((INDICATOR, "indicator_id"), (AREA, "improvement_area_id")):
        number = raw.removeprefix(prefix)
        if raw.startswith(prefix) and number.isascii() and number.isdigit() and len(number) < 10:
            return Link(**{name: int(number)})  # type: ignore[arg-type]
    raise InvalidParams(
        _("Choose what the document is for from the list."), {"link": _("Unknown choice.")}
    )
