"""The process pool's workers fork from one server process that imported the fitting code.

loky starts every worker as a fresh interpreter: each imports scikit-learn, SciPy, pandas,
LightGBM and the model modules itself (seconds of CPU each, and ~110 MB of private Python heap
per worker). Here a fork server imports them once (:mod:`podium.engine.run.pool_preload`),
freezes its heap out of the collector's walks, and the pool's workers fork from it: the import
cost is paid once per parent process, and the workers share the server's pages copy-on-write.
A worker killed by a cancel or a time limit is replaced by a fork (milliseconds), not by
another interpreter's start.

Why a fork server and not ``fork`` from the parent: forking a process that has run threads
(OpenMP, BLAS, the parent's own) can leave a lock held forever in the child. The server is a
fresh interpreter started single-threaded (``SINGLE_THREADED_ENV`` in its environment, so
OpenBLAS and OpenMP start no pool; Arrow's jemalloc without its purging thread) that never
runs a model: it only imports, then forks (tested: one thread when it forks).

The server is CPython's (``multiprocessing.forkserver``), shared by everything in this process
that uses the ``forkserver`` start method; it exits when this process exits (its "alive" pipe
closes), and its workers then exit too (their parent changes: ``executors._exit_with_parent``).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import threading
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from typing import Any

PRELOAD = "podium.engine.run.pool_preload"
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")
_start_lock = threading.Lock()
# pyarrow's bundled jemalloc starts a purging thread when loaded (pandas imports pyarrow): the
# server would fork with it running. Off in the server (and so in its workers, which allocate
# with NumPy; Arrow's default pool is mimalloc anyway).
NO_THREAD_ENV = {"JE_ARROW_MALLOC_CONF": "background_thread:false"}


def available() -> bool:
    """Whether this platform has the fork server (POSIX: Linux, macOS)."""
    return "forkserver" in multiprocessing.get_all_start_methods()


class _Popen(popen_forkserver.Popen):
    """CPython's fork-server launch, without re-importing the parent's ``__main__`` in the
    worker (loky's default context does not either: a user's script without an
    ``if __name__ == "__main__"`` guard would run again in every worker)."""

    def _launch(self, process_obj: Any) -> None:  # pragma: no cover - as CPython's, minus main
        prep_data = spawn.get_preparation_data(process_obj._name)
        for key in _MAIN_KEYS:
            prep_data.pop(key, None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        fds: list[int] = self._fds  # type: ignore[attr-defined]  # set by CPython's __init__
        self.sentinel, w = forkserver.connect_to_new_process(fds)
        parent_w = os.dup(w)  # the child's sentinel of this process, as CPython keeps it
        close_fds: Any = util.close_fds  # type: ignore[attr-defined]  # not in typeshed
        self.finalizer = util.Finalize(self, close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        return _Popen(process_obj)


class _Context(context.ForkServerContext):
    Process = _Process  # type: ignore[assignment]


_CONTEXT = _Context()


def get_context(env: dict[str, str]) -> Any:
    """The pool's multiprocessing context: its workers fork from the fork server, which is
    started now (without waiting for its imports) with ``env`` added to its environment."""
    start(env)
    return _CONTEXT


def start(env: dict[str, str]) -> None:
    """Start the fork server if it is not running; returns at once (the server imports in the
    background; the first worker's start waits for it).

    Its environment is this process's plus ``env``: CPython starts the server with the
    current environment, so ``env`` is set around the start and restored after.
    """
    env = {**NO_THREAD_ENV, **env}
    with _start_lock:
        forkserver.set_forkserver_preload([PRELOAD])
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            forkserver.ensure_running()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def leave_server() -> None:
    """In a worker the server forked: let go of the server's "alive" pipe.

    CPython hands every process the server forks the write end of that pipe, and the server
    exits only when every holder has closed it; a worker in turn exits when its parent (the
    server) does (``executors._exit_with_parent``). With both, a parent killed by SIGKILL left
    the server and its workers waiting for each other. Held by the starting process alone, the
    pipe closes when that process dies: the server exits, then its workers. (A nested fork
    server, should a worker need one, is a new one.)
    """
    server: Any = forkserver._forkserver
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is None or getattr(server, "_forkserver_pid", None) is not None:
        return  # not forked by a server, or the process that started it
    server._forkserver_alive_fd = None
    server._forkserver_address = None
    os.close(fd)


def server_pid() -> int | None:
    """The fork server's process id (None before it started)."""
    pid: int | None = getattr(forkserver._forkserver, "_forkserver_pid", None)
    return pid
