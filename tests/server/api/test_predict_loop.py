"""What a predict call does on the API process's event loop: nothing that hands the GIL to the
worker threads and waits to get it back (bench/RESULTS.md, "The event loop's share of a
predict call")."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import anyio
import pytest

from tests.server.api.serving import asgi_post, deploy, ready_pipeline
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


class TestCallThreads:
    def test_predict_answers_while_anyios_thread_pool_is_taken(self, world: World) -> None:
        """JSON predict calls hop to their own threads: with every token of anyio's default
        thread pool borrowed (by other routes' sync work), a predict call still answers, and
        as the pool's own threads would have answered it."""
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="ids")
        expected = _predict(world)
        body = json.dumps({"rows": [ROW]}).encode()

        async def call_with_the_pool_taken() -> tuple[int, list[bytes]]:
            limiter = anyio.to_thread.current_default_thread_limiter()
            limiter.total_tokens = 1
            taken, done = anyio.Event(), anyio.Event()

            async def take() -> None:
                async with limiter:
                    taken.set()
                    await done.wait()

            async with anyio.create_task_group() as tg:
                tg.start_soon(take)
                await taken.wait()
                try:
                    with anyio.fail_after(20):
                        path = "/api/v1/deployments/ids/predict"
                        return await asgi_post(world.client.app, path, body, "application/json")
                finally:
                    done.set()

        status, chunks = anyio.run(call_with_the_pool_taken)
        assert status == 200
        got = json.loads(b"".join(chunks))
        assert got["predictions"] == expected["predictions"]
        assert got["probabilities"] == expected["probabilities"]


def _predict(world: World) -> Any:
    r = world.client.post("/api/v1/deployments/ids/predict", json={"rows": [ROW]})
    assert r.status_code == 200, r.text
    return r.json()
