"""One schema per resource: it serialises the answers and documents them. Request
bodies are their own (strict) schemas: what a client sends is not what it reads."""

from datetime import date, datetime
from typing import Any

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import fields, validate

from certtrack import markdown
from certtrack.api.core import caller
from certtrack.models import (
    Direction,
    DocumentPurpose,
    IndicatorKind,
    LabelStatus,
    Level,
    Measure,
    MemberType,
    Priority,
    RecommendationStatus,
    Role,
    State,
)
from certtrack.schemas import (
    Body,
    Choice,
    Day,
    Flag,
    Items,
    Object,
    Representation,
    Text,
    WholeNumber,
    choice,
)
from certtrack.workflow.definition import TRANSITIONS
from certtrack.workflow.engine import allowed_transitions
from certtrack.workflow.permissions import reads_history_entry

TYPE_NAMES = {str: "string", int: "integer", date: "date"}


class Stamp(fields.String):
    """A moment (stored as naive UTC) in ISO 8601 with its Z."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kw: Any) -> str | None:
        return value.isoformat() + "Z" if isinstance(value, datetime) else None


class TokenSchema(Representation):
    token = fields.String()
    id = fields.Integer()
    expires_at = Stamp()


class UserSchema(Representation):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.Enum(Role, by_value=True)
    agency_id = fields.Integer(allow_none=True)
    cluster_id = fields.Integer(allow_none=True)
    locale = fields.String()
    active = fields.Boolean()


class PersonSchema(Representation):
    id = fields.Integer()
    name = fields.String()


class AgencySchema(Representation):
    id = fields.Integer()
    name = fields.String()
    short_name = fields.String()
    country = fields.String()
    region = fields.String()
    website = fields.String(allow_none=True)


class ClusterSchema(Representation):
    id = fields.Integer()
    agency_id = fields.Integer()
    name = fields.String()
    country = fields.String()
    region = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    website = fields.String(allow_none=True)
    website_in_english = fields.Boolean()
    eccp_listed = fields.Boolean()
    staff_fte = fields.Float(allow_none=True)
    committed_members = fields.Integer(allow_none=True)
    member_types = fields.List(fields.String())


class ConsultantSchema(Representation):
    """A consultant with the number of reviews under way: dumps {user, open_reviews}."""

    id = fields.Integer(attribute="user.id")
    name = fields.String(attribute="user.name")
    country = fields.String(attribute="user.country", allow_none=True)
    languages = fields.List(fields.String(), attribute="user.languages")
    affiliation = fields.String(attribute="user.affiliation", allow_none=True)
    open_reviews = fields.Integer(attribute="open_reviews")


class LabelSchema(Representation):
    number = fields.String()
    cluster_id = fields.Integer()
    cluster_name = fields.String(attribute="cluster.name")
    level = fields.Enum(Level, by_value=True)
    interview_month = fields.Function(
        lambda label: label.interview_month.strftime("%Y-%m"), metadata={"type": "string"}
    )
    issued_on = fields.Date()
    valid_until = fields.Date()
    status = fields.Enum(LabelStatus, by_value=True)


class PublicLabelSchema(Representation):
    """What anyone may know of a label: nothing private."""

    number = fields.String()
    cluster_name = fields.String(attribute="cluster.name")
    country = fields.String(attribute="cluster.country")
    level = fields.Enum(Level, by_value=True)
    valid_until = fields.Date()
    status = fields.Enum(LabelStatus, by_value=True)
    # Null unless the label is revoked.
    revoked_on = fields.Date(allow_none=True)
    revocation_reason = fields.String(allow_none=True)


class ScaleLevelSchema(Representation):
    step = fields.Integer()
    label = fields.String()
    label_it = fields.String(allow_none=True)


class IndicatorSchema(Representation):
    code = fields.String()
    kind = fields.Enum(IndicatorKind, by_value=True)
    area = fields.String()
    name = fields.String()
    name_it = fields.String(allow_none=True)
    threshold = fields.Float(allow_none=True)
    max_score = fields.Float(allow_none=True)
    # Benchmarking indicators only (null otherwise): what the answer measures.
    measure = fields.Enum(Measure, by_value=True, allow_none=True)
    unit = fields.String(allow_none=True)
    unit_it = fields.String(allow_none=True)
    direction = fields.Enum(Direction, by_value=True, allow_none=True)
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    guidance = fields.String(allow_none=True)
    guidance_it = fields.String(allow_none=True)
    levels = fields.List(fields.Nested(ScaleLevelSchema))


class IndicatorListSchema(Representation):
    level = fields.Enum(Level, by_value=True)
    items = fields.List(fields.Nested(IndicatorSchema))


class ConsultantListSchema(Representation):
    items = fields.List(fields.Nested(ConsultantSchema))


class NoteSchema(Representation):
    at = Stamp(attribute="created_at")
    text = fields.String()


class RecommendationSchema(Representation):
    id = fields.Integer()
    application_id = fields.Integer(attribute="report.application_id")
    title = fields.String()
    detail = fields.String(allow_none=True)
    priority = fields.Enum(Priority, by_value=True)
    owner = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.Enum(RecommendationStatus, by_value=True)
    evidence = fields.String(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    notes = fields.List(fields.Nested(NoteSchema))


class ParamSchema(Representation):
    name = fields.String()
    type = fields.Function(
        lambda param: TYPE_NAMES[param.kind], metadata={"enum": list(TYPE_NAMES.values())}
    )
    required = fields.Boolean()


class EventSchema(Representation):
    """A step the viewer may take now, with what it asks for."""

    event = fields.String()
    description = fields.String()
    params = fields.List(fields.Nested(ParamSchema))


class StepSchema(Representation):
    """One entry of an application's history."""

    event = fields.String()
    # "from" is a keyword: data_key spells it on the wire.
    from_state = fields.Enum(State, by_value=True, allow_none=True, data_key="from")
    to = fields.Enum(State, by_value=True, attribute="to_state")
    by = fields.Nested(PersonSchema, attribute="actor", allow_none=True)
    at = Stamp()
    comment = fields.String(allow_none=True)


