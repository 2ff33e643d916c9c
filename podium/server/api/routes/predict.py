"""Predict: JSON rows and streamed CSV batches at ``/deployments/{slug}/predict[/csv]``.

Handlers are async so the body can be read under a size cap (413) before anything else;
database work and scoring run in worker threads. Each call is counted in the deployment's
persisted stats (after the response for successes; before the error response otherwise).
"""

from __future__ import annotations

import time
import uuid
from tempfile import SpooledTemporaryFile
from typing import IO, Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials
from starlette.datastructures import UploadFile

from podium.server.api.deps import SettingsDep, StoreDep, bearer, get_db
from podium.server.api.errors import STATUS
from podium.server.config import Settings
from podium.server.db.session import Database
from podium.server.errors import InvalidInput, PodiumError, TooLarge
from podium.server.schemas.serving import PredictRequest, PredictResponse
from podium.server.services import deployments, predictions
from podium.server.services.deployments import Caller
from podium.server.services.predictions import PipelineCache
from podium.server.storage import ArtifactStore

router = APIRouter(tags=["predict"])
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="Workspace API key (api-key deployments)"
)
SPOOL_IN_MEMORY = 8 * 1024 * 1024


def get_cache(request: Request) -> PipelineCache:
    """This process's cache of loaded pipelines (one per app)."""
    cache = getattr(request.app.state, "pipeline_cache", None)
    if cache is None:
        cache = request.app.state.pipeline_cache = PipelineCache()
    return cache


DbDep = Annotated[Database, Depends(get_db)]
CacheDep = Annotated[PipelineCache, Depends(get_cache)]
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
ApiKeyDep = Annotated[str | None, Depends(api_key_header)]
JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": PredictRequest.model_json_schema()}},
    }
}
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


@router.post(
    "/deployments/{slug}/predict",
    name="json",
    openapi_extra=JSON_BODY,
    responses={413: {"description": "body larger than PODIUM_MAX_PREDICT_BYTES"}},
)
async def predict_json(
    slug: str,
    request: Request,
    background: BackgroundTasks,
    settings: SettingsDep,
    db: DbDep,
    store: StoreDep,
    cache: CacheDep,
    credentials: BearerDep,
    api_key: ApiKeyDep,
) -> PredictResponse:
    """Score ``{"rows": [{column: value}]}``: predictions (+ class probabilities), latency."""
    started = time.perf_counter()
    caller = Caller(request_id=uuid.uuid4().hex)
    token = credentials.credentials if credentials else None
    try:
        body = await _read_json_body(request, settings.max_predict_bytes)
        result = await to_thread.run_sync(
            _serve_json, db, settings, store, cache, slug, caller, token, api_key, body
        )
    except PodiumError as exc:
        await to_thread.run_sync(_failed, db, caller, exc, started)
        raise
    latency = (time.perf_counter() - started) * 1000
    response = PredictResponse(**result, latency_ms=round(latency, 3), request_id=caller.request_id)
    background.add_task(_record, db, caller, 200, latency, response.model_dump())
    return response


@router.post(
    "/deployments/{slug}/predict/csv",
    name="csv",
    openapi_extra=CSV_BODY,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "the rows, scored"}},
)
async def predict_csv(
    slug: str,
    request: Request,
    settings: SettingsDep,
    db: DbDep,
    store: StoreDep,
    cache: CacheDep,
    credentials: BearerDep,
    api_key: ApiKeyDep,
) -> StreamingResponse:
    """Score a CSV (raw text/csv body, or multipart ``file``); streams the scored CSV back."""
    started = time.perf_counter()
    caller = Caller(request_id=uuid.uuid4().hex)
    token = credentials.credentials if credentials else None
    spool: IO[bytes] | None = None
    try:
        spool = await _spool_csv(request, settings.max_upload_bytes)
        loaded, reader, first = await to_thread.run_sync(
            _start_csv, db, settings, store, cache, slug, caller, token, api_key, spool
        )
    except PodiumError as exc:
        if spool is not None:
            spool.close()
        await to_thread.run_sync(_failed, db, caller, exc, started)
        raise
    source = spool

    def done(status: int, latency: float, info: dict[str, Any]) -> None:
        source.close()
        _record(db, caller, status, latency, info)

    headers = {
        "X-Request-ID": caller.request_id,
        "Content-Disposition": f'attachment; filename="{slug}-predictions.csv"',
    }
    stream = predictions.stream_csv(loaded, reader, first, done, started)
    return StreamingResponse(stream, media_type="text/csv", headers=headers)


def _serve_json(
    db: Database,
    settings: Settings,
    store: ArtifactStore,
    cache: PipelineCache,
    slug: str,
    caller: Caller,
    token: str | None,
    api_key: str | None,
    body: bytes,
) -> dict[str, Any]:
    with db.sessions() as session:
        dep = deployments.resolve(session, slug, caller)
        deployments.authorize(session, settings, dep, caller, token, api_key)
        result, sample = predictions.serve_rows(session, store, cache, dep.pipeline_id, body)
    caller.rows, caller.sample = len(result["predictions"]), {"sample": sample}
    return result


def _start_csv(
    db: Database,
    settings: Settings,
    store: ArtifactStore,
    cache: PipelineCache,
    slug: str,
    caller: Caller,
    token: str | None,
    api_key: str | None,
    spool: IO[bytes],
) -> tuple[predictions.Loaded, Any, bytes]:
    from podium.server.db.models import Pipeline

    with db.sessions() as session:
        dep = deployments.resolve(session, slug, caller)
        deployments.authorize(session, settings, dep, caller, token, api_key)
        row = session.get_one(Pipeline, dep.pipeline_id)
        loaded = cache.get(store, row)
    spool.seek(0)
    reader, first = predictions.first_chunk(loaded, spool)
    caller.sample = {"format": "csv"}
    return loaded, reader, first


def _failed(db: Database, caller: Caller, exc: PodiumError, started: float) -> None:
    status = STATUS.get(type(exc), 400)
    _record(db, caller, status, (time.perf_counter() - started) * 1000, {"detail": exc.detail})


def _record(
    db: Database, caller: Caller, status: int, latency: float, response: dict[str, Any]
) -> None:
    with db.sessions() as session:
        deployments.record(session, caller, status, latency, response)


def _too_large(cap: int, what: str) -> TooLarge:
    return TooLarge(f"{what} is larger than the {cap} byte limit; send fewer rows per request")


async def _read_json_body(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise _too_large(cap, "the request body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise _too_large(cap, "the request body")
        chunks.append(chunk)
    return b"".join(chunks)


async def _spool_csv(request: Request, cap: int) -> IO[bytes]:
    """The CSV bytes in a spooled temp file (raw body or the multipart ``file`` field)."""
    spool: IO[bytes] = SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            async with request.form(max_files=1, max_fields=10) as form:
                upload = form.get("file")
                if not isinstance(upload, UploadFile):
                    raise InvalidInput("send the CSV as the multipart field 'file'")
                while chunk := await upload.read(1024 * 1024):
                    size += len(chunk)
                    if size > cap:
                        raise _too_large(cap, "the CSV")
                    spool.write(chunk)
        else:
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise _too_large(cap, "the CSV")
                spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    if size == 0:
        spool.close()
        raise InvalidInput("the CSV is empty; send a header row and data rows")
    return spool
