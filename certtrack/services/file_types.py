"""Which files are accepted, decided from their content (never the name or the type the
browser claims): PDF, PNG, JPEG, Office Open XML and OpenDocument files, CSV and plain
text."""

import codecs
import zipfile
from typing import BinaryIO

import filetype
from flask_babel import gettext as _

from certtrack.storage import chunks

MAGIC_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF_PREFIX = "application/vnd.oasis.opendocument."
ZIP_MAGIC = b"PK\x03\x04"
HEAD = 8192
NAMES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    OOXML["word/"]: "Word",
    OOXML["xl/"]: "Excel",
    OOXML["ppt/"]: "PowerPoint",
    "text/csv": "CSV",
}


def type_name(content_type: str) -> str:
    """What people call a stored type (PDF, Word, OpenDocument, text)."""
    if content_type.startswith(ODF_PREFIX):
        return "OpenDocument"
    return NAMES.get(content_type) or _("Text")


def detect(stream: BinaryIO, file_name: str) -> str | None:
    """The accepted content type of a seekable stream, or None if it is not one we take.
    The name only tells CSV from plain text once the content is known to be text."""
    stream.seek(0)
    head = stream.read(HEAD)
    stream.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _zip_type(stream)
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in MAGIC_TYPES else None
    if not _is_utf8_text(stream):
        return None
    return "text/csv" if file_name.lower().endswith(".csv") else "text/plain"


def _zip_type(stream: BinaryIO) -> str | None:
    """An OOXML package ([Content_Types].xml and its main part) or an ODF one (its
    `mimetype` entry); any other zip, or a broken one, is refused."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return declared if declared.startswith(ODF_PREFIX) else None
            if "[Content_Types].xml" in names:
                for folder, mime in OOXML.items():
                    if any(name.startswith(folder) for name in names):
                        return mime
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        stream.seek(0)
    return None


def _is_utf8_text(stream: BinaryIO) -> bool:
    """Valid UTF-8 throughout (a BOM allowed) and no NUL, read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in chunks(stream):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True
