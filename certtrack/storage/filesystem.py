"""Documents in a folder (by default the instance folder's documents/): for one host."""

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from certtrack.storage import Stored, check_key, chunks, new_key

TEMP_DIR = ".incoming"


class FileSystemStorage:
    """Blobs at <root>/<key>. A save goes to a temporary file in the same folder tree
    (hashing as it goes), then is renamed into place, so a half-written file never has
    a key."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / TEMP_DIR).mkdir(parents=True, exist_ok=True)

    def save(self, stream: BinaryIO) -> Stored:
        """Copy the stream in chunks to a temporary file, then move it to its key."""
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(dir=self.root / TEMP_DIR)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks(stream):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            key = new_key(digest.hexdigest())
            target = self.path(key)
            target.parent.mkdir(exist_ok=True)
            temp.replace(target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return Stored(key=key, size=size, sha256=digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        """The file, opened for reading (FileNotFoundError if it is gone)."""
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        """Remove the file; its fan-out folder goes too once empty."""
        path = self.path(key)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: other blobs share it
            path.parent.rmdir()

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self.path(key).is_file()

    def path(self, key: str) -> Path:
        """Where a key's file lives (keys are checked: nothing outside the root)."""
        return self.root / check_key(key)
