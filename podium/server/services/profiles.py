"""Data source profiles: one per (data source, target), computed by a worker, stored as JSON.

An upload queues its source's profile without a target (``data_sources.finish_upload``). Asking
for a target's profile (``?target=``, as the wizard does once a target is picked) queues that
one on first ask; each is computed once and then read from the artifact store, under the data
source's folder (deleted with it).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from podium.server.db.models import DataProfile, DataSource
from podium.server.errors import Conflict, InvalidInput
from podium.server.services import data_sources
from podium.server.storage import ArtifactStore

PROFILE_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class ProfileState:
    """What the API answers: the stored profile when done, else the job's status."""

    row: DataProfile
    profile: dict[str, Any] | None


def folder_key(workspace_id: uuid.UUID, source_id: uuid.UUID) -> str:
    """Where a data source's profiles are stored: under the data source's own folder."""
    return f"workspaces/{workspace_id}/data/{source_id}/profiles"


def artifact_key(row: DataProfile) -> str:
    """The stored JSON of one profile."""
    return f"{folder_key(row.workspace_id, row.data_source_id)}/{row.id}.json"


def read(
    session: Session,
    store: ArtifactStore,
    user_id: uuid.UUID,
    source_id: uuid.UUID,
    target: str | None,
) -> ProfileState:
    """A data source's profile (viewers): the stored one, or its job's state (queued on the
    first ask for a target); Conflict when it failed."""
    source = data_sources.get(session, user_id, source_id, "viewer")
    name = _check_target(source, target)
    row = _job(session, source, name)
    if row.status == "failed":
        raise Conflict(
            f"the profile of data source {source.name!r} could not be computed: {row.error}"
        )
    if row.status != "done" or row.artifact_key is None:
        return ProfileState(row, None)
    with store.open(row.artifact_key) as handle:
        return ProfileState(row, json.loads(handle.read(PROFILE_MAX_BYTES)))


def _check_target(source: DataSource, target: str | None) -> str:
    if target is None or target == "":
        return ""
    names = data_sources.column_names(source)
    if target not in names:
        shown = ", ".join(repr(n) for n in names[:20])
        more = f" (and {len(names) - 20} more)" if len(names) > 20 else ""
        raise InvalidInput(
            f"target: {target!r} is not a column of data source {source.name!r}; "
            f"its columns are {shown}{more}"
        )
    return target


def _job(session: Session, source: DataSource, target: str) -> DataProfile:
    """The profile job of (source, target), queued now if there is none yet."""
    query = select(DataProfile).where(
        DataProfile.data_source_id == source.id, DataProfile.target == target
    )
    row = session.scalar(query)
    if row is not None:
        return row
    row = data_sources.profile_job(source, target)
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # another request queued it first
        session.rollback()
        return session.scalars(query).one()
    return row


def job_source(session: Session, row: DataProfile) -> tuple[str, str | None] | None:
    """For a worker: the stored table's key and the target of a profile job (None: the data
    source is gone)."""
    key = data_sources.storage_key(session, row.data_source_id)
    session.rollback()
    return None if key is None else (key, row.target or None)
