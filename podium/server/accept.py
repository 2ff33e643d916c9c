"""Several API processes share one listening socket: each new connection goes to the least busy.

``podium serve --workers N`` runs N uvicorn processes on one socket that the parent bound. Left
to uvloop, every process waits on that socket and the first one awake accepts every connection
queued at that moment (libuv accepts until the queue is empty): 20 clients connecting at once
landed 20/0, 15/5 or 13/7 on two processes (bench/RESULTS.md), so one process queued twice
the calls of the other, for as long as the clients kept their connections. Here each process
accepts one connection at a time, and only while it holds no more open connections than the
least loaded of the others; otherwise it leaves the connection to them for up to
``DEFER_S`` (then takes it anyway, so a stuck process never stalls a connection for long).

The processes' counts live in a small file the parent creates (:func:`slots`), one 8-byte
slot per process, in a directory of its own (``mkdtemp``: mode 0700, a name nobody can guess)
that it names to the API processes through their inherited environment (:data:`ENV`) and removes
on exit. Every file there is opened without following a symlink, and the counts file is created
exclusively: on a shared host another user cannot have a write land in a file of theirs
choosing (the predictable ``/tmp/podium-accept-<pid>`` of before could be planted as a
symlink). A process claims a slot by locking the slot's lock file (``flock``: the kernel
releases it when the process dies, so a restarted process claims it again) and is the only
writer of its slot, so no cross-process lock is taken per connection. With one process, no
file, or another event loop, the loop is plain uvloop and nothing changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import mmap
import os
import shutil
import socket
import struct
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import uvloop

SLOTS = 64
SLOT = struct.Struct("q")
EMPTY = -1  # a slot no live process holds
DEFER_S = 0.005  # how long a busier process leaves a waiting connection to the others
STEP_S = 0.0005
RETRY_S = 1.0  # after EMFILE and the like, as asyncio's own accept loop waits
LOOP = "podium.server.accept:BalancedLoop"  # uvicorn's ``loop``: an import string
ENV = "PODIUM_ACCEPT_COUNTS"  # the counts file, from ``podium serve``'s parent to its API processes
_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC
log = logging.getLogger("podium.server.accept")


def counts_path() -> Path | None:
    """In an API process: the counts file its parent made (None: not started by :func:`slots`)."""
    given = os.environ.get(ENV)
    return Path(given) if given else None


@contextlib.contextmanager
def slots() -> Iterator[Path]:
    """In ``podium serve``'s parent process, before the API processes start: the counts file
    they share, in a private directory named to them through :data:`ENV`; both removed on exit."""
    folder = Path(tempfile.mkdtemp(prefix=f"podium-accept-{os.getpid()}-"))  # mode 0700
    path = folder / "counts"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(SLOT.pack(EMPTY) * SLOTS)
        os.environ[ENV] = str(path)
        yield path
    finally:
        os.environ.pop(ENV, None)
        shutil.rmtree(folder, ignore_errors=True)


class Counts:
    """This process's slot in the shared counts file, and a view of the others'."""

    def __init__(self, path: Path) -> None:
        self._lock, self.index = _claim(path)
        self._fd = os.open(path, os.O_RDWR | _NOFOLLOW)
        self._map = mmap.mmap(self._fd, SLOT.size * SLOTS)
        self.publish(0)

    def publish(self, count: int) -> None:
        """Write this process's open connections into its slot."""
        SLOT.pack_into(self._map, SLOT.size * self.index, count)

    def fewest_elsewhere(self) -> int | None:
        """The fewest open connections of another live process (None: no other process)."""
        others = [
            count
            for index, (count,) in enumerate(SLOT.iter_unpack(self._map))
            if index != self.index and count != EMPTY
        ]
        return min(others, default=None)

    def close(self) -> None:
        """Give the slot up."""
        self.publish(EMPTY)
        self._map.close()
        os.close(self._fd)
        os.close(self._lock)


def _claim(path: Path) -> tuple[int, int]:
    """(lock file descriptor, slot): the first slot whose lock file nobody holds."""
    for index in range(SLOTS):
        lock = os.open(f"{path}.{index}", os.O_RDWR | os.O_CREAT | _NOFOLLOW, 0o600)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            continue
        return lock, index
    raise OSError("every accept slot is taken")


