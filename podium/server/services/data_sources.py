"""Data sources: streamed uploads, profiles, previews."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.models import DataProfile, DataSource
from podium.server.errors import InvalidInput, not_found
from podium.server.services import access, audit, engine, usage
from podium.server.services.access import Member
from podium.server.storage import ArtifactStore, ObjectWriter

KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".parquet": "parquet", ".pq": "parquet"}
PREVIEW_ROWS = 20


def list_sources(session: Session, member: Member) -> list[DataSource]:
    """Data sources of the member's workspace, newest first."""
    return list(
        session.scalars(
            select(DataSource)
            .where(DataSource.workspace_id == member.workspace_id)
            .order_by(DataSource.created_at.desc(), DataSource.id)
        )
    )


@dataclass
class PendingUpload:
    """An upload being received: checked caller, then the store object its file streams into."""

    store: ArtifactStore
    settings: Settings
    member: Member
    source_id: uuid.UUID = field(default_factory=uuid.uuid4)
    filename: str = ""
    kind: str = ""
    writer: ObjectWriter | None = None

    @property
    def prefix(self) -> str:
        """The store folder of this data source."""
        return f"workspaces/{self.member.workspace_id}/data/{self.source_id}"

    def open(self, filename: str) -> ObjectWriter:
        """Check the file name; return the writer its bytes go to (TooLarge past the cap)."""
        self.kind, self.filename = kind_of(filename), PurePath(filename).name
        key = f"{self.prefix}/data.{'csv' if self.kind == 'csv' else 'parquet'}"
        self.writer = self.store.writer(key, self.settings.max_upload_bytes)
        return self.writer

    def discard(self) -> None:
        """Remove whatever was written (a refused or failed upload leaves no file)."""
        if self.writer is not None:
            self.writer.abort()
        self.store.delete_prefix(self.prefix)


def begin_upload(store: ArtifactStore, settings: Settings, member: Member) -> PendingUpload:
    """Check the caller may upload (editors) before a byte of the body is read."""
    member.require("editor")
    return PendingUpload(store, settings, member)


def finish_upload(
    session: Session, pending: PendingUpload, name: str | None, description: str
) -> DataSource:
    """Profile the received file with the engine and record it; on failure remove the file."""
    try:
        if pending.writer is None:
            raise InvalidInput("send the table as the multipart field 'file' (a .csv or .parquet)")
        stored = pending.writer.commit()
        if stored.size == 0:
            raise InvalidInput(f"{pending.filename} is empty; upload a file with a header and rows")
        path = pending.store.local_path(stored.key)
        frame, schema = engine.profile_table(path, pending.kind, pending.filename, pending.settings)
        row = DataSource(
            id=pending.source_id,
            workspace_id=pending.member.workspace_id,
            name=(name or PurePath(pending.filename).stem)[:200],
            description=description,
            kind=pending.kind,
            filename=pending.filename[:500],
            storage_key=stored.key,
            size_bytes=stored.size,
            sha256=stored.sha256,
            n_rows=len(frame),
            n_columns=len(frame.columns),
            schema_=schema,
            preview=json_table(frame.head(PREVIEW_ROWS)),
            created_by=pending.member.user_id,
        )
        session.add(row)
        _record(session, row, "data_source.create")
        session.flush()  # the source row first: the profile job refers to it
        session.add(profile_job(row))  # a worker profiles every upload once (services/profiles)
        session.commit()
    except BaseException:
        session.rollback()
        pending.discard()
        raise
    return row


def profile_job(source: DataSource, target: str = "") -> DataProfile:
    """A queued profile job of ``source`` (``""``: no target); the caller adds and commits it."""
    return DataProfile(workspace_id=source.workspace_id, data_source_id=source.id, target=target)


def kind_of(filename: str) -> str:
    """``csv`` or ``parquet`` from the file name; InvalidInput otherwise."""
    kind = KINDS.get(PurePath(filename).suffix.lower())
    if kind is None:
        raise InvalidInput(
            f"cannot tell the format of {filename!r}; upload a .csv or .parquet file"
        )
    return kind


def json_table(frame: Any) -> dict[str, Any]:
    """A DataFrame as ``{columns, rows}`` with JSON-safe values (NaN → null, dates → ISO)."""
    rows = json.loads(frame.to_json(orient="records", date_format="iso", default_handler=str))
    return {"columns": [str(c) for c in frame.columns], "rows": rows}


def get(session: Session, user_id: uuid.UUID, source_id: uuid.UUID, role: str) -> DataSource:
    """A data source the caller may access with ``role``."""
    return access.fetch(session, DataSource, source_id, user_id, role, kind="data source")


def in_workspace(session: Session, workspace_id: uuid.UUID, source_id: uuid.UUID) -> DataSource:
    """A data source of ``workspace_id`` (other workspaces' ids are unknown here: 404)."""
    row = session.get(DataSource, source_id)
    if row is None or row.workspace_id != workspace_id:
        raise not_found("data source", source_id)
    return row


def storage_key(session: Session, source_id: uuid.UUID) -> str | None:
    """Where a data source's file is stored (None when the source is gone); for workers."""
    return session.scalar(select(DataSource.storage_key).where(DataSource.id == source_id))


def column_names(row: DataSource) -> list[str]:
    """Column names of a data source's inferred schema."""
    return [str(col["name"]) for col in row.schema_]


def delete(
    session: Session, store: ArtifactStore, user_id: uuid.UUID, source_id: uuid.UUID
) -> None:
    """Delete a data source and its file; refused (409) while runs or experiments use it."""
    row = get(session, user_id, source_id, "editor")
    usage.refuse_if_data_used(session, row.id)
    prefix = row.storage_key.rsplit("/", 1)[0]
    _record(session, row, "data_source.delete")
    session.delete(row)
    session.commit()
    store.delete_prefix(prefix)


def _record(session: Session, row: DataSource, action: str) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="data_source",
        resource_id=row.id,
        detail={"name": row.name, "sha256": row.sha256},
    )
