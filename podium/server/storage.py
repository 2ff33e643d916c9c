"""The artifact store: uploaded data files and pipeline artifacts, behind a small interface.

Only :class:`LocalArtifactStore` (a folder) exists today; an S3 store implements the same
protocol. Keys are relative POSIX paths such as ``workspaces/<ws>/data/<id>/data.csv``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from podium.server.errors import InvalidInput, TooLarge

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredObject:
    """What a streamed write produced."""

    key: str
    size: int
    sha256: str


class ArtifactStore(Protocol):
    """Where bytes live. Implementations must be safe to share between processes."""

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> StoredObject:
        """Stream ``source`` to ``key``, hashing as it goes; raise TooLarge past ``max_bytes``."""
        ...

    def local_path(self, key: str) -> Path:
        """A local filesystem path holding the object (downloaded first by remote stores)."""
        ...

    def open(self, key: str) -> BinaryIO:
        """Open the object for reading."""
        ...

    def delete_prefix(self, prefix: str) -> None:
        """Remove every object under ``prefix`` (missing is fine)."""
        ...


class LocalArtifactStore:
    """An :class:`ArtifactStore` in a local folder. Writes go to a temp file, then rename."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidInput(f"invalid artifact key {key!r}")
        return path

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> StoredObject:
        """Stream ``source`` into the store (see :class:`ArtifactStore`)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        digest, size = hashlib.sha256(), 0
        try:
            with tmp.open("wb") as out:
                for chunk in _chunks(source):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(
                            f"upload is larger than the {max_bytes} byte limit "
                            "(raise PODIUM_MAX_UPLOAD_BYTES to allow bigger files)"
                        )
                    digest.update(chunk)
                    out.write(chunk)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return StoredObject(key, size, digest.hexdigest())

    def local_path(self, key: str) -> Path:
        """Return the file of ``key`` (see :class:`ArtifactStore`)."""
        return self._path(key)

    def open(self, key: str) -> BinaryIO:
        """Open ``key`` for reading (see :class:`ArtifactStore`)."""
        return self._path(key).open("rb")

    def delete_prefix(self, prefix: str) -> None:
        """Delete a folder of objects (see :class:`ArtifactStore`)."""
        path = self._path(prefix)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _chunks(source: BinaryIO) -> Iterator[bytes]:
    while chunk := source.read(CHUNK):
        yield chunk
