"""API processes sharing one listening socket: the least busy accepts (``server/accept.py``).

Two servers in one event loop stand for two API processes: each has its own descriptor of
the shared socket and its own slot, as a process would. Twenty clients connect before either
server runs, as wrk's connections arrive together. Then the real ``podium serve --workers 2``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import psutil
import pytest
import uvloop

from podium.server import accept
from tests.ports import free_port

CLIENTS = 20


class Held(asyncio.Protocol):
    """A connection that stays open, in its server's set (as uvicorn's protocols keep one)."""

    def __init__(self, connections: set[Held]) -> None:
        self.connections = connections

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.connections.discard(self)


@pytest.fixture
def slots(tmp_path: Path) -> Path:
    """A counts file as ``podium serve``'s parent makes it: every slot free."""
    path = tmp_path / "slots"
    path.write_bytes(accept.SLOT.pack(accept.EMPTY) * accept.SLOTS)
    return path


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.create_server(("127.0.0.1", 0), backlog=64)
    yield sock
    sock.close()


def _connect(port: int) -> list[socket.socket]:
    return [socket.create_connection(("127.0.0.1", port)) for _ in range(CLIENTS)]


def _served(
    listener: socket.socket,
    start: Callable[..., Awaitable[accept.BalancedServer]],
    sets: list[set[Held]],
) -> list[int]:
    """Connect every client, then let the servers accept them; each server's open count."""

    async def main() -> list[int]:
        socks = [listener.dup() for _ in sets]
        loop = asyncio.get_running_loop()
        servers = [await start(loop, sock, held) for sock, held in zip(socks, sets, strict=True)]
        clients = _connect(listener.getsockname()[1])
        for _ in range(2000):
            if sum(map(len, sets)) == CLIENTS:
                break
            await asyncio.sleep(0.005)
        for server in servers:
            server.close()
        counts = [len(held) for held in sets]
        for client in [*clients, *socks]:
            client.close()
        for held in sets:
            for conn in list(held):
                conn.transport.close()
        await asyncio.sleep(0.05)
        return counts

    return uvloop.run(main())


