"""Data sources: upload, list, get, preview, delete."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile, status

from podium.server.api.deps import CurrentUser, SessionDep, SettingsDep, StoreDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.errors import TooLarge
from podium.server.schemas.data_sources import DataSourceList, DataSourcePreview, DataSourceRead
from podium.server.services import data_sources

router = APIRouter(tags=["data-sources"])
MULTIPART_OVERHEAD = 64 * 1024


@router.get("/workspaces/{ws}/data-sources", name="list", responses=errors(401, 404, 422))
def list_data_sources(member: WorkspaceMember, session: SessionDep) -> DataSourceList:
    """Uploaded data sources of a workspace, newest first."""
    rows = data_sources.list_sources(session, member)
    return DataSourceList(data=[DataSourceRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/workspaces/{ws}/data-sources/upload",
    name="upload",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 413, 422),
)
def upload_data_source(
    request: Request,
    member: WorkspaceMember,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    file: Annotated[UploadFile, File(description="A .csv or .parquet file")],
    name: Annotated[str | None, Form(max_length=200)] = None,
    description: Annotated[str, Form(max_length=10_000)] = "",
) -> DataSourceRead:
    """Upload a CSV or Parquet file (editors); it is profiled with the engine."""
    declared = int(request.headers.get("content-length") or 0)
    if declared > settings.max_upload_bytes + MULTIPART_OVERHEAD:
        raise TooLarge(f"upload is larger than the {settings.max_upload_bytes} byte limit")
    row = data_sources.upload(
        session, store, settings, member, file.file, file.filename or "", name, description
    )
    return DataSourceRead.model_validate(row)


@router.get("/data-sources/{source_id}", name="get", responses=errors(401, 404, 422))
def get_data_source(source_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> DataSourceRead:
    """One data source with its inferred schema."""
    row = data_sources.get(session, user.id, source_id, "viewer")
    return DataSourceRead.model_validate(row)


@router.get("/data-sources/{source_id}/preview", name="preview", responses=errors(401, 404, 422))
def preview_data_source(
    source_id: uuid.UUID, session: SessionDep, user: CurrentUser
) -> DataSourcePreview:
    """The first rows of a data source."""
    row = data_sources.get(session, user.id, source_id, "viewer")
    return DataSourcePreview.model_validate(row.preview)


@router.delete(
    "/data-sources/{source_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def delete_data_source(
    source_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> None:
    """Delete a data source (editors; 409 while runs or experiments use it)."""
    data_sources.delete(session, store, user.id, source_id)
