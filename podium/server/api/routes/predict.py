"""Predict: JSON rows and streamed CSV batches at ``/deployments/{slug}/predict[/csv]``.

Handlers are async so the body can be read under a size cap (413) before anything else. One
worker-thread hop per JSON call (to the app's ``CallThreads``) does the database work (one
query resolves the deployment and checks the caller) and the scoring. Each call is counted
in this process's stats buffer (``services/predict_stats.py``), which a background thread
writes to the deployment row.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from tempfile import SpooledTemporaryFile
from typing import IO, Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from podium.server.api import forms
from podium.server.api.call_threads import CallThreads
from podium.server.api.deps import bearer
from podium.server.api.errors import STATUS
from podium.server.api.responses import errors, not_audited
from podium.server.config import Settings
from podium.server.db.session import Database
from podium.server.errors import InvalidInput, PodiumError, TooLarge
from podium.server.schemas.predict import PredictRequest, PredictResponse
from podium.server.security import RandomIds
from podium.server.services import api_keys, csv_predictions, deployments, predictions
from podium.server.services.deployments import Caller, Target
from podium.server.services.predict_stats import StatsBuffer
from podium.server.services.predictions import PipelineCache
from podium.server.storage import ArtifactStore

router = APIRouter(tags=["predict"])
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="Workspace API key (api-key deployments)"
)
SPOOL_IN_MEMORY = 8 * 1024 * 1024
CSV_TOO_LARGE = "CSV larger than PODIUM_MAX_UPLOAD_BYTES"
REQUEST_IDS = RandomIds()  # no system call per call on the event loop (security.RandomIds)


@dataclass
class PredictContext:
    """Everything one predict call needs, resolved from the request by one dependency."""

    slug: str
    settings: Settings
    db: Database
    store: ArtifactStore
    cache: PipelineCache
    stats: StatsBuffer
    threads: CallThreads
    token: str | None
    api_key: str | None
    caller: Caller = field(default_factory=lambda: Caller(request_id=REQUEST_IDS.hex()))
    started: float = field(default_factory=time.perf_counter)

    def elapsed_ms(self) -> float:
        """Milliseconds since the call started."""
        return (time.perf_counter() - self.started) * 1000

    def resolve(self, db: Session | Connection) -> Target:
        """The deployment, if this caller may use it now; records the API key's use."""
        target = deployments.resolve(
            db, self.settings, self.slug, self.caller, self.token, self.api_key
        )
        key_id = self.caller.api_key_id
        if key_id is not None and self.stats.key_due(key_id):
            api_keys.touch(db, key_id)
        return target

    def failed(self, exc: PodiumError) -> None:
        """Count a refused call, with its status and detail."""
        status = STATUS.get(type(exc), 400)
        self.stats.add(self.caller, status, self.elapsed_ms(), {"detail": exc.detail})