def test_the_least_busy_process_accepts(listener: socket.socket, slots: Path) -> None:
    """Twenty clients that connect together are split 10/10 between two processes."""

    async def start(
        loop: asyncio.AbstractEventLoop, sock: socket.socket, held: set[Held]
    ) -> accept.BalancedServer:
        counts = accept.Counts(slots)
        return accept.BalancedServer(loop, lambda: Held(held), sock, counts, defer_s=60)

    sets: list[set[Held]] = [set(), set()]
    assert _served(listener, start, sets) == [CLIENTS // 2, CLIENTS // 2]


def test_a_lone_process_takes_every_connection(listener: socket.socket, slots: Path) -> None:
    """With no other process in the counts file, nothing waits: one process takes them all."""

    async def start(
        loop: asyncio.AbstractEventLoop, sock: socket.socket, held: set[Held]
    ) -> accept.BalancedServer:
        return accept.BalancedServer(loop, lambda: Held(held), sock, accept.Counts(slots))

    sets: list[set[Held]] = [set()]
    assert _served(listener, start, sets) == [CLIENTS]


def test_a_slot_is_freed_for_the_next_process(slots: Path) -> None:
    """A process claims the first free slot; a closed one's slot is empty and claimable."""
    path = slots
    first, second = accept.Counts(path), accept.Counts(path)
    assert (first.index, second.index) == (0, 1)
    second.publish(7)
    assert first.fewest_elsewhere() == 7
    second.close()
    assert first.fewest_elsewhere() is None
    third = accept.Counts(path)
    assert third.index == 1
    first.close()
    third.close()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary directory, as a test's own (``tempfile.gettempdir()`` answers it)."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def test_the_counts_file_lives_in_a_private_directory_removed_on_exit(private_tmp: Path) -> None:
    """Made by the parent in a directory only its user can enter; the API processes find it
    through the environment they inherit; all of it is gone when the parent leaves."""
    with accept.slots() as path:
        assert path.parent.parent == private_tmp
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert os.environ[accept.ENV] == str(path)
        assert accept.counts_path() == path
        counts = accept.Counts(path)  # its lock file beside it
        counts.close()
    assert not path.parent.exists()
    assert accept.ENV not in os.environ
    assert accept.counts_path() is None


def test_a_symlink_planted_at_the_old_path_is_not_written_through(private_tmp: Path) -> None:
    """Another user of the machine cannot make ``podium serve`` overwrite a file of theirs
    choosing: the old predictable ``/tmp/podium-accept-<pid>`` is not used, nor followed."""
    victim = private_tmp.parent / "victim"
    victim.write_bytes(b"keep")
    (private_tmp / f"podium-accept-{os.getpid()}").symlink_to(victim)
    with accept.slots() as path:
        assert not path.is_symlink()
    assert victim.read_bytes() == b"keep"


def test_a_symlink_in_place_of_the_counts_or_a_lock_file_is_not_followed(
    tmp_path: Path, slots: Path
) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(accept.SLOT.pack(accept.EMPTY) * accept.SLOTS)
    link = tmp_path / "link"
    link.symlink_to(victim)
    with pytest.raises(OSError, match="symbolic links"):
        accept.Counts(link)
    Path(f"{slots}.0").symlink_to(victim)
    with pytest.raises(OSError, match="symbolic links"):
        accept.Counts(slots)
    assert victim.read_bytes() == accept.SLOT.pack(accept.EMPTY) * accept.SLOTS


def test_podium_serve_with_two_processes_answers_on_the_balanced_socket(tmp_path: Path) -> None:
    """``podium serve --workers 2``: both processes hold some of 20 concurrent connections and
    answer on each; the counts file lives (in a private directory) while it runs and is gone
    after it stops."""
    port = free_port()
    env = {
        **os.environ,
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_PORT": str(port),
        "PODIUM_EMBEDDED_WORKERS": "0",
    }
    cmd = [sys.executable, "-c", "from podium.cli import app; app()", "serve", "--workers", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_http(f"http://127.0.0.1:{port}/healthz", proc)
        counts = _counts_of(proc)
        assert stat.S_IMODE(counts.parent.stat().st_mode) == 0o700
        _wait_serving(counts, 2, proc)  # each process claimed its slot
        with httpx.Client(limits=httpx.Limits(max_connections=CLIENTS)) as client:
            clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(CLIENTS)]
            request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            for conn in clients:
                conn.sendall(request)
            answers = [conn.recv(4096) for conn in clients]
            assert all(a.startswith(b"HTTP/1.1 200") for a in answers)
            servers = [
                child
                for child in psutil.Process(proc.pid).children()
                if "spawn_main" in " ".join(child.cmdline())  # not multiprocessing's tracker
            ]
            held = [_established(child, port) for child in servers]
            for conn in clients:
                conn.close()
            assert client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
        assert len(held) == 2
        assert sum(held) == CLIENTS
        assert min(held) > 0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    assert not counts.parent.exists()


def _counts_of(proc: subprocess.Popen[bytes]) -> Path:
    """The counts file ``podium serve`` handed its API processes (their environment)."""
    for _ in range(600):
        for child in psutil.Process(proc.pid).children():
            with contextlib.suppress(psutil.Error):
                given = child.environ().get(accept.ENV)
                if given:
                    return Path(given)
        time.sleep(0.2)
    pytest.fail("no API process was given a counts file")


def _wait_http(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"podium serve exited with {proc.returncode}"
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer in {timeout_s} s")


def _wait_serving(path: Path, processes: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        assert proc.poll() is None, f"podium serve exited with {proc.returncode}"
        slots = [count for (count,) in accept.SLOT.iter_unpack(path.read_bytes())]
        if sum(count != accept.EMPTY for count in slots) == processes:
            return
        time.sleep(0.2)
    pytest.fail(f"{processes} processes did not all start serving")


def _established(proc: psutil.Process, port: int) -> int:
    return sum(
        1
        for conn in proc.net_connections("tcp")
        if conn.status == psutil.CONN_ESTABLISHED and conn.laddr and conn.laddr.port == port
    )
