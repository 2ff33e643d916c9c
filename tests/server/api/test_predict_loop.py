"""What a predict call does on the API process's event loop: nothing that hands the GIL to the
worker threads and waits to get it back (bench/RESULTS.md, "The event loop's share of a
predict call")."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}
CALLS = 40


class TestRequestIds:
    def test_ids_are_random_v4_uuids_drawn_from_the_os_in_blocks(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each call's request id is a distinct random version-4 UUID (hex), and the OS's
        generator is not called once per call: ``os.urandom`` releases the GIL around its
        system call, so on the event loop each call waited for a worker thread to give it back."""
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="ids")
        draws: list[int] = []
        real = os.urandom

        def counted(n: int) -> bytes:
            draws.append(n)
            return real(n)

        monkeypatch.setattr(os, "urandom", counted)
        ids = [_predict(world)["request_id"] for _ in range(CALLS)]
        monkeypatch.undo()
        assert len(set(ids)) == CALLS
        assert all(len(i) == 32 and uuid.UUID(hex=i).version == 4 for i in ids)
        assert len(draws) < CALLS // 4  # today: one per call


def _predict(world: World) -> Any:
    r = world.client.post("/api/v1/deployments/ids/predict", json={"rows": [ROW]})
    assert r.status_code == 200, r.text
    return r.json()
