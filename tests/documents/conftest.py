"""Document tests run twice: with the filesystem store and with the S3 store, the latter
against moto's S3-compatible server started on 127.0.0.1 for the session."""

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from flask import Flask
from sqlalchemy import select

from certtrack import create_app
from certtrack.extensions import db
from certtrack.models import Application, Document, User
from certtrack.storage.filesystem import TEMP_DIR
from tests.builders import Journey, make_cast
from tests.database import empty_tables
from tests.network import free_port

S3_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-south-1",
}
LIMIT = 64 * 1024
QUOTA = 256 * 1024


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a free local port, with throwaway credentials."""
    from moto.server import ThreadedMotoServer

    saved = {name: os.environ.get(name) for name in S3_ENV}
    os.environ.update(S3_ENV)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(params=["filesystem", "s3"])
def app(request: pytest.FixtureRequest, migrated: str, tmp_path: Path) -> Iterator[Flask]:
    """The app with small limits (64 kB a file, 256 kB an application) on either store."""
    settings: dict[str, object] = {
        "DOCUMENT_MAX_BYTES": LIMIT,
        "DOCUMENT_QUOTA_BYTES": QUOTA,
        "DOCUMENT_STORAGE_PATH": str(tmp_path / "documents"),
    }
    if request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"certtrack-{uuid.uuid4().hex[:12]}"
        boto3.client("s3", endpoint_url=endpoint).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-south-1"}
        )
        settings.update(DOCUMENT_STORAGE="s3", S3_BUCKET=bucket, S3_ENDPOINT_URL=endpoint)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=migrated, **settings)
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


def blobs(app: Flask) -> set[str]:
    """Every key the store holds (and, on the filesystem, no temporary file left)."""
    config = app.config
    if config.get("DOCUMENT_STORAGE") == "s3":
        client = boto3.client("s3", endpoint_url=config["S3_ENDPOINT_URL"])
        listed = client.list_objects_v2(Bucket=config["S3_BUCKET"])
        return {item["Key"] for item in listed.get("Contents", [])}
    root = Path(config["DOCUMENT_STORAGE_PATH"])
    if not root.exists():
        return set()
    assert list((root / TEMP_DIR).iterdir()) == [], "a temporary file was left behind"
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and TEMP_DIR not in path.parts
    }


def document_rows(app: Flask) -> list[Document]:
    with app.app_context():
        rows = list(db.session.scalars(select(Document).order_by(Document.id)))
        db.session.expunge_all()
        return rows


def usage(app: Flask, application_id: int) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(Application.documents_bytes).where(Application.id == application_id)
            )
        )


@pytest.fixture
def journey(ctx: Flask) -> Journey:
    """An application in the consultant's review (documents open to everyone on it)."""
    journey = Journey(make_cast())
    journey.start()
    journey.to_review(date(2014, 6, 10))
    return journey


# A minimal PDF, PNG and an OOXML package, made here (no binary fixtures).
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48


def ooxml(main: str = "word/document.xml") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main, "<doc/>")
    return buffer.getvalue()


def odf(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


@pytest.fixture
def scene(app: Flask) -> Any:
    """The same application for tests that go through requests: built in an app context
    of its own and left (a test's app context would be shared by its requests, and with
    it the signed-in user), as plain ids and addresses."""
    with app.app_context():
        journey = Journey(make_cast())
        journey.start()
        journey.to_review(date(2014, 6, 10))
        cast = journey.cast
        people = {
            role: SimpleNamespace(id=user.id, email=user.email)
            for role, user in vars(cast).items()
            if isinstance(user, User)
        }
        return SimpleNamespace(
            application=SimpleNamespace(id=journey.application.id),
            cast=SimpleNamespace(**people),
        )
