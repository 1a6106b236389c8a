"""Documents in an S3 bucket (AWS or any S3-compatible server): for several web hosts.
Credentials come the usual AWS way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a
profile, an instance role)."""

import io
import tempfile
from typing import Any, BinaryIO, cast

import boto3
from botocore.exceptions import ClientError

from certtrack.storage import Stored, check_key, chunks, hash_of, new_key


class S3Storage:
    """Blobs as objects named by their key. The bytes are hashed first (the key is made
    from the hash), then uploaded in parts by boto3; nothing is read whole into memory."""

    def __init__(self, bucket: str, endpoint_url: str | None, region: str | None) -> None:
        self.bucket = bucket
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def save(self, stream: BinaryIO) -> Stored:
        """Hash the stream (spooled to a temporary file if it cannot seek), upload it."""
        if not stream.seekable():
            with tempfile.TemporaryFile() as spooled:
                for chunk in chunks(stream):
                    spooled.write(chunk)
                return self.save(cast(BinaryIO, spooled))
        size, sha256 = hash_of(stream)
        key = new_key(sha256)
        self.client.upload_fileobj(stream, self.bucket, key)
        return Stored(key=key, size=size, sha256=sha256)

    def open(self, key: str) -> BinaryIO:
        """The object's body, a stream (FileNotFoundError if it is gone)."""
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(key) from error
            raise
        return cast(BinaryIO, _Body(response["Body"]))

    def delete(self, key: str) -> None:
        """Remove the object (S3 answers the same whether it was there or not)."""
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key: str) -> bool:
        """Whether the object is there."""
        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if _missing(error):
                return False
            raise
        return True


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


class _Body(io.RawIOBase):
    """A StreamingBody as a plain readable file (read in chunks, closed with the
    response), so downloads treat both stores alike."""

    def __init__(self, body: Any) -> None:
        super().__init__()
        self.body = body

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.body.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.body.close()
        super().close()
