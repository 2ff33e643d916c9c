"""Data sources: upload, list, get, preview, delete."""

from __future__ import annotations

import uuid

from anyio import to_thread
from fastapi import APIRouter, Request, status

from podium.server.api import forms
from podium.server.api.deps import CurrentUser, SessionDep, SettingsDep, StoreDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.data_sources import DataSourceList, DataSourcePreview, DataSourceRead
from podium.server.services import data_sources

router = APIRouter(tags=["data-sources"])
FIELDS = {"name": 200, "description": 10_000}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A .csv or .parquet file (name ≤ 255 characters)",
                        },
                        "name": {"type": "string", "maxLength": FIELDS["name"]},
                        "description": {"type": "string", "maxLength": FIELDS["description"]},
                    },
                    "required": ["file"],
                }
            }
        },
    }
}


@router.get("/workspaces/{ws}/data-sources", name="list", responses=errors(401, 404, 422))
def list_data_sources(member: WorkspaceMember, session: SessionDep) -> DataSourceList:
    """Uploaded data sources of a workspace, newest first."""
    rows = data_sources.list_sources(session, member)
    return DataSourceList(data=[DataSourceRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/workspaces/{ws}/data-sources/upload",
    name="upload",
    status_code=status.HTTP_201_CREATED,
    openapi_extra=UPLOAD_BODY,
    responses=errors(
        401,
        403,
        404,
        413,
        422,
        notes={
            413: "The file, or the table it holds, is over an upload limit (PODIUM_MAX_UPLOAD_*)"
        },
    ),
)
async def upload_data_source(
    request: Request,
    member: WorkspaceMember,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
) -> DataSourceRead:
    """Upload a CSV or Parquet file (editors); it is profiled with the engine.

    The caller is checked from the headers before the body is read; the file streams into
    the store and is refused (413) at the first byte past PODIUM_MAX_UPLOAD_BYTES.
    """
    pending = data_sources.begin_upload(store, settings, member)
    await to_thread.run_sync(session.close)  # hold no database connection while bytes arrive
    try:
        form = await forms.read_form(
            request,
            open_file=pending.open,
            max_file_bytes=settings.max_upload_bytes,
            setting="PODIUM_MAX_UPLOAD_BYTES",
            fields=FIELDS,
        )
    except BaseException:
        await to_thread.run_sync(pending.discard)
        raise
    name, description = form.fields.get("name"), form.fields.get("description", "")
    row = await to_thread.run_sync(data_sources.finish_upload, session, pending, name, description)
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
