"""The run events WebSocket: replay, live delivery, resume without gap or duplicate, close codes.

Live events are written by another thread through the same service the worker uses, into the
database the app polls — the app never hears about them in-process.
"""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from podium.server.db.session import Database
from podium.server.services import events, queue
from podium.worker.events import EventWriter
from tests.conftest import new_id
from tests.server.conftest import World


def _url(run_id: str, token: str, after_id: int | None = None) -> str:
    url = f"/api/v1/runs/{run_id}/events/ws?token={token}"
    return url if after_id is None else f"{url}&after_id={after_id}"


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


def _running(world: World) -> tuple[str, EventWriter]:
    run = world.run(world.experiment(world.project()))
    with _db(world).sessions() as session:
        claimed = queue.claim(session, queue.RUNS, "w1", 30)
        assert claimed is not None
        writer = EventWriter(_db(world), claimed.id, claimed.workspace_id, "w1")
    return str(run["id"]), writer


def _finish(world: World, run_id: str) -> None:
    with _db(world).sessions() as session:
        assert queue.finish(
            session, queue.RUNS, uuid.UUID(run_id), "w1", {"status": "succeeded", "result": {}}
        )


def _collect(client: TestClient, url: str) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    with client.websocket_connect(url) as ws:
        while True:
            event = ws.receive_json()
            received.append(event)
            if event["kind"] == "run.closed":
                with pytest.raises(WebSocketDisconnect) as closed:
                    ws.receive_json()
                assert closed.value.code == 1000
                return received


class TestReplay:
    def test_finished_run_replays_everything_then_closes(self, world: World) -> None:
        run_id, writer = _running(world)
        for fold in range(3):
            writer.emit("model.fitted", {"model_id": "dt", "fold": fold}, 5)
        _finish(world, run_id)
        events = _collect(world.client, _url(run_id, world.viewer.token))
        assert [e["kind"] for e in events] == [
            "run.started",
            *["model.fitted"] * 3,
            "run.finished",
            "run.closed",
        ]
        assert [e["id"] for e in events] == sorted({e["id"] for e in events})
        rest = world.client.get(f"/api/v1/runs/{run_id}/events", headers=world.viewer.headers)
        assert events == rest.json()["data"]


class TestLive:
    def test_events_written_elsewhere_arrive_live(self, world: World) -> None:
        run_id, writer = _running(world)

        def produce() -> None:
            for fold in range(5):
                time.sleep(0.05)
                writer.emit("model.fitted", {"model_id": "nb", "fold": fold}, 1)
            writer.emit("leaderboard.updated", {"leaderboard": {"columns": ["Model"], "rows": []}})
            _finish(world, run_id)

        with world.client.websocket_connect(_url(run_id, world.owner.token)) as ws:
            first = ws.receive_json()
            assert first["kind"] == "run.started"
            producer = threading.Thread(target=produce)
            producer.start()
            kinds = []
            while not kinds or kinds[-1] != "run.closed":
                kinds.append(ws.receive_json()["kind"])
            producer.join()
        assert kinds == [*["model.fitted"] * 5, "leaderboard.updated", "run.finished", "run.closed"]
        run = world.client.get(f"/api/v1/runs/{run_id}", headers=world.owner.headers).json()
        assert run["leaderboard"] == {"columns": ["Model"], "rows": []}


class TestResume:
    def test_after_id_has_no_gap_and_no_duplicate(self, world: World) -> None:
        run_id, writer = _running(world)
        for fold in range(4):
            writer.emit("model.fitted", {"fold": fold})
        with world.client.websocket_connect(_url(run_id, world.owner.token)) as ws:
            seen = [ws.receive_json() for _ in range(3)]
        for fold in range(4, 6):
            writer.emit("model.fitted", {"fold": fold})
        _finish(world, run_id)
        rest = _collect(world.client, _url(run_id, world.owner.token, seen[-1]["id"]))
        every = world.client.get(f"/api/v1/runs/{run_id}/events", headers=world.owner.headers)
        assert seen + rest == every.json()["data"]
        folds = [e["payload"]["fold"] for e in seen + rest if e["kind"] == "model.fitted"]
        assert folds == list(range(6))

    def test_nothing_is_sent_after_the_sentinel(self, world: World) -> None:
        """A promote writes ``pipeline.created`` after ``run.closed``: REST lists it, a live or
        resumed socket never sends it (the stream ended at the sentinel)."""
        run_id, _writer = _running(world)
        _finish(world, run_id)
        with _db(world).sessions() as session:
            events.add_for(
                session, uuid.UUID(run_id), uuid.UUID(world.ws), "pipeline.created", {"name": "p"}
            )
            session.commit()
        live = _collect(world.client, _url(run_id, world.owner.token))
        assert [e["kind"] for e in live][-2:] == ["run.finished", "run.closed"]
        resumed = _url(run_id, world.owner.token, live[-1]["id"])
        with (
            world.client.websocket_connect(resumed) as ws,
            pytest.raises(WebSocketDisconnect) as closed,
        ):
            ws.receive_json()
        assert closed.value.code == 1000
        every = world.client.get(f"/api/v1/runs/{run_id}/events", headers=world.owner.headers)
        assert [e["kind"] for e in every.json()["data"]][-1] == "pipeline.created"


class TestCloseCodes:
    @pytest.mark.parametrize(
        ("who", "run", "code"),
        [
            ("bad-token", "real", 4401),
            ("missing-token", "real", 4401),
            ("outsider", "real", 4403),
            ("owner", "unknown", 4404),
            ("owner", "malformed", 4404),
        ],
    )
    def test_codes(self, world: World, who: str, run: str, code: int) -> None:
        real = world.run(world.experiment(world.project()))["id"]
        run_id = {"real": real, "unknown": new_id(), "malformed": "nope"}[run]
        token = {
            "bad-token": world.owner.token + "x",
            "missing-token": "",
            "outsider": world.outsider.token,
            "owner": world.owner.token,
        }[who]
        with (
            world.client.websocket_connect(_url(run_id, token)) as ws,
            pytest.raises(WebSocketDisconnect) as closed,
        ):
            ws.receive_json()
        assert closed.value.code == code