class ImprovementAreaSchema(Representation):
    title = fields.String()
    effect = fields.String()


class ReportSchema(Representation):
    summary = fields.String(allow_none=True)
    delivered_at = Stamp(allow_none=True)
    recommendations = fields.List(fields.Nested(RecommendationSchema))


class IndicatorValueSchema(Representation):
    """What the review recorded for one indicator: a benchmarking measurement (`number`,
    with yes/no as 1/0, and an optional `comment`), a baseline requirement met or not, or
    a Gold score. The others are null."""

    code = fields.String(attribute="indicator.code")
    number = fields.Float(allow_none=True)
    comment = fields.String(allow_none=True)
    met = fields.Boolean(allow_none=True)
    score = fields.Float(allow_none=True)


class ApplicationSummarySchema(Representation):
    """An application as lists show it; its allowed events are the caller's."""

    id = fields.Integer()
    cluster_id = fields.Integer()
    cluster_name = fields.String(attribute="cluster.name")
    level = fields.Enum(Level, by_value=True)
    state = fields.Enum(State, by_value=True)
    version = fields.Integer()
    consultant = fields.Nested(PersonSchema, allow_none=True)
    interview_date = fields.Date(allow_none=True)
    previous_id = fields.Integer(allow_none=True)
    label_number = fields.String(attribute="label.number", allow_none=True)
    allowed_events = fields.List(fields.Nested(EventSchema))

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "allowed_events":
            return allowed_transitions(obj, caller())
        if attr == "history":
            return [e for e in obj.history if reads_history_entry(caller(), e)]
        return super().get_attribute(obj, attr, default)


class ApplicationSchema(ApplicationSummarySchema):
    """An application with its history, improvement areas and report."""

    history = fields.List(fields.Nested(StepSchema))
    improvement_areas = fields.List(fields.Nested(ImprovementAreaSchema))
    indicator_values = fields.List(fields.Nested(IndicatorValueSchema))
    report = fields.Nested(ReportSchema, allow_none=True)


class DocumentVersionSchema(Representation):
    """One version of a document."""

    id = fields.Integer()
    application_id = fields.Integer()
    purpose = fields.Enum(DocumentPurpose, by_value=True)
    indicator_id = fields.Integer(allow_none=True)
    improvement_area_id = fields.Integer(allow_none=True)
    recommendation_id = fields.Integer(allow_none=True)
    title = fields.String()
    file_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    version = fields.Integer(attribute="version_number")
    uploaded_by_id = fields.Integer(allow_none=True)
    uploaded_at = Stamp()
    replaces_id = fields.Integer(allow_none=True)
    deleted_at = Stamp(allow_none=True)


class DocumentSchema(DocumentVersionSchema):
    """A document with its earlier versions, newest first."""

    earlier_versions = fields.List(fields.Nested(DocumentVersionSchema))

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if attr == "earlier_versions":
            return obj.earlier_versions()
        return super().get_attribute(obj, attr, default)


# --- request bodies -------------------------------------------------------------------


