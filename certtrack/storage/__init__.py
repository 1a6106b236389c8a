"""Where documents' bytes live, behind one small interface: a folder of the instance
(one web host) or an S3 bucket (several). Keys are made from the content's SHA-256,
never from an uploaded name; a random suffix gives every document its own blob, so
deleting one never takes the bytes of another with the same content."""

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

CHUNK = 64 * 1024
KEY_PATTERN = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}-[0-9a-f]{16}")


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, stream: BinaryIO) -> Stored:
        """Store the stream's bytes (read in chunks) under a new key."""

    def open(self, key: str) -> BinaryIO:
        """The stored bytes as a stream to read in chunks."""

    def delete(self, key: str) -> None:
        """Remove the bytes (nothing happens if they are gone already)."""

    def exists(self, key: str) -> bool:
        """Whether the key holds bytes."""


def new_key(sha256: str) -> str:
    """The key for content with this hash: two-character fan-out, hash, random suffix."""
    return f"{sha256[:2]}/{sha256}-{secrets.token_hex(8)}"


def check_key(key: str) -> str:
    """`key` if it has the shape new_key makes (no path tricks reach a store), else
    ValueError."""
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def chunks(stream: BinaryIO) -> Iterator[bytes]:
    """The stream's bytes, CHUNK at a time."""
    while chunk := stream.read(CHUNK):
        yield chunk


def hash_of(stream: BinaryIO) -> tuple[int, str]:
    """Size and SHA-256 of a seekable stream, read from the start; left at the start."""
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in chunks(stream):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


def storage_for(app: Flask) -> Storage:
    """The app's store, made once from DOCUMENT_STORAGE (filesystem or s3)."""
    store = app.extensions.get("certtrack_storage")
    if store is None:
        kind = app.config.get("DOCUMENT_STORAGE", "filesystem")
        if kind == "s3":
            from certtrack.storage.s3 import S3Storage

            store = S3Storage(
                bucket=app.config["S3_BUCKET"],
                endpoint_url=app.config.get("S3_ENDPOINT_URL") or None,
                region=app.config.get("S3_REGION") or None,
            )
        elif kind == "filesystem":
            from certtrack.storage.filesystem import FileSystemStorage

            root = app.config.get("DOCUMENT_STORAGE_PATH") or Path(app.instance_path) / "documents"
            store = FileSystemStorage(Path(root))
        else:
            raise RuntimeError(f"DOCUMENT_STORAGE must be filesystem or s3, not {kind!r}")
        app.extensions["certtrack_storage"] = store
    return store


def storage() -> Storage:
    """The current app's store."""
    return storage_for(current_app)
