"""Engine events → event rows, each in the same transaction as the run state it implies."""

from __future__ import annotations

import math
import threading
import uuid
from typing import TYPE_CHECKING, Any

from podium.server.db.session import Database
from podium.server.services import queue

if TYPE_CHECKING:
    from podium.engine import EngineEvent


def jsonable(value: Any) -> Any:
    """Plain JSON: numpy scalars → Python, NaN/inf → null, tuples → lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item"):
        return jsonable(value.item())
    return str(value)


class EventWriter:
    """The ``on_event`` callback the engine gets (an ``OnEvent``).

    Each event is one transaction (``services/queue.write_event``): a guarded touch of the run
    row (still ``running`` and still ours; ``leaderboard.updated`` also stores the table) plus
    the event row. If the guard fails (the lease was reaped), nothing is written and
    :attr:`lost` turns true so the run stops.
    """

    def __init__(
        self, db: Database, run_id: uuid.UUID, workspace_id: uuid.UUID, worker_id: str
    ) -> None:
        self.db = db
        self.run_id = run_id
        self.workspace_id = workspace_id
        self.worker_id = worker_id
        self.lost = False
        self.leaderboard: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def __call__(self, event: EngineEvent) -> None:
        """Record one engine event."""
        self.emit(event.kind, event.payload, event.duration_ms)

    def emit(self, kind: str, payload: dict[str, Any], duration_ms: int | None = None) -> None:
        """Record one event by kind."""
        body: dict[str, Any] = jsonable(payload)
        with self._lock, self.db.sessions() as session:
            if self.lost:
                return
            written = queue.write_event(
                session, self.run_id, self.workspace_id, self.worker_id, kind, body, duration_ms
            )
            if not written:
                self.lost = True
            elif kind == "leaderboard.updated" and isinstance(body.get("leaderboard"), dict):
                self.leaderboard = body["leaderboard"]
