"""Run a list of fits on an executor: longest first, bounded in flight, stoppable at any time."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from podium.engine.executors import Executor
from podium.engine.tasks import FitResult, FitTask

POLL_S = 0.1  # should_stop, budget and time limits are checked at least this often


@dataclass
class Limits:
    """When to stop early."""

    should_stop: Callable[[], bool] | None = None
    budget_s: float | None = None
    model_time_limit_s: float | None = None


@dataclass
class Hooks:
    """What the caller hears about: a task started, a result came, a model ran out of time."""

    on_submit: Callable[[FitTask], None] = lambda t: None
    on_result: Callable[[FitTask, FitResult], None] = lambda t, r: None
    on_timeout: Callable[[str], None] = lambda model_id: None


@dataclass
class _State:
    pending: deque[FitTask]
    inflight: dict[object, tuple[FitTask, float]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    spent: dict[str, float] = field(default_factory=dict)


def order(tasks: list[FitTask]) -> list[FitTask]:
    """Longest expected fits first; the folds of one model stay together."""
    rank = {t.model_id: i for i, t in enumerate(tasks)}
    return sorted(tasks, key=lambda t: (-t.cost, rank[t.model_id], t.fold))


def run(executor: Executor, tasks: list[FitTask], limits: Limits, hooks: Hooks) -> str:
    """Run ``tasks`` until done or stopped.

    Returns
    -------
    str
        ``"done"``, ``"cancelled"`` (should_stop turned true) or ``"budget"``; fits in flight
        are killed in the last two cases.
    """
    state = _State(pending=deque(order(tasks)))
    try:
        return _loop(executor, state, limits, hooks)
    except BaseException:  # KeyboardInterrupt, a failing callback...: leave no fit running
        _kill(executor, state)
        raise


def _loop(executor: Executor, state: _State, limits: Limits, hooks: Hooks) -> str:
    deadline = None if limits.budget_s is None else time.monotonic() + limits.budget_s
    while state.pending or state.inflight:
        if limits.should_stop is not None and limits.should_stop():
            _kill(executor, state)
            return "cancelled"
        if deadline is not None and time.monotonic() >= deadline:
            _kill(executor, state)
            return "budget"
        if limits.model_time_limit_s is not None:
            _enforce_model_limit(executor, state, limits.model_time_limit_s, hooks)
        _fill(executor, state, hooks)
        if not state.inflight:
            continue
        for handle in executor.wait(list(state.inflight), timeout=POLL_S):
            task, _ = state.inflight.pop(handle)
            result = executor.result(handle, task)
            if task.model_id in state.dropped:
                continue
            state.spent[task.model_id] = (
                state.spent.get(task.model_id, 0.0) + result.duration_ms / 1000
            )
            if result.error is not None:
                _drop(state, task.model_id)
            hooks.on_result(task, result)
    return "done"


def _fill(executor: Executor, state: _State, hooks: Hooks) -> None:
    while state.pending and len(state.inflight) < executor.slots:
        task = state.pending.popleft()
        if task.model_id in state.dropped:
            continue
        handle = executor.submit(task)
        state.inflight[handle] = (task, time.monotonic())
        hooks.on_submit(task)


def _drop(state: _State, model_id: str) -> None:
    state.dropped.add(model_id)
    state.pending = deque(t for t in state.pending if t.model_id != model_id)


def _kill(executor: Executor, state: _State) -> None:
    if state.inflight:
        executor.kill()
    state.inflight.clear()
    state.pending.clear()


def _enforce_model_limit(executor: Executor, state: _State, limit: float, hooks: Hooks) -> None:
    wall = time.time()
    running: dict[str, float] = {}
    for handle, (task, _) in state.inflight.items():
        began = executor.started_at(handle, task)
        elapsed = 0.0 if began is None else max(0.0, wall - began)
        running[task.model_id] = running.get(task.model_id, 0.0) + elapsed
    over = [m for m, r in running.items() if state.spent.get(m, 0.0) + r > limit]
    if not over:
        return
    survivors = [t for t, _ in state.inflight.values() if t.model_id not in over]
    executor.kill()
    state.inflight.clear()
    for model_id in over:
        _drop(state, model_id)
        hooks.on_timeout(model_id)
    # fits of other models lost to the kill start again, first
    state.pending.extendleft(reversed(survivors))
