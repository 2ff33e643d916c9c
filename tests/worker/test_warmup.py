"""A worker whose fits run on Dask starts no local process pool, not even at ``setup``."""

from __future__ import annotations

import pytest

from podium.engine.run import executors
from podium.server.config import Settings
from podium.worker.warmup import warm_in_background


def test_a_dask_worker_turns_prestart_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(executors._prestart, "enabled", True)
    settings = Settings(dask_scheduler="tcp://127.0.0.1:1")  # never contacted
    assert warm_in_background(settings) is None
    assert executors._prestart["enabled"] is False
