"""Documents on an application: upload (several files at once), replace, delete,
download. Each file is checked (size, type from its content, the application's quota)
before anything is kept; the bytes go to the store first and the rows follow in one
transaction, and the bytes are removed again if that fails, so a refused or failed
upload leaves neither. Every step is written to the application's history."""

import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, BinaryIO, cast

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import selectinload

from certtrack.extensions import db
from certtrack.models import (
    Application,
    AuditEntry,
    Document,
    DocumentPurpose,
    ImprovementArea,
    IndicatorDefinition,
    IndicatorKind,
    Recommendation,
    User,
)
from certtrack.models.base import utcnow
from certtrack.services import file_types
from certtrack.services.transaction import committed
from certtrack.sizes import format_size
from certtrack.storage import CHUNK, Storage, storage
from certtrack.text import text_problem
from certtrack.workflow import permissions
from certtrack.workflow.errors import (
    Conflict,
    InvalidParams,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    WorkflowError,
)

MAX_TITLE = 200
# What deleting a document does, stated where the person confirms it (the page asks
# first; the API deletes when called).
DELETE_CONSEQUENCE = _l(
    "The document and its earlier versions are removed for everyone; the history keeps "
    "its name. This cannot be undone."
)
MAX_FILE_NAME = 255
# History events (named in certtrack.vocabulary).
UPLOADED, REPLACED, DELETED, DOWNLOADED = (
    "document_uploaded",
    "document_replaced",
    "document_deleted",
    "document_downloaded",
)


@dataclass(frozen=True)
class Upload:
    """One file as it came in: its bytes and the name the uploader's browser gave it."""

    stream: IO[bytes]
    file_name: str


@dataclass(frozen=True)
class Link:
    """What the uploaded documents are for (at most one of the ids)."""

    purpose: DocumentPurpose = DocumentPurpose.EVIDENCE
    indicator_id: int | None = None
    improvement_area_id: int | None = None
    recommendation_id: int | None = None


@dataclass
class _Checked:
    file: BinaryIO
    file_name: str
    size: int
    content_type: str


def max_bytes() -> int:
    """The largest file accepted (DOCUMENT_MAX_BYTES)."""
    return int(current_app.config["DOCUMENT_MAX_BYTES"])


def quota_bytes() -> int:
    """What one application's documents may take together (DOCUMENT_QUOTA_BYTES)."""
    return int(current_app.config["DOCUMENT_QUOTA_BYTES"])


def max_files() -> int:
    """Files in one upload (DOCUMENT_MAX_FILES)."""
    return int(current_app.config["DOCUMENT_MAX_FILES"])


