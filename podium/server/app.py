"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from podium import __version__
from podium.engine.standalone import serve
from podium.server import observability
from podium.server.api import errors, forms, logs, spa, unmatched
from podium.server.api.call_threads import CallThreads
from podium.server.api.headers import SecurityHeaders
from podium.server.api.listen import start_listener
from podium.server.api.live import EventHub
from podium.server.api.routes import API_ROUTERS, health, metrics
from podium.server.config import Settings, get_settings
from podium.server.db.session import Database
from podium.server.services import preload, queue
from podium.server.services.models import warm_plots
from podium.server.services.predict_stats import StatsBuffer
from podium.server.services.predictions import PipelineCache
from podium.server.storage import LocalArtifactStore
from podium.server.throttle import AttemptLimiter, hashing_slots

API_PREFIX = "/api/v1"
UPLOAD_SUFFIXES = ("/upload", "/predict/csv")
log = logging.getLogger("podium.server")


def operation_id(route: APIRoute) -> str:
    """Clean operation ids for the generated web client: ``<tag>-<name>`` (e.g. ``runs-get``)."""
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name}".replace("_", "-")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app: routes, error table, lifespan (event hub, lease reaper), SPA."""
    settings = settings or get_settings()
    serve()  # the warning filters every request thread shares, installed once
    app = FastAPI(
        title="Podium",
        version=__version__,
        summary="Self-hosted AutoML studio API",
        generate_unique_id_function=operation_id,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = Database(settings.database_url, settings.database_connect_timeout_s)
    app.state.store = LocalArtifactStore(settings.artifact_root)
    app.state.hub = EventHub(app.state.db, settings.events_poll_s)
    app.state.attempts = AttemptLimiter(
        settings.login_attempts_per_account,
        settings.login_attempts_per_client,
        settings.login_window_s,
    )
    app.state.hashing = CapacityLimiter(hashing_slots())
    app.state.metrics = observability.metrics_registry(app.state.db, settings.worker_stale_s)
    app.state.pipeline_cache = PipelineCache(settings.pipeline_cache_size, settings.serve_onnx)
    app.state.predict_stats = StatsBuffer(app.state.db)  # its flusher starts with the first call
    app.state.call_threads = CallThreads()  # JSON predict calls' hop off the event loop
    errors.install(app)
    logs.install()
    observability.configure_logging(settings)
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    unmatched.install(app, "/api")  # after every API route: 404/405 JSON, never the web app
    app.include_router(health.router)
    app.include_router(metrics.router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.add_middleware(UploadCap, max_bytes=settings.max_upload_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: early answers get the headers too
    spa.mount(app, settings.web_dist)
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    stopping = asyncio.Event()
    reaper = asyncio.get_running_loop().create_task(_reap_forever(app, stopping))
    # deployed pipelines load now and as other processes deploy, never inside a predict call
    preloader = asyncio.get_running_loop().create_task(_preload_forever(app, stopping))
    listener = start_listener(app.state.db.url, app.state.hub)
    # scikit-learn's metrics load in the background now, not inside the first plot request
    # (1-6 s, the whole of that request's time); the API answers meanwhile
    warm_plots()
    try:
        yield
    finally:
        # not reaper.cancel(): a cancelled to_thread call leaves its thread holding a pooled
        # connection past dispose() (leaked, then a ResourceWarning when collected)
        stopping.set()
        await reaper
        await preloader
        if listener is not None:
            listener.stop(timeout=0)  # its thread closes its own connection within WAIT_S
        await app.state.hub.close()
        await to_thread.run_sync(app.state.call_threads.close)  # calls in flight are counted
        await to_thread.run_sync(app.state.predict_stats.close)  # pending predict stats
        app.state.db.dispose()


async def _reap_forever(app: FastAPI, stopping: asyncio.Event) -> None:
    """End runs whose worker stopped heartbeating, even when no worker is left to do it."""
    settings: Settings = app.state.settings
    db: Database = app.state.db
    while not stopping.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), max(1.0, settings.lease_s / 3))
            return
        try:
            await to_thread.run_sync(_reap_once, db)
        except Exception:
            log.exception("lease reaper failed")


async def _preload_forever(app: FastAPI, stopping: asyncio.Event) -> None:
    """Load the pipelines of active deployments at start-up, then every preload_every_s."""
    settings: Settings = app.state.settings
    state = app.state
    frozen: int | None = None  # the cache's change count when the heap was last frozen
    while not stopping.is_set():
        try:
            await to_thread.run_sync(preload.preload, state.db, state.store, state.pipeline_cache)
        except Exception:
            log.exception("preloading deployed pipelines failed")
        if state.pipeline_cache.changes != frozen:  # start-up, or a pipeline loaded or evicted
            frozen = state.pipeline_cache.changes
            refreeze()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), settings.preload_every_s)


def refreeze() -> None:
    """Put what this process holds for good (libraries, loaded pipelines) out of the
    collector's walks: thaw the earlier freeze, collect once (an evicted pipeline's cycles
    go now), freeze what is left.

    A full collection walks every object that is not frozen. Unfrozen, a loaded LightGBM
    pipeline and its libraries are ~130,000 objects: 56–90 ms of CPU per full collection,
    which ran every few seconds under load with the GIL held and every request of the process
    waiting (bench/RESULTS.md, "what stalls a predict call"). Frozen, a full collection walks
    what requests left behind. Run at start-up and after each change of the pipeline cache
    (deploy, preload, eviction): one full walk each, not one every few seconds.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _reap_once(db: Database) -> None:
    with db.sessions() as session:
        for job in queue.reap_all(session):
            log.warning("%s failed: worker lost (lease expired)", job)


class UploadCap:
    """Refuse uploads whose declared size exceeds the cap before reading the body (413).

    Bodies without a Content-Length are counted while they are read (``api/forms.py``).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check ``Content-Length`` on upload routes."""
        if scope["type"] == "http" and str(scope["path"]).endswith(UPLOAD_SUFFIXES):
            headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
            declared = headers.get(b"content-length", b"0")
            if declared.isdigit() and int(declared) > self.max_bytes + forms.FORM_OVERHEAD:
                refused = forms.too_large(self.max_bytes, "PODIUM_MAX_UPLOAD_BYTES")
                response: Any = JSONResponse({"detail": refused.detail}, status_code=413)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
