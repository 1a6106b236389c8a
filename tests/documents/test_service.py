"""The documents service on both stores: what is stored, what is refused, and that the
store and the tables agree afterwards."""

import io

import pytest

from certtrack.models import Document
from certtrack.services import documents
from certtrack.services.documents import Upload
from certtrack.storage import storage
from certtrack.workflow.errors import InvalidParams, PayloadTooLarge, UnsupportedMediaType
from tests.documents.conftest import (
    ELF,
    LIMIT,
    MZ,
    PDF,
    PNG,
    blobs,
    document_rows,
    odf,
    ooxml,
    usage,
)


def up(data: bytes, name: str) -> Upload:
    return Upload(io.BytesIO(data), name)


def test_upload_stores_bytes_and_row(app, journey):
    application = journey.application
    [doc] = documents.upload(application, journey.cast.manager, [up(PDF, "report.pdf")])
    assert doc.content_type == "application/pdf"
    assert doc.size == len(PDF)
    assert blobs(app) == {doc.storage_key}
    with storage().open(doc.storage_key) as stream:
        assert stream.read() == PDF
    assert usage(app, application.id) == len(PDF)


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (ELF, "report.pdf", UnsupportedMediaType),
        (MZ, "report.pdf", UnsupportedMediaType),
        (b"", "empty.txt", InvalidParams),
        (b"x" * (LIMIT + 1), "big.txt", PayloadTooLarge),
        (b"\xff\xfe not utf-8", "notes.txt", UnsupportedMediaType),
    ],
)
def test_refused_upload_leaves_nothing(app, journey, data, name, error):
    with pytest.raises(error) as refused:
        documents.upload(
            journey.application, journey.cast.manager, [up(PDF, "ok.pdf"), up(data, name)]
        )
    assert name in refused.value.fields["files"]
    assert blobs(app) == set()
    assert document_rows(app) == []
    assert usage(app, journey.application.id) == 0


def test_accepted_types(app, journey):
    files = [
        up(PDF, "a.pdf"),
        up(PNG, "b.png"),
        up(ooxml(), "c.docx"),
        up(ooxml("xl/workbook.xml"), "d.xlsx"),
        up(odf(), "e.odt"),
        up(b"a;b\n1;2\n", "f.csv"),
        up("Verbale è firmato\n".encode(), "g.txt"),
    ]
    stored = documents.upload(journey.application, journey.cast.manager, files)
    assert [d.content_type for d in stored] == [
        "application/pdf",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "text/csv",
        "text/plain",
    ]
    assert len(blobs(app)) == 7


def test_replace_keeps_the_earlier_version_and_delete_removes_bytes(app, journey):
    manager = journey.cast.manager
    [first] = documents.upload(journey.application, manager, [up(PDF, "plan.pdf")], title="Plan")
    second = documents.replace(first, manager, up(PDF + b"v2", "plan-v2.pdf"))
    assert second.replaces_id == first.id and second.title == "Plan"
    assert second.version_number == 2
    assert len(blobs(app)) == 2
    assert usage(app, journey.application.id) == 2 * len(PDF) + 2
    documents.delete(second, manager)
    assert blobs(app) == set()
    assert usage(app, journey.application.id) == 0
    rows = document_rows(app)
    assert [r.deleted_at is not None for r in rows] == [True, True]
    events = [e.event for e in journey.application.history]
    assert events[-3:] == ["document_uploaded", "document_replaced", "document_deleted"]


def test_file_name_is_made_safe(app, journey):
    [doc] = documents.upload(
        journey.application, journey.cast.manager, [up(PDF, "../../etc/\x00pass\r\nwd\x1b.pdf")]
    )
    assert doc.file_name == "passwd.pdf"
    assert isinstance(doc, Document)
