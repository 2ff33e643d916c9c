"""The artifact store: uploaded data files and pipeline artifacts, behind a small interface.

Only :class:`LocalArtifactStore` (a folder) exists today; an S3 store implements the same
protocol. Keys are relative POSIX paths such as ``workspaces/<ws>/data/<id>/data.csv``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
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


class ObjectWriter(Protocol):
    """An object written piece by piece; nothing is visible at its key before ``commit``."""

    def write(self, chunk: bytes, /) -> None:
        """Append ``chunk``, hashing as it goes; TooLarge past the writer's ``max_bytes``."""
        ...

    def commit(self) -> StoredObject:
        """Make the object visible at its key."""
        ...

    def abort(self) -> None:
        """Drop what was written (harmless after commit, or twice)."""
        ...


class ArtifactStore(Protocol):
    """Where bytes live. Implementations must be safe to share between processes."""

    def put_stream(self, key: str, source: BinaryIO, max_bytes: int) -> StoredObject:
        """Stream ``source`` to ``key``, hashing as it goes; raise TooLarge past ``max_bytes``."""
        ...

    def writer(self, key: str, max_bytes: int) -> ObjectWriter:
        """A writer for ``key`` that refuses (TooLarge) the first byte past ``max_bytes``."""
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
        out = self.writer(key, max_bytes)
        try:
            while chunk := source.read(CHUNK):
                out.write(chunk)
            return out.commit()
        finally:
            out.abort()

    def writer(self, key: str, max_bytes: int) -> LocalObjectWriter:
        """A temp file beside ``key``, renamed onto it at commit (see :class:`ArtifactStore`)."""
        return LocalObjectWriter(self._path(key), key, max_bytes)

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


class LocalObjectWriter:
    """An :class:`ObjectWriter` into a ``.part`` file beside the object, renamed at commit."""

    def __init__(self, path: Path, key: str, max_bytes: int) -> None:
        self.key, self.path, self.max_bytes = key, path, max_bytes
        self.size, self._digest = 0, hashlib.sha256()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = path.with_name(path.name + ".part")
        self._out: BinaryIO | None = self._tmp.open("wb")

    def write(self, chunk: bytes, /) -> None:
        """Append ``chunk`` (see :class:`ObjectWriter`)."""
        if self._out is None:
            raise RuntimeError(f"{self.key} was already committed or aborted")
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(f"{self.key.rsplit('/', 1)[-1]} is larger than {self.max_bytes:,} bytes")
        self._digest.update(chunk)
        self._out.write(chunk)

    def commit(self) -> StoredObject:
        """Rename the temp file onto the object's path (see :class:`ObjectWriter`)."""
        if self._out is None:
            raise RuntimeError(f"{self.key} was already committed or aborted")
        self._out.close()
        self._out = None
        os.replace(self._tmp, self.path)
        return StoredObject(self.key, self.size, self._digest.hexdigest())

    def abort(self) -> None:
        """Drop the temp file (see :class:`ObjectWriter`)."""
        if self._out is not None:
            self._out.close()
            self._out = None
        self._tmp.unlink(missing_ok=True)
