"""The run events WebSocket: stored events after ``after_id``, then live ones, then close.

Close codes: 4401 bad or expired token, 4403 no access to the run's workspace, 4404 unknown
run, 1000 after ``run.closed`` (nothing after the sentinel is ever sent: a socket resumed at or
past it closes 1000 at once). The socket is accepted before closing with an error code, because
a browser never sees the code of a handshake that is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from podium.server.api.live import EventHub, Subscription
from podium.server.db.session import Database
from podium.server.errors import Forbidden, NotFound, PodiumError, Unauthorized
from podium.server.security import AccessClaims, decode_access_token
from podium.server.services import accounts, events, runs

router = APIRouter(tags=["runs"])
BATCH = 500
SAFETY_POLL_S = 2.0
CLOSE_CODES: dict[type[PodiumError], int] = {Unauthorized: 4401, Forbidden: 4403, NotFound: 4404}


@router.websocket("/runs/{run_id}/events/ws", name="events_ws")
async def run_events_ws(websocket: WebSocket, run_id: str) -> None:
    """Stream a run's events (query: ``token`` = access token, ``after_id`` = resume point)."""
    await websocket.accept()
    db: Database = websocket.app.state.db
    try:
        run_uuid, after_id = _parse(run_id, websocket.query_params.get("after_id", "0"))
        claims = decode_access_token(
            websocket.query_params.get("token", ""), websocket.app.state.settings.signing_key
        )
        closed_id = await to_thread.run_sync(_authorize, db, claims, run_uuid)
    except PodiumError as exc:
        await websocket.close(code=CLOSE_CODES.get(type(exc), 4400), reason=exc.detail[:120])
        return
    if closed_id is not None and after_id >= closed_id:
        # Resumed at or past the sentinel: the stream has ended. Events recorded after it
        # (``pipeline.created``, a ``pipeline_failed`` warning) are REST-only (docs/contracts.md).
        await websocket.close(code=1000)
        return
    hub: EventHub = websocket.app.state.hub
    sub = hub.subscribe(run_uuid)
    reader = asyncio.create_task(_drain(websocket))
    try:
        if await _stream(websocket, db, sub, reader, after_id):
            await websocket.close(code=1000)
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client went away mid-send
    finally:
        hub.unsubscribe(sub)
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
            await reader


def _parse(run_id: str, after: str) -> tuple[uuid.UUID, int]:
    try:
        run_uuid = uuid.UUID(run_id)
    except ValueError:
        raise NotFound(f"run {run_id} not found") from None
    try:
        after_id = max(0, int(after))
    except ValueError:
        raise NotFound(f"after_id must be an integer, not {after!r}") from None
    return run_uuid, after_id


def _authorize(db: Database, claims: AccessClaims, run_id: uuid.UUID) -> int | None:
    """Check the caller may follow the run; return its ``run.closed`` id (None while open)."""
    with db.sessions() as session:
        user = accounts.active_user(session, claims)  # disabled or signed out: 4401
        runs.for_stream(session, user.id, run_id)
        return runs.closed_event_id(session, run_id)


def _fetch(db: Database, run_id: uuid.UUID, after_id: int) -> list[dict[str, Any]]:
    with db.sessions() as session:
        return runs.event_dicts(session, run_id, after_id, BATCH)


async def _stream(
    websocket: WebSocket, db: Database, sub: Subscription, reader: asyncio.Task[None], cursor: int
) -> bool:
    """Send events until ``run.closed`` (True) or the client leaves (False)."""
    while not reader.done():
        batch = await to_thread.run_sync(_fetch, db, sub.run_id, cursor)
        for event in batch:
            await websocket.send_json(event)
            cursor = event["id"]
            if event["kind"] == events.CLOSED:
                return True
        if len(batch) == BATCH:
            continue
        waiter = asyncio.create_task(sub.wait(SAFETY_POLL_S))
        await asyncio.wait({waiter, reader}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
    return False


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) client messages until it disconnects."""
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
