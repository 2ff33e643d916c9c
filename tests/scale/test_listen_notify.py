"""PostgreSQL NOTIFY for live events: sent in the event's transaction, so heard only after commit.

Notifications reach a listener in commit order, which lets these tests prove "not before the
commit" and "never after a rollback" by ordering, without timing anything.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import uuid
from collections.abc import Iterator

import pytest

from podium.server.api.listen import EventListener
from podium.server.db.session import Database
from podium.server.services import events
from tests.server.conftest import World

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("scale")]
WAIT_S = 60.0


class Woken:
    """Records what the listener wakes (the part of ``EventHub`` it calls)."""

    def __init__(self) -> None:
        self.runs: queue.Queue[uuid.UUID] = queue.Queue()

    def wake(self, run_id: uuid.UUID) -> None:
        """Called on the event loop for each notification."""
        self.runs.put(run_id)


@pytest.fixture
def woken(world: World) -> Iterator[Woken]:
    """A real listener on the test database, its event loop running in a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    recorder = Woken()
    listener = EventListener(world.settings.database_url, recorder, loop)  # type: ignore[arg-type]
    listener.start()
    assert listener.connected.wait(WAIT_S), "the listener never connected"
    try:
        yield recorder
    finally:
        listener.stop()
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _runs(world: World, n: int) -> list[uuid.UUID]:
    exp = world.experiment(world.project())
    return [uuid.UUID(str(world.run(exp)["id"])) for _ in range(n)]


def test_notification_arrives_after_commit_not_before(world: World, woken: Woken) -> None:
    first, second = _runs(world, 2)
    db = Database(world.settings.database_url)
    try:
        with db.sessions() as pending, db.sessions() as other:
            events.add_for(pending, first, uuid.UUID(world.ws), "warning", {"n": 1})
            pending.flush()  # inserted and notified inside an open transaction
            events.add_for(other, second, uuid.UUID(world.ws), "warning", {"n": 2})
            other.commit()
            assert woken.runs.get(timeout=WAIT_S) == second
            pending.commit()
            assert woken.runs.get(timeout=WAIT_S) == first
    finally:
        db.dispose()


def test_rolled_back_event_is_never_announced(world: World, woken: Woken) -> None:
    lost, kept = _runs(world, 2)
    db = Database(world.settings.database_url)
    try:
        with db.sessions() as session:
            events.add_for(session, lost, uuid.UUID(world.ws), "warning", {})
            session.flush()
            session.rollback()
            for _ in range(3):  # one notification per transaction and run, not per event
                events.add_for(session, kept, uuid.UUID(world.ws), "warning", {})
            session.commit()
        assert woken.runs.get(timeout=WAIT_S) == kept
        with db.sessions() as session:  # a marker: anything pending arrives before it
            events.add_for(session, lost, uuid.UUID(world.ws), "warning", {"marker": True})
            session.commit()
        assert woken.runs.get(timeout=WAIT_S) == lost
        assert woken.runs.empty()
    finally:
        db.dispose()
