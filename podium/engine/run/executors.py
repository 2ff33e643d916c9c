"""Where (model × fold) fits run: a local loky process pool, or a Dask cluster.

The pool's workers fork from a fork server that imported the fitting code once
(:mod:`podium.engine.run.forkserver`); where there is none (Windows) loky starts fresh ones.

Both take the same :class:`~podium.engine.run.fits.FitTask` and the same fold arrays, so the
same seed gives the same scores on either. Cancelling a running fit means killing the
process that runs it (FINDINGS.md): a Dask ``future.cancel()`` alone does not stop it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import queue
import signal
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Protocol

from podium.engine.run import forkserver
from podium.engine.run.fits import (
    SINGLE_THREADED_ENV,
    FitResult,
    FitTask,
    FoldArrays,
    FoldFiles,
    run_fit,
    started_single_threaded,
    warm_up,
)
from podium.engine.run.tempdirs import OwnedFolder, remove_stale

_IDLE_WORKER_TIMEOUT_S = 300
_PARENT_POLL_S = 0.5
FOLDS_PREFIX = "podium-folds-"
_SCATTER_TRIES = 5  # a worker killed by a cancel takes ~1-2 s to leave the scheduler
_pools: dict[str, Any] = {}  # the loky pool this process started, for shutdown_pool()
_prestart = {"enabled": True}  # set_prestart()
_warming: list[Any] = []  # the last warm-up's jobs (each starts a worker)
_starting: list[threading.Thread] = []  # a warm-up submitting its jobs in the background
_WARM_WAIT_S = 120.0


class Executor(Protocol):
    """What the scheduler needs from an executor."""

    @property
    def slots(self) -> int:
        """How many fits may run at once."""
        ...

    @property
    def memory_bytes(self) -> int | None:
        """What the fits in flight may allocate together beside their folds on this machine
        (memory admission); None: no budget of its own (the scheduler's
        :data:`~podium.engine.run.scheduler.MEMORY_BYTES` on one machine; a cluster's fits
        are not held to one machine's memory)."""
        ...

    @property
    def shares_cores(self) -> bool:
        """Whether the fits run on this machine's cores (memory admission applies, and a lone
        fit may take several threads); False on a cluster."""
        ...

    def warm(self) -> None:
        """Start workers early (overlapping the parent's preprocessing); may do nothing."""

    def open(self, folds: dict[int, FoldArrays]) -> None:
        """Ship the fold arrays once (files for loky, scattered data for Dask)."""

    def submit(self, task: FitTask) -> Any:
        """Start one fit; return a handle."""

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        """Handles that finished within ``timeout`` seconds (possibly none)."""

    def result(self, handle: Any, task: FitTask) -> FitResult:
        """The outcome of a finished handle; a crashed worker becomes an error result."""

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        """``time.time()`` when the fit started in a worker; None while it has not."""

    def kill(self) -> None:
        """Terminate every fit in flight; the executor stays usable."""

    def close(self) -> None:
        """Release the data shipped by :meth:`open`."""


def _collect(handle: Any, task: FitTask) -> FitResult:
    """A future's fit result (loky and Dask futures alike); any failure becomes an error row."""
    try:
        res: FitResult = handle.result()
    except Exception as exc:
        return _crash(task, exc)
    return res


def _crash(task: FitTask, exc: BaseException) -> FitResult:
    return FitResult(
        task.model_id, task.fold, None, f"worker crashed: {type(exc).__name__}: {exc}", 0
    )


def start_pool_worker(parent_pid: int, single_threaded_env: bool) -> int:
    """loky's initializer: exit with the parent process, then import what fits need (nothing
    left to import in a worker forked from the fork server).

    ``single_threaded_env`` says the pool started this worker with ``SINGLE_THREADED_ENV``
    (:func:`~podium.engine.run.fits.started_single_threaded`): told here, not through the
    environment.

    A parent killed with SIGKILL runs no clean-up, and loky's workers do not notice: mid-fit
    or idle, they stayed for minutes (~450 MB). A daemon thread polls the
    parent id instead: when the parent dies the worker is re-parented, ``getppid()`` changes,
    and it exits. Not ``PR_SET_PDEATHSIG``: it fires when the *thread* that spawned the worker
    ends, and loky spawns from whichever thread submits (a warm-up thread, the manager thread).
    A worker forked by the fork server is the server's child, not ``parent_pid``'s: it watches
    the server, which exits when ``parent_pid`` does (its "alive" pipe closes).
    """
    forkserver.leave_server()  # the server's exit must not wait for this worker's
    watched = os.getppid()  # parent_pid, or the fork server ``parent_pid`` started
    threading.Thread(
        target=_exit_with_parent, args=(watched,), name="podium-parent-watch", daemon=True
    ).start()
    if single_threaded_env:
        started_single_threaded()
    return warm_up()


def _exit_with_parent(parent_pid: int) -> None:  # pragma: no cover - runs in pool workers
    while os.getppid() == parent_pid:
        time.sleep(_PARENT_POLL_S)
    os._exit(1)


def set_prestart(enabled: bool) -> None:
    """Whether :func:`prestart` (called by ``setup``) starts the default process pool: off in a
    process whose fits run elsewhere (a ``podium worker`` sending them to Dask)."""
    _prestart["enabled"] = enabled


def prestart() -> None:
    """Start the default process pool's workers now, without waiting for them (the fork
    server's imports overlap what the caller does next: ``setup`` reading and checking the
    table, the user's own code before ``compare``). ``compare``, ``create`` and ``tune`` then
    reuse the same pool (:meth:`ProcessExecutor.warm`). Never raises: a pool that cannot
    start now starts when the first fit needs it, and says why then."""
    if not _prestart["enabled"]:
        return
    with contextlib.suppress(Exception):
        ProcessExecutor().warm()


def shutdown_pool(timeout: float = 5.0) -> None:
    """Kill the workers of the local process pool this process started (none: nothing to do).

    For a process about to exit: fits in flight are lost. Waits at most ``timeout`` seconds;
    a worker still there then exits by itself once this process is gone.
    """
    _wait_started()
    pool = _pools.pop("loky", None)
    if pool is None:
        return
    kill = threading.Thread(
        target=pool.shutdown, kwargs={"wait": True, "kill_workers": True}, daemon=True
    )
    kill.start()
    kill.join(timeout)


def _drop_queued(pool: Any) -> None:
    """Empty loky's queue of work ids not yet handed to a worker, before a killing shutdown.

    The shutdown drops every pending work item but leaves their ids queued, and loky's manager
    thread then looks one up (``KeyError`` in that thread) when a fit was submitted just before
    the kill; CPython's own process pool drains that queue on shutdown. Their futures still end
    (loky fails every pending one with ``ShutdownExecutorError``).
    """
    ids = getattr(pool, "_work_ids", None)
    while ids is not None:
        try:
            ids.get_nowait()
        except queue.Empty:
            return


def _wait_started() -> None:
    """Let a warm-up submitting from the background finish first (not from that thread)."""
    for thread in list(_starting):
        if thread is not threading.current_thread():
            thread.join(_WARM_WAIT_S)
    if not any(t.is_alive() for t in _starting):
        _starting.clear()


def remove_stale_folds() -> list[Path]:
    """Delete the fold folders that processes killed mid-run left in the temporary directory."""
    return remove_stale(FOLDS_PREFIX)


class ProcessExecutor:
    """A local loky process pool (joblib's), one single-threaded fit per worker.

    Parameters
    ----------
    n_jobs : int, optional
        Worker processes; defaults to the number of cores.
    memory_bytes : int, optional
        What the fits in flight may allocate together beside the folds they map (memory
        admission: a fit that would pass it waits and runs alone); defaults to
        ``scheduler.MEMORY_BYTES`` (320 MiB).

    Notes
    -----
    The pool is loky's reusable executor, shared by every run of this process: killing it
    (cancel, time limits) ends fits in flight of other runs too. Run one run per process.
    """

    shares_cores = True  # the workers share this machine's cores: a lone fit may take several

    def __init__(self, n_jobs: int | None = None, memory_bytes: int | None = None) -> None:
        if memory_bytes is not None and memory_bytes < 1:
            raise ValueError(f"memory_bytes must be at least 1, got {memory_bytes}")
        self.n_jobs = max(1, n_jobs or os.cpu_count() or 1)
        self.memory_bytes: int | None = memory_bytes
        self._dir: OwnedFolder | None = None
        self._files: dict[int, FoldFiles] = {}

    @property
    def slots(self) -> int:
        """Number of worker processes."""
        return self.n_jobs

    def _pool(self) -> Any:
        from joblib.externals.loky import get_reusable_executor

        _wait_started()
        running = _pools.get("loky")
        if running is not None and getattr(running, "_max_workers", self.n_jobs) != self.n_jobs:
            # a resize waits for the jobs running: let the warm-up's (setup's prestart) end
            # first, rather than have loky warn that it waits for them
            for future in _warming:
                with contextlib.suppress(Exception):
                    future.result(timeout=_WARM_WAIT_S)
        _warming.clear()
        # the same arguments every time: loky reuses the running pool only when they match.
        # Forked workers take the fork server's environment (loky's env= is for its own start)
        context = forkserver.get_context(SINGLE_THREADED_ENV) if forkserver.available() else None
        pool = get_reusable_executor(
            max_workers=self.n_jobs,
            timeout=_IDLE_WORKER_TIMEOUT_S,
            context=context,
            env=SINGLE_THREADED_ENV,
            initializer=start_pool_worker,
            initargs=(os.getpid(), True),
        )
        _pools["loky"] = pool
        return pool

    def warm(self, timeout: float | None = None) -> None:
        """Start the workers now, while the parent preprocesses the folds: the fork server
        imports the fitting code and the model modules, and the workers fork from it
        (:func:`start_pool_worker`, loky's initializer). Returns at once: a worker's start
        waits for the server's imports, so the jobs are submitted from a background thread
        (the pool's next use waits for that thread). A warm-up already under way is left to
        run: a cold ``compare`` joined setup's, and prepared its folds only once the fork
        server had imported everything (its first fit 5.7 s of fold preparation later than it
        could have started, at load 12).

        With ``timeout``, wait until every worker has started (its imports done), at most
        ``timeout`` seconds each (``TimeoutError`` past it) — e.g. a server warming its pool
        before the first request.
        """
        if timeout is None:
            if any(t.is_alive() for t in _starting):
                return  # under way (setup's prestart): the caller prepares meanwhile
            _wait_started()
            thread = threading.Thread(target=self._warm_up, name="podium-pool-warm", daemon=True)
            _starting[:] = [thread]
            thread.start()
            return
        for future in self._warm_up():
            future.result(timeout=timeout)

    def _warm_up(self) -> list[Any]:
        pool = self._pool()
        started = [pool.submit(os.getpid) for _ in range(self.n_jobs)]
        _warming[:] = started
        return started

    def open(self, folds: dict[int, FoldArrays]) -> None:
        """Write the fold arrays to a private temporary folder the workers memory-map
        (locked as this process's: see :func:`remove_stale_folds`)."""
        self.close()
        self._dir = OwnedFolder(FOLDS_PREFIX)
        self._files = {fold: arrays.save(self._dir.path, fold) for fold, arrays in folds.items()}

    def submit(self, task: FitTask) -> Any:
        """Submit one fit to the pool."""
        files = self._files[task.fold]
        files.marker(task).unlink(missing_ok=True)
        return self._pool().submit(run_fit, task, files)

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        """When the worker started the fit (its marker file's mtime), None before."""
        try:
            return self._files[task.fold].marker(task).stat().st_mtime
        except FileNotFoundError:
            return None

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        """Finished handles within ``timeout``."""
        done, _ = cf.wait(handles, timeout=timeout, return_when=cf.FIRST_COMPLETED)
        return list(done)

    def result(self, handle: Any, task: FitTask) -> FitResult:
        """The fit's result; a killed or crashed worker becomes an error result."""
        return _collect(handle, task)

    def kill(self) -> None:
        """SIGKILL the worker processes (frees the CPU at once); a new pool starts on demand."""
        pool = self._pool()
        _drop_queued(pool)
        pool.shutdown(wait=False, kill_workers=True)

    def close(self) -> None:
        """Delete the fold files."""
        if self._dir is not None:
            self._dir.remove()
            self._dir = None


async def _kill_self() -> None:  # pragma: no cover - runs inside a Dask worker that then dies
    # a coroutine: Client.run(..., wait=False) accepts nothing else
    os.kill(os.getpid(), signal.SIGKILL)


class DaskExecutor:
    """Send the fits to a Dask cluster; fold arrays are scattered once per run.

    Parameters
    ----------
    address_or_client : str or distributed.Client
        A scheduler address (``"tcp://host:8786"``) or an existing client.

    Notes
    -----
    Stopping a running Dask task needs its worker process killed: :meth:`kill` cancels the
    futures and SIGKILLs the worker processes running them (their nannies restart them).
    Workers living in this very process (``processes=False``) cannot be killed; their
    running fits finish in the background.
    """

    memory_bytes: int | None = None  # a cluster's fits use several machines' memory: no admission
    shares_cores = False  # a slot is a worker thread somewhere in the cluster

    def __init__(self, address_or_client: Any) -> None:
        import distributed

        self._client: Any
        self._address = address_or_client if isinstance(address_or_client, str) else None
        if isinstance(address_or_client, str):
            client_cls: Any = distributed.Client
            self._client = client_cls(address_or_client, set_as_default=False)
            self._owns_client = True
        else:
            self._client = address_or_client
            self._owns_client = False
        self._folds: dict[int, FoldArrays] = {}
        self._data: dict[int, Any] = {}
        self._inflight: set[Any] = set()
        self._stale = False
        self._submitted: dict[str, float] = {}
        self._prefix = f"podium-{uuid.uuid4().hex[:8]}"

    @property
    def slots(self) -> int:
        """Total worker threads of the cluster (at least one)."""
        info = self._client.scheduler_info()
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()))

    def warm(self) -> None:
        """Dask workers are already running: nothing to do."""

    def open(self, folds: dict[int, FoldArrays]) -> None:
        """Scatter every fold's arrays to the cluster (once)."""
        if self._owns_client and self._client.status in ("closing", "closed"):
            import distributed  # reused after close(): the previous run closed our client

            client_cls: Any = distributed.Client
            self._client = client_cls(self._address, set_as_default=False)
            self._stale = False
        self._folds = folds
        self._scatter()

    def _scatter(self) -> None:
        for attempt in range(_SCATTER_TRIES):
            try:
                self._data = {
                    f: self._client.scatter(a, hash=False) for f, a in self._folds.items()
                }
                return
            except OSError:  # CommClosedError: scattered to a worker that was just killed
                if attempt == _SCATTER_TRIES - 1:
                    raise
                time.sleep(1.0)

    def submit(self, task: FitTask) -> Any:
        """Submit one fit as a plain function call (pure=False: every fit runs)."""
        if self._stale:  # workers were killed: their copy of the data is gone
            self._scatter()
            self._stale = False
        fut = self._client.submit(
            run_fit,
            task,
            self._data[task.fold],
            key=f"{self._prefix}-{task.key}-{uuid.uuid4().hex[:6]}",
            pure=False,
            priority=task.cost,
        )
        self._inflight.add(fut)
        self._submitted[fut.key] = time.time()
        return fut

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        """When the future was submitted (Dask does not say when a task starts running)."""
        return self._submitted.get(handle.key)

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        """Finished futures within ``timeout``."""
        import distributed

        wait: Any = distributed.wait
        try:  # as_current: our client may not be the process default (set_as_default=False)
            with self._client.as_current():
                done, _ = wait(handles, timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return []
        self._inflight.difference_update(done)
        return list(done)

    def result(self, handle: Any, task: FitTask) -> FitResult:
        """The fit's result; a lost worker becomes an error result."""
        return _collect(handle, task)

    def kill(self) -> None:
        """Cancel the futures and SIGKILL the worker processes running them."""
        futures = [f for f in self._inflight if not f.done()]
        self._inflight.clear()
        if not futures:
            return
        keys = {f.key for f in futures}
        processing = self._client.processing()
        busy = [w for w, ks in processing.items() if keys.intersection(ks)]
        self._client.cancel(futures, force=True)
        if busy:
            pids = self._client.run(os.getpid, workers=busy, on_error="ignore")
            remote = [w for w, pid in pids.items() if pid != os.getpid()]
            if remote:
                self._client.run(_kill_self, workers=remote, wait=False, on_error="ignore")
        self._stale = True

    def close(self) -> None:
        """Release the scattered data (and the client when this executor created it)."""
        if self._data:
            self._client.cancel(list(self._data.values()), force=True)
            self._data = {}
        if self._owns_client:
            self._client.close()