class AttachmentSchema(Representation):
    """A file posted with a message (a document of the application)."""

    id = fields.Integer()
    file_name = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    download_url = fields.Function(
        lambda document: url_for("documents.download", document_id=document.id, _external=True)
    )


class ConversationMessageSchema(Representation):
    """A message of an application's conversation: its Markdown source and the
    sanitised HTML it renders to."""

    id = fields.Integer()
    application_id = fields.Integer()
    author = fields.Nested(PersonSchema)
    author_role = fields.String(attribute="author.role")
    created_at = Stamp()
    edited_at = Stamp(allow_none=True)
    internal = fields.Boolean()
    body = fields.String()
    html = fields.Function(lambda message: str(markdown.render(message.body)))
    attachments = fields.Nested(AttachmentSchema, many=True, attribute="kept_attachments")


class NewConversationMessageSchema(Body):
    body = Text(required=True)
    internal = Flag()


class FormFlag(Flag):
    """A boolean form field: exactly "true" or "false"."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if value not in ("true", "false"):
            raise self.make_error("invalid")
        return bool(value == "true")


class NewConversationMessageUploadSchema(Body):
    """The multipart form of a new message: its fields, and its files as file parts."""

    body = Text(required=True)
    internal = FormFlag()
    files = fields.List(
        fields.Raw(metadata={"type": "string", "format": "binary"}),
        metadata={"description": "The files to attach (file parts named files)."},
    )


class TokenRequestSchema(Body):
    email = Text(required=True)
    password = Text(required=True)
    name = Text()


class NewApplicationSchema(Body):
    cluster_id = WholeNumber(required=True)
    level = Choice(Level, required=True)


class EventRequestSchema(Body):
    event = choice([t.event for t in TRANSITIONS], required=True)
    reason = Text()
    comment = Text()
    consultant_id = WholeNumber()


class ReviewSchema(Body):
    interview_date = Day()
    values = Object(
        metadata={
            "description": 'By indicator code. Benchmarking: {"number": 42, "comment":'
            ' "..."} (a bare number or null sets the number alone; yes/no as true/false);'
            " baseline: true/false; quality: a score. Null clears an indicator."
        }
    )
    summary = Text()
    recommendations = Items(fields.Raw())
    improvement_areas = Items(fields.Raw())


class ImprovementAreasSchema(Body):
    areas = Items(fields.Raw(), required=True)


class ProfileSchema(Body):
    """A change to a cluster's profile: the fields sent change (the service checks each
    one); null clears the optional ones, as an empty field does on the page."""

    name = Text()
    country = Text()
    region = Text(allow_none=True)
    sector = Text(allow_none=True)
    website = Text(allow_none=True)
    website_in_english = Flag()
    eccp_listed = Flag()
    staff_fte = Text(allow_none=True)
    committed_members = WholeNumber(0, allow_none=True)
    member_types = Items(choice([m.value for m in MemberType]))
    description = Text(allow_none=True)


class RecommendationUpdateSchema(Body):
    status = Choice(RecommendationStatus)
    evidence = Text()
    note = Text()


class DocumentUploadSchema(Body):
    """A multipart upload: the files, and optionally a title and what they are for."""

    files = Items(Upload(), required=True, validate=validate.Length(min=1))
    title = Text(metadata={"description": "The file name if empty"})
    purpose = Choice(DocumentPurpose)
    indicator_id = WholeNumber(text=True)
    improvement_area_id = WholeNumber(text=True)
    recommendation_id = WholeNumber(text=True)


class ImportUploadSchema(Body):
    """A portfolio file (multipart/form-data), the agency and whether to write it."""

    file = Upload(required=True, metadata={"description": "CSV (UTF-8) or XLSX"})
    agency = Text(
        validate=validate.Length(max=40),
        metadata={"description": "The agency's short name; a coordinator's own if empty"},
    )
    commit = choice(
        ("true", "false"),
        metadata={"description": "true: write the rows (all or none); false: only preview"},
    )


class ImportRowSchema(Representation):
    line = fields.Integer()
    cluster = fields.String()
    outcome = fields.String(metadata={"enum": ["create", "update", "unchanged", "refused"]})
    problems = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "column: why"}
    )
    changes = fields.List(fields.String())


class ImportCountsSchema(Representation):
    create = fields.Integer()
    update = fields.Integer()
    unchanged = fields.Integer()
    refused = fields.Integer()


class ImportSchema(Representation):
    agency = fields.String(attribute="agency.short_name")
    file_name = fields.String()
    committed = fields.Boolean()
    counts = fields.Nested(ImportCountsSchema)
    rows = fields.List(fields.Nested(ImportRowSchema))