def display_name(raw: str) -> str:
    """The uploaded file name made safe to show and to send back: its last path part
    only, without control or format characters; otherwise as it was typed."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        c for c in name if unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Zl", "Zp"}
    ).strip()
    if name.strip(".") == "":
        name = _("file")
    if len(name) > MAX_FILE_NAME:
        _stem, dot, extension = name.rpartition(".")
        keep = extension if dot and len(extension) <= 10 else ""
        name = name[: MAX_FILE_NAME - len(keep) - 1] + ("." + keep if keep else "")
    return name


def upload(
    application: Application,
    actor: User,
    files: Sequence[Upload],
    *,
    title: str = "",
    link: Link = Link(),
    now: datetime | None = None,
    joined: Callable[[Sequence[Document]], None] | None = None,
) -> list[Document]:
    """Store `files` as new documents of `application` (all or none). Refusals: 403/409
    by the documents rule, 413 over the size limit or the quota, 415 for a type not
    accepted, 422 for an empty file or other bad input.

    `joined` is the caller's own writes for the same transaction: it runs inside it,
    before the rows are added (it may fill them in, e.g. their message), and if it
    raises nothing is stored, neither rows nor bytes."""
    refused = permissions.upload_refusal(actor, application, link.purpose)
    if refused:
        raise refused
    title = _check_title(title)
    _check_link(application, link)
    if not files:
        raise InvalidParams(_("Choose at least one file."), {"files": _("Choose a file.")})
    if len(files) > max_files():
        message = _("At most %(n)s files at once.", n=max_files())
        raise InvalidParams(message, {"files": message})
    now = now or utcnow()
    with ExitStack() as temps:
        checked = _check_all(files, temps)
        rows = [
            Document(
                application_id=application.id,
                purpose=link.purpose,
                indicator_id=link.indicator_id,
                improvement_area_id=link.improvement_area_id,
                recommendation_id=link.recommendation_id,
                title=title or item.file_name,
                file_name=item.file_name,
                content_type=item.content_type,
                uploaded_by_id=actor.id,
                uploaded_at=now,
            )
            for item in checked
        ]
        _store(application, actor, checked, rows, UPLOADED, now, joined=joined)
    return rows


def replace(
    document: Document,
    actor: User,
    file: Upload,
    *,
    title: str = "",
    now: datetime | None = None,
) -> Document:
    """A new version of `document` (which stays as an earlier version); the same
    refusals as upload, and 409 if the document was replaced or deleted meanwhile."""
    refused = permissions.document_refusal(actor, document)
    if refused:
        raise refused
    title = _check_title(title)
    now = now or utcnow()
    with ExitStack() as temps:
        (item,) = _check_all([file], temps)
        row = Document(
            application_id=document.application_id,
            purpose=document.purpose,
            indicator_id=document.indicator_id,
            improvement_area_id=document.improvement_area_id,
            recommendation_id=document.recommendation_id,
            title=title or document.title,
            file_name=item.file_name,
            content_type=item.content_type,
            uploaded_by_id=actor.id,
            uploaded_at=now,
            replaces_id=document.id,
        )
        _store(document.application, actor, [item], [row], REPLACED, now, replaced=document)
    return row


def delete(document: Document, actor: User, *, now: datetime | None = None) -> None:
    """Mark `document` and its earlier versions deleted (the rows stay for the history)
    and remove their bytes; 409 if it was replaced or deleted meanwhile."""
    refused = permissions.document_refusal(actor, document)
    if refused:
        raise refused
    now = now or utcnow()
    application = document.application
    versions = [document, *document.earlier_versions()]
    with committed():
        _lock(application)
        marked = db.session.execute(
            update(Document)
            .where(Document.id == document.id, Document.deleted_at.is_(None))
            .values(deleted_at=now, deleted_by_id=actor.id)
            .execution_options(synchronize_session=False)
        )
        if _rowcount(marked) == 0 or _replaced_meanwhile(document):
            raise Conflict(_("Someone else changed this document meanwhile; reload the page."))
        earlier = [v.id for v in versions[1:]]
        if earlier:
            db.session.execute(
                update(Document)
                .where(Document.id.in_(earlier), Document.deleted_at.is_(None))
                .values(deleted_at=now, deleted_by_id=actor.id)
                .execution_options(synchronize_session=False)
            )
        _take(application, -sum(v.size for v in versions), quota=None)
        db.session.add(_history(application, actor, DELETED, document, now))
    for version in versions:
        db.session.expire(version)
        _forget_blob(storage(), version.storage_key)


def download(document: Document, actor: User, *, now: datetime | None = None) -> IO[bytes]:
    """The document's bytes as a stream for the response to send and close (the caller
    may see the application: access.get_document checked); the download is written to
    the history first. 404 if it was deleted or its bytes are gone."""
    if document.deleted_at is not None:
        raise NotFound(_("This document was deleted."))
    try:
        stream = storage().open(document.storage_key)
    except FileNotFoundError:
        raise NotFound(_("The file of this document is missing from the store.")) from None
    try:
        with committed():
            db.session.add(
                _history(document.application, actor, DOWNLOADED, document, now or utcnow())
            )
    except BaseException:
        stream.close()
        raise
    return stream


def current_documents(application: Application, reader: User | None = None) -> list[Document]:
    """The application's documents as lists show them: the current version of each,
    newest first, in two statements (the earlier versions, loaded with them, hang off
    `replaces` without more). With `reader`, only those they read (not an internal
    note's files for the cluster); without, all (for lists that show none of them)."""
    where = [Document.application_id == application.id, Document.deleted_at.is_(None)]
    if reader is not None:
        where.append(permissions.documents_read(reader, application))
    found = db.session.scalars(
        db.select(Document)
        .where(*where)
        .options(
            selectinload(Document.uploaded_by),
            selectinload(Document.indicator),
            selectinload(Document.message),
        )
        .order_by(Document.uploaded_at.desc(), Document.id.desc())
    ).all()
    replaced = {d.replaces_id for d in found}
    return [d for d in found if d.id not in replaced]


# --- checks ---------------------------------------------------------------------------


def _check_title(title: str) -> str:
    title = (title or "").strip()
    problem = text_problem(title)
    if problem is None and len(title) > MAX_TITLE:
        problem = _("At most %(n)s characters.", n=MAX_TITLE)
    if problem:
        raise InvalidParams(_("The title is not valid; nothing was stored."), {"title": problem})
    return title


def _check_link(application: Application, link: Link) -> None:
    """The linked indicator, area or recommendation exists and belongs here."""
    given = [
        name
        for name in ("indicator_id", "improvement_area_id", "recommendation_id")
        if getattr(link, name) is not None
    ]
    problems: dict[str, str] = {}
    if len(given) > 1:
        problems[given[1]] = _("Link a document to one thing only.")
    elif link.indicator_id is not None:
        indicator = db.session.get(IndicatorDefinition, link.indicator_id)
        if indicator is None or indicator.kind != IndicatorKind.QUALITY:
            problems["indicator_id"] = _("Not a quality indicator.")
    elif link.improvement_area_id is not None:
        area = db.session.get(ImprovementArea, link.improvement_area_id)
        if area is None or area.application_id != application.id:
            problems["improvement_area_id"] = _("Not an improvement area of this application.")
    elif link.recommendation_id is not None:
        recommendation = db.session.get(Recommendation, link.recommendation_id)
        if recommendation is None or recommendation.report.application_id != application.id:
            problems["recommendation_id"] = _("Not a recommendation of this application.")
    if link.purpose == DocumentPurpose.PROGRESS and link.recommendation_id is None:
        problems["recommendation_id"] = _("Evidence of progress is for a recommendation.")
    if problems:
        raise InvalidParams(_("The document's link is not valid; nothing was stored."), problems)


def _check_all(files: Sequence[Upload], temps: ExitStack) -> list[_Checked]:
    """Copy each file to a temporary file (at most the limit), then check it; refuse
    the lot, naming each refused file and why, if any one is refused."""
    checked: list[_Checked] = []
    refusals: list[WorkflowError] = []
    limit = max_bytes()
    for item in files:
        name = display_name(item.file_name)
        spooled = cast(BinaryIO, temps.enter_context(tempfile.TemporaryFile()))  # noqa: SIM115
        size = _copy(item.stream, spooled, limit)
        if size > limit:
            refusals.append(
                PayloadTooLarge(
                    _(
                        "%(file)s is larger than the limit of %(limit)s.",
                        file=name,
                        limit=format_size(limit),
                    )
                )
            )
            continue
        if size == 0:
            refusals.append(InvalidParams(_("%(file)s is empty.", file=name)))
            continue
        content_type = file_types.detect(spooled, name)
        if content_type is None:
            refusals.append(
                UnsupportedMediaType(
                    _(
                        "%(file)s is not a file type we accept (PDF, PNG, JPEG, Word, Excel,"
                        " PowerPoint, OpenDocument, CSV or plain text).",
                        file=name,
                    )
                )
            )
            continue
        checked.append(_Checked(spooled, name, size, content_type))
    if refusals:
        message = " ".join(r.message for r in refusals)
        first = refusals[0]
        raise type(first)(_("Nothing was stored: %(reasons)s", reasons=message), {"files": message})
    return checked


def _copy(source: IO[bytes], target: BinaryIO, limit: int) -> int:
    """Copy in chunks, stopping one byte past `limit`; the number of bytes copied."""
    size = 0
    while size <= limit and (chunk := source.read(min(CHUNK, limit + 1 - size))):
        target.write(chunk)
        size += len(chunk)
    target.seek(0)
    return size


def _quota_refusal(application: Application, adding: int) -> PayloadTooLarge:
    used = db.session.scalar(
        db.select(Application.documents_bytes).where(Application.id == application.id)
    )
    message = _(
        "The application's documents may take %(quota)s together; %(used)s are taken and"
        " these files need %(adding)s. Nothing was stored.",
        quota=format_size(quota_bytes()),
        used=format_size(used or 0),
        adding=format_size(adding),
    )
    return PayloadTooLarge(message, {"files": message})


# --- storing --------------------------------------------------------------------------


def _store(
    application: Application,
    actor: User,
    checked: Sequence[_Checked],
    rows: Sequence[Document],
    event: str,
    now: datetime,
    replaced: Document | None = None,
    joined: Callable[[Sequence[Document]], None] | None = None,
) -> None:
    """Bytes first, then the rows with the quota taken (and the caller's `joined`
    writes) in one transaction; on any failure the bytes just stored are removed
    again."""
    store = storage()
    total = sum(c.size for c in checked)
    if application.documents_bytes + total > quota_bytes():  # early, before any copying
        raise _quota_refusal(application, total)
    saved: list[str] = []
    try:
        for item, row in zip(checked, rows, strict=True):
            stored = store.save(item.file)
            saved.append(stored.key)
            row.storage_key, row.size, row.sha256 = stored.key, stored.size, stored.sha256
        with committed():
            if not _take(application, total, quota=quota_bytes()):
                raise _quota_refusal(application, total)
            if replaced is not None and _replaced_meanwhile(replaced, deleted_too=True):
                raise Conflict(_("Someone else changed this document meanwhile; reload the page."))
            if joined is not None:
                joined(rows)
            version = replaced.version_number + 1 if replaced is not None else 1
            for row in rows:
                db.session.add(row)
                db.session.flush()
                db.session.add(_history(application, actor, event, row, now, version))
    except BaseException:
        for key in saved:
            _forget_blob(store, key)
        raise
    finally:
        db.session.expire(application, ["documents_bytes"])


def _take(application: Application, delta: int, *, quota: int | None) -> bool:
    """Add `delta` bytes to the application's usage in one conditional UPDATE (it also
    locks the row until the commit, so racing uploads see each other); False if the
    quota would be passed."""
    statement = (
        update(Application)
        .where(Application.id == application.id)
        .values(documents_bytes=Application.documents_bytes + delta)
        .execution_options(synchronize_session=False)
    )
    if quota is not None:
        statement = statement.where(Application.documents_bytes + delta <= quota)
    return _rowcount(db.session.execute(statement)) == 1


def _lock(application: Application) -> None:
    """Hold the application's row until the commit: document steps on one application
    take turns (PostgreSQL locks the row; SQLite the database)."""
    _take(application, 0, quota=None)


def _replaced_meanwhile(document: Document, *, deleted_too: bool = False) -> bool:
    """Read again under the lock: has another step replaced (or deleted) it?"""
    successor = db.session.scalar(
        db.select(Document.id).where(Document.replaces_id == document.id).limit(1)
    )
    if successor is not None:
        return True
    if deleted_too:
        deleted = db.session.scalar(
            db.select(Document.deleted_at).where(Document.id == document.id)
        )
        return deleted is not None
    return False


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _forget_blob(store: Storage, key: str) -> None:
    """Remove a blob; a store that fails here leaves an unreferenced blob, logged."""
    try:
        store.delete(key)
    except Exception:
        current_app.logger.exception("Could not remove the stored document %s", key)


def _history(
    application: Application,
    actor: User,
    event: str,
    document: Document,
    now: datetime,
    version: int | None = None,
) -> AuditEntry:
    return AuditEntry(
        application_id=application.id,
        event=event,
        from_state=application.state,
        to_state=application.state,
        actor_id=actor.id,
        at=now,
        data={
            "document_id": document.id,
            "title": document.title,
            "file_name": document.file_name,
            "version": version or document.version_number,
            # The steps of an internal note's files are as private as the note.
            **({"internal_note": True} if document.message and document.message.internal else {}),
        },
    )