class BalancedServer:
    """Accepts from a shared listening socket one connection at a time, least busy first.

    Quacks like the ``asyncio.Server`` uvicorn keeps (``close``, ``wait_closed``); uvicorn
    closes the socket itself.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        factory: Callable[[], asyncio.BaseProtocol],
        sock: socket.socket,
        counts: Counts,
        backlog: int = 100,
        defer_s: float = DEFER_S,
    ) -> None:
        self._loop, self._factory, self._sock = loop, factory, sock
        self._counts, self._defer_s = counts, defer_s
        self._connections: set[Any] = set()  # uvicorn's, learnt from its first protocol
        self._opening = 0  # accepted, protocol not made yet
        self._deferred_since: float | None = None
        self._last_step = 0.0
        self._closed = False
        sock.setblocking(False)
        sock.listen(backlog)  # as asyncio's servers do: uvicorn's parent only binds it
        self._resume()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        """The listening socket."""
        return (self._sock,)

    def is_serving(self) -> bool:
        """Whether connections are still accepted."""
        return not self._closed

    def close(self) -> None:
        """Stop accepting; the connections already open stay."""
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self._sock.fileno())
            self._counts.close()

    async def wait_closed(self) -> None:
        """Nothing to wait for: no connection belongs to the listener."""

    def open_connections(self) -> int:
        """This process's open connections, counting those being set up."""
        return len(self._connections) + self._opening

    def _resume(self) -> None:
        if not self._closed:
            self._loop.add_reader(self._sock.fileno(), self._readable)

    def _pause(self, seconds: float) -> None:
        self._loop.remove_reader(self._sock.fileno())
        self._loop.call_later(seconds, self._resume)

    def _readable(self) -> None:
        mine = self.open_connections()
        self._counts.publish(mine)
        fewest = self._counts.fewest_elsewhere()
        if fewest is not None and mine > fewest:
            now = time.monotonic()
            if self._deferred_since is None or now - self._last_step > 4 * STEP_S:
                self._deferred_since = now  # a connection newly waiting: its clock starts
            self._last_step = now
            if now - self._deferred_since < self._defer_s:
                self._pause(STEP_S)  # a less busy process may take it meanwhile
                return
        self._deferred_since = None
        try:
            conn, _addr = self._sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return  # another process took it, or the client gave up
        except OSError as exc:  # out of file descriptors, buffers: let some close first
            log.error("accepting a connection failed (%s); retrying in %.0f s", exc, RETRY_S)
            self._pause(RETRY_S)
            return
        conn.setblocking(False)
        self._opening += 1
        self._counts.publish(mine + 1)
        made = self._loop.connect_accepted_socket(self._protocol, conn)
        task = self._loop.create_task(made)
        task.add_done_callback(self._opened)

    def _protocol(self) -> asyncio.BaseProtocol:
        protocol = self._factory()
        connections = getattr(protocol, "connections", None)  # uvicorn's protocols keep it
        if isinstance(connections, set):
            self._connections = connections
        return protocol

    def _opened(self, task: asyncio.Task[Any]) -> None:
        self._opening -= 1
        if not task.cancelled() and task.exception() is not None:
            log.warning("setting up a connection failed: %s", task.exception())


class BalancedLoop(uvloop.Loop):  # type: ignore[misc]
    """uvloop, whose servers on a shared socket accept least busy first (module docstring)."""

    async def create_server(  # type: ignore[override]
        self, protocol_factory: Callable[[], asyncio.BaseProtocol], *args: Any, **kw: Any
    ) -> Any:
        """A :class:`BalancedServer` for uvicorn's worker socket; otherwise uvloop's own."""
        sock, path = kw.get("sock"), counts_path()
        if args or sock is None or kw.get("ssl") or path is None or not path.exists():
            return await super().create_server(protocol_factory, *args, **kw)
        backlog = kw.get("backlog", 100)
        return BalancedServer(self, protocol_factory, sock, Counts(path), backlog)
