"""Warm the engine's local process pool when a worker starts, so the first run's first row is
not paid for by pool start-up and imports in every pool process (seconds on a small machine)."""

from __future__ import annotations

import logging
import threading

from podium.engine.run.executors import set_prestart
from podium.server.config import Settings

log = logging.getLogger(__name__)
WARMUP_TIMEOUT_S = 300


def warm_in_background(settings: Settings) -> threading.Thread | None:
    """Start the warm-up thread (nothing to do with Dask, whose workers live elsewhere; nor
    does the engine's ``setup`` start a local pool then)."""
    if settings.dask_scheduler is not None:
        set_prestart(False)
    if settings.dask_scheduler is not None or not settings.worker_warmup:
        return None
    thread = threading.Thread(target=_warm, name="pool-warmup", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    try:
        from podium.engine import ProcessExecutor

        executor = ProcessExecutor()  # the reusable pool the runs use (same arguments)
        executor.warm(timeout=WARMUP_TIMEOUT_S)
        log.info("engine pool warm (%d processes)", executor.slots)
    except Exception:  # warm-up is an optimisation; runs work without it
        log.warning("engine pool warm-up failed; the first run will start it", exc_info=True)