async def predict_context(
    slug: str,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> PredictContext:
    """The call's context: settings, database, store, caches, and the credentials sent.

    Async and reading ``app.state`` itself: a plain ``def`` dependency would cost a trip
    through the thread pool per call, and each sub-dependency FastAPI solves costs the
    event loop ~30 µs per call (only the credentials are dependencies: they document the
    route's security in OpenAPI).
    """
    state = request.app.state
    token = credentials.credentials if credentials else None
    return PredictContext(
        slug,
        state.settings,
        state.db,
        state.store,
        state.pipeline_cache,
        state.predict_stats,
        state.call_threads,
        token,
        api_key,
    )


PredictDep = Annotated[PredictContext, Depends(predict_context)]
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


JsonServe = Callable[["PredictContext", bytes], dict[str, Any]]
PREDICTION = "a prediction changes nothing; the deployment's statistics and log record it"


@router.post(
    "/deployments/{slug}/predict",
    name="json",
    openapi_extra=not_audited(PREDICTION, JSON_BODY),
    response_model=PredictResponse,
    responses=errors(
        401, 403, 404, 409, 413, 422, notes={413: "Body larger than PODIUM_MAX_PREDICT_BYTES"}
    ),
)
async def predict_json(request: Request, ctx: PredictDep) -> Response:
    """Score ``{"rows": [{column: value}]}``: predictions (+ class probabilities), latency."""
    return await answer_json(request, ctx, _serve_json)


async def answer_json(request: Request, ctx: PredictContext, serve: JsonServe) -> Response:
    """A JSON call to a deployment (predict, forecast): read the capped body, ``serve`` it off
    the event loop (on the predict calls' own threads), then time, count and answer it; a
    refusal is counted and re-raised."""
    try:
        body = await _read_json_body(request, ctx.settings.max_predict_bytes)
        result = await ctx.threads.run(serve, ctx, body)
    except PodiumError as exc:
        ctx.failed(exc)
        raise
    latency = ctx.elapsed_ms()
    result["latency_ms"], result["request_id"] = round(latency, 3), ctx.caller.request_id
    ctx.stats.add(ctx.caller, 200, latency, result)
    content = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(content, media_type="application/json")


@router.post(
    "/deployments/{slug}/predict/csv",
    name="csv",
    openapi_extra=not_audited(PREDICTION, CSV_BODY),
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "the rows, scored"},
        **errors(401, 403, 404, 409, 413, 422, notes={413: CSV_TOO_LARGE}),
    },
)
async def predict_csv(request: Request, ctx: PredictDep) -> StreamingResponse:
    """Score a CSV (raw text/csv body, or multipart ``file``); streams the scored CSV back.

    The caller is checked (and the pipeline loaded) before the body is read; the body is
    counted while it arrives and refused (413) past PODIUM_MAX_UPLOAD_BYTES.
    """
    spool: IO[bytes] | None = None
    try:
        loaded = await to_thread.run_sync(_resolve_csv, ctx)
        spool = await _spool_csv(request, ctx.settings.max_upload_bytes)
        reader, first = await to_thread.run_sync(_first_csv_chunk, ctx, loaded, spool)
    except PodiumError as exc:
        if spool is not None:
            spool.close()
        ctx.failed(exc)
        raise
    source = spool

    def done(status: int, latency: float, info: dict[str, Any]) -> None:
        source.close()
        ctx.stats.add(ctx.caller, status, latency, info)

    headers = {
        "X-Request-ID": ctx.caller.request_id,
        "Content-Disposition": f'attachment; filename="{ctx.slug}-predictions.csv"',
    }
    stream = csv_predictions.stream_csv(loaded, reader, first, done, ctx.started)
    return StreamingResponse(stream, media_type="text/csv", headers=headers)


def _serve_json(ctx: PredictContext, body: bytes) -> dict[str, Any]:
    with ctx.db.engine.connect() as connection:  # one Core read: no ORM session (~50 µs)
        target = ctx.resolve(connection)
    load = partial(predictions.cached_or_loaded, ctx.db, ctx.store, ctx.cache, target)
    result, sample = predictions.serve_rows(load, body)
    ctx.caller.rows, ctx.caller.sample = len(result["predictions"]), {"sample": sample}
    return result


def _resolve_csv(ctx: PredictContext) -> predictions.Loaded:
    with ctx.db.sessions() as session:
        target = ctx.resolve(session)
        return predictions.loaded_for(session, ctx.store, ctx.cache, target)


def _first_csv_chunk(
    ctx: PredictContext, loaded: predictions.Loaded, spool: IO[bytes]
) -> tuple[Any, bytes]:
    spool.seek(0)
    reader, first = csv_predictions.first_chunk(loaded, spool)
    ctx.caller.sample = {"format": "csv"}
    return reader, first


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
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await forms.read_form(
                request,
                open_file=lambda _filename: spool,
                max_file_bytes=cap,
                setting="PODIUM_MAX_UPLOAD_BYTES",
            )
            if form.filename is None:
                raise InvalidInput("send the CSV as the multipart field 'file'")
            size = form.file_size
        else:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise forms.too_large(cap, "PODIUM_MAX_UPLOAD_BYTES", "the CSV")
                spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    if size == 0:
        spool.close()
        raise InvalidInput("the CSV is empty; send a header row and data rows")
    return spool
