"""Shared helpers of the benchmark suites: paths, anchor venvs, measured subprocesses, tables.

Nothing here asserts a time: the suites print measurements and ratios against targets.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / ".data"
VENVS = BENCH / ".venvs"
PODIUM_PYTHON = Path(sys.executable)
CORES = os.cpu_count() or 1


class Unavailable(RuntimeError):
    """A suite (or one side of it) cannot run yet; the message says what is missing."""


@dataclass
class Measured:
    """What one measured subprocess did."""

    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    peak_tree_rss_mb: float
    max_rss_mb: float
    peak_tree_pss_mb: float = 0.0
    result: dict[str, Any] = field(default_factory=dict)
    at_peak_pss: list[dict[str, Any]] = field(default_factory=list)  # per process, MB
    cpu_s: float = 0.0  # CPU seconds of the tree: a lower bound (see run_measured)
    runqueue_wait_s: float = 0.0  # seconds its threads waited, runnable, for a core
    timed_out: bool = False


def ensure_venv(name: str, requirements: Sequence[str], python: str = "python3.11") -> Path:
    """Create ``bench/.venvs/<name>`` with ``requirements`` once; return its python.

    The installed requirement list is remembered in a marker file, so a changed list reinstalls.
    Installs go through pip and the package registry only.
    """
    venv = VENVS / name
    py = venv / "bin" / "python"
    marker = venv / ".bench-requirements"
    wanted = "\n".join(requirements)
    if py.exists() and marker.exists() and marker.read_text() == wanted:
        return py
    VENVS.mkdir(parents=True, exist_ok=True)
    log = VENVS / f"{name}.log"
    print(f"  creating {venv.relative_to(ROOT)} ({', '.join(requirements)}); log: {log.name}")
    with log.open("a") as out:
        if not py.exists():
            subprocess.run([python, "-m", "venv", str(venv)], check=True, stdout=out, stderr=out)
        done = subprocess.run(
            [str(py), "-m", "pip", "install", "--quiet", *requirements],
            stdout=out,
            stderr=out,
            check=False,
        )
    if done.returncode != 0:
        raise Unavailable(f"pip install into {venv} failed (see {log})")
    marker.write_text(wanted)
    return py


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):
        total += proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
    return total


def _tree_pss(proc: psutil.Process) -> int:
    """Summed PSS of the tree: a page shared by n processes counts 1/n in each (the fold files
    every pool worker maps count once, not once per worker as in the summed RSS)."""
    total = 0
    for p in [proc, *_children(proc)]:
        with contextlib.suppress(psutil.Error, AttributeError):
            total += p.memory_full_info().pss
    return total


FOLD_FILES = "podium-folds-"  # the engine's fold folders (podium.engine.run.executors)


def smaps_breakdown(pid: int) -> dict[str, float]:
    """RSS and PSS (MB) of one process split by what the pages hold, from /proc/PID/smaps:
    ``folds`` (the engine's memory-mapped fold files), ``anon`` (heap and anonymous maps: the
    process's private arrays and copies), ``code`` (files: libraries and other mapped files)."""
    out = {f"{k}_{m}": 0.0 for k in ("folds", "anon", "code") for m in ("rss", "pss")}
    kind = "anon"
    with open(f"/proc/{pid}/smaps") as handle:
        for line in handle:
            first = line.split(maxsplit=6)
            if "-" in first[0] and len(first) >= 5 and ":" not in first[0]:
                path = first[5].strip() if len(first) > 5 else ""
                kind = "folds" if FOLD_FILES in path else "code" if path.startswith("/") else "anon"
            elif first[0] in ("Rss:", "Pss:"):
                out[f"{kind}_{first[0][:3].lower()}"] += int(first[1]) / 1024
    out["rss"] = out["folds_rss"] + out["anon_rss"] + out["code_rss"]
    out["pss"] = out["folds_pss"] + out["anon_pss"] + out["code_pss"]
    return out


def _role(root: psutil.Process, p: psutil.Process) -> str:
    if p.pid == root.pid:
        return "parent"
    with contextlib.suppress(psutil.Error):
        cmd = " ".join(p.cmdline())
        if "resource_tracker" in cmd:
            return "tracker"
        if "loky" in cmd:
            return "worker"
        if "multiprocessing.forkserver" in cmd:  # the pool's fork server and its workers
            return "server" if p.ppid() == root.pid else "worker"
    return "child"


def tree_breakdown(proc: psutil.Process) -> list[dict[str, Any]]:
    """:func:`smaps_breakdown` of every process of the tree, with its role."""
    rows = []
    for p in [proc, *_children(proc)]:
        with contextlib.suppress(OSError, psutil.Error, IndexError, ValueError):
            rows.append({"pid": p.pid, "role": _role(proc, p), **smaps_breakdown(p.pid)})
    return rows


def _children(proc: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return list(proc.children(recursive=True))
    return []


def _runqueue_waits(pid: int) -> dict[int, float]:
    """Each thread of ``pid``: the seconds it has waited, runnable, for a core (the second
    field of Linux's ``/proc/PID/task/TID/schedstat``); empty where the kernel does not say."""
    waits: dict[int, float] = {}
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                waits[int(task.name)] = int((task / "schedstat").read_text().split()[1]) / 1e9
    return waits


def _kill_tree(proc: psutil.Process) -> None:
    """SIGKILL ``proc`` and its descendants (a stopped run leaves no worker behind)."""
    for p in [*_children(proc), proc]:
        with contextlib.suppress(psutil.Error):
            p.kill()


def run_measured(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout_s: float = 3600.0,
    breakdown: bool = False,
) -> Measured:
    """Run ``cmd``, sampling the RSS of its process tree at 10 Hz; parse its last JSON line.

    ``peak_tree_rss_mb`` is the peak of the summed RSS of the process and all its descendants
    (shared pages counted per process); ``peak_tree_pss_mb`` the peak of its summed PSS (shared
    pages split between the processes sharing them; sampled at 2 Hz); ``max_rss_mb`` is
    ``getrusage``'s ``ru_maxrss`` of the largest single process among it and its waited-for
    descendants. With ``breakdown``, the PSS samples read each process's smaps
    (:func:`tree_breakdown`) and ``at_peak_pss`` keeps the processes of the peak PSS sample.

    ``cpu_s`` is the CPU time (user + system) the tree used: the larger of the summed last
    samples (2 Hz) of each process ever seen and ``wait4``'s count for the process and its
    waited-for descendants. Both undercount, so it is a lower bound, which a run stopped at
    ``timeout_s`` (``timed_out``: the tree is killed) turns into one on its wall: on an idle
    machine it could not have taken less than ``cpu_s ÷ cores``.

    ``runqueue_wait_s`` is the summed time its threads (each thread's last 2 Hz sample) spent
    runnable but waiting for a core: what other processes on the machine, or its own threads
    beyond the cores, cost it. Near zero, the run's wall is the wall it would have had alone.
    """
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env
    )
    peak, peak_pss = 0, 0
    at_peak: list[dict[str, Any]] = []
    cpu_seen: dict[int, float] = {}
    waits_seen: dict[tuple[int, int], float] = {}
    stop = threading.Event()
    ps = psutil.Process(proc.pid)

    def sample_cpu() -> None:
        for p in [ps, *_children(ps)]:
            with contextlib.suppress(psutil.Error):
                times = p.cpu_times()
                cpu_seen[p.pid] = times.user + times.system
            for tid, wait in _runqueue_waits(p.pid).items():
                waits_seen[(p.pid, tid)] = wait

    def sample_pss() -> int:
        nonlocal at_peak
        if not breakdown:
            return _tree_pss(ps)
        rows = tree_breakdown(ps)
        total = int(sum(r["pss"] for r in rows) * 2**20)
        if total > peak_pss:
            at_peak = rows
        return total

    def sample() -> None:
        nonlocal peak, peak_pss
        tick = 0
        while not stop.is_set():
            peak = max(peak, _tree_rss(ps))
            if tick % 5 == 0:
                peak_pss = max(peak_pss, sample_pss())
                sample_cpu()
            tick += 1
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    outputs: dict[str, str] = {}

    def drain(name: str, stream: Any) -> None:
        outputs[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("out", proc.stdout), daemon=True),
        threading.Thread(target=drain, args=("err", proc.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = start + timeout_s
    status, usage, timed_out = 0, None, False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline and not timed_out:
            sample_cpu()
            timed_out = True
            _kill_tree(ps)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    for reader in readers:
        reader.join()
    out = outputs.get("out", "")
    return Measured(
        returncode=proc.returncode,
        stdout=out,
        stderr=outputs.get("err", ""),
        wall_s=wall,
        peak_tree_rss_mb=peak / 2**20,
        peak_tree_pss_mb=peak_pss / 2**20,
        max_rss_mb=(usage.ru_maxrss / 1024) if usage else 0.0,
        result=last_json(out),
        at_peak_pss=at_peak,
        cpu_s=max(sum(cpu_seen.values()), (usage.ru_utime + usage.ru_stime) if usage else 0.0),
        runqueue_wait_s=sum(waits_seen.values()),
        timed_out=timed_out,
    )


def last_json(text: str) -> dict[str, Any]:
    """The last line of ``text`` that parses as a JSON object (``{}`` when none does)."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                value = json.loads(line)
                if isinstance(value, dict):
                    return value
    return {}


def tail(text: str, lines: int = 6) -> str:
    """The last ``lines`` lines of ``text``, indented, for error messages."""
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def machine_load() -> str:
    """One line describing the machine and its load right now."""
    load1, load5, _ = os.getloadavg()
    mem = psutil.virtual_memory()
    busy = psutil.cpu_percent(interval=0.5)
    return (
        f"{CORES} cores, load avg {load1:.2f} (1 min) / {load5:.2f} (5 min), "
        f"CPU busy {busy:.0f} %, RAM {mem.used / 2**30:.1f}/{mem.total / 2**30:.1f} GiB"
    )


def fmt(value: Any, digits: int = 3) -> str:
    """A table cell: floats to ``digits`` significant places, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table (Markdown pipe syntax, so it pastes into RESULTS.md)."""
    cells = [[fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    return "\n".join([line, rule, *body])


def file_sha(path: Path) -> str:
    """Short SHA-256 of a file (to show that both sides read the same bytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def section(title: str) -> Iterator[None]:
    """Print a section header and the time the section took."""
    print(f"\n## {title}\n")
    start = time.perf_counter()
    try:
        yield
    finally:
        print(f"\n({title}: {time.perf_counter() - start:.1f} s)")
