"""Run a list of fits on an executor: the first row soon, then longest first, bounded in
flight (by slots and by the memory the fits hold), every model under a time limit, stoppable
at any time; raced (fold by fold, the caller stopping models that cannot catch the leader) or
model by model."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from podium.engine.models import recipes, registry
from podium.engine.run import racing
from podium.engine.run.executors import Executor
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask

POLL_S = 0.1  # should_stop, budget and time limits are checked at least this often
# Default per-model limit (cumulative fit time of one model over its folds) when none is given:
# with a budget, OTHERS_FACTOR × the model's fair share of it (budget × slots ÷ models); without
# one, OTHERS_FACTOR × the larger of the model's own expected fit time and the other models' fit
# time (each other model counted at the larger of what it used and what it is expected to use:
# longest-first puts one model's folds in every slot before the others ran), expectations scaled
# by how slow the finished fits were against theirs; never under LIMIT_FLOOR_S.
OTHERS_FACTOR = 3.0
LIMIT_FLOOR_S = 30.0
# Memory admission: the fits in flight may together hold at most this many bytes of their own
# (``FitTask.memory``: what a fit allocates beside the fold it maps, registry.fit_bytes). A fit
# that would pass it waits until the running fits end, then runs alone. Only large folds reach
# it: at 1,000,000 rows × 30 encoded columns (folds of 128 MiB) ridge (3 copies) and lda (4.5)
# run alone; at 200,000 rows no two fits of the catalogue's estimates pass it, so smaller
# compares never wait. The default: a machine's own budget is ProcessExecutor(memory_bytes=…)
# (the server's PODIUM_FIT_MEMORY_MIB, the CLI's --fit-memory-mib).
MEMORY_BYTES = 320 * 2**20


@dataclass
class Limits:
    """When to stop early.

    ``model_time_limit_s`` is the user's per-model limit; with ``default_model_limit`` and none
    given, each model gets the derived limit above (compare does; create does not).
    ``memory_bytes``: what the fits in flight may hold together (None: the executor's
    ``memory_bytes``, else :data:`MEMORY_BYTES`).
    """

    should_stop: Callable[[], bool] | None = None
    budget_s: float | None = None
    model_time_limit_s: float | None = None
    default_model_limit: bool = False
    memory_bytes: float | None = None


@dataclass
class Hooks:
    """What the caller hears about: a task started, a result came, a model ran out of time
    (with the limit it hit and, for a derived limit, how it was derived); and what it says
    back: ``stopped`` (asked after each result) names models whose remaining fits are dropped
    (racing). Their fits in flight run to their end, their results not reported, unless
    nothing else is left to run: then they are killed and the run ends.

    ``speculative`` (asked whenever a slot is free) says of a pending fit whether a decision
    not yet taken may throw its result away: None when it will be kept, else a rank (lower:
    likelier kept). A free slot takes the first fit in order that will be kept, and only when
    there is none the speculative fit of the lowest rank — so a slot is never idle, and the
    fits a race or halving may still stop (say a costly model's fourth fold while its third
    checkpoint waits for the others' folds) run last. Which fit runs when never changes a
    decision: those come from scores alone.
    """

    on_submit: Callable[[FitTask], None] = lambda t: None
    on_result: Callable[[FitTask, FitResult], None] = lambda t, r: None
    on_timeout: Callable[[str, float, str | None], None] = lambda model_id, limit, why: None
    stopped: Callable[[], Iterable[str]] = lambda: ()
    speculative: Callable[[FitTask], float | None] = lambda t: None


@dataclass
class _State:
    pending: deque[FitTask]
    inflight: dict[object, tuple[FitTask, float]] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)
    spent: dict[str, float] = field(default_factory=dict)
    done_s: float = 0.0  # fit seconds of the finished fits ...
    done_expected_s: float = 0.0  # ... and what they were expected to take

    @property
    def scale(self) -> float:
        """How much slower than expected the fits run (at least 1)."""
        return max(1.0, self.done_s / self.done_expected_s) if self.done_expected_s else 1.0


def order(
    tasks: list[FitTask], first: str | None = None, rounds: bool = False, first_round: int = 3
) -> list[FitTask]:
    """``first``'s folds (a cheap model: the first row comes at once), then the longest
    expected fits first (the total stays short); the folds of one model stay together.

    With ``rounds`` (racing) the others run round by round instead: the low-fidelity fits of
    successive halving first (``FitTask.rows``), then every model's first ``first_round`` folds
    (the fewest the race's paired test needs), then every model's next fold, ..., the last
    fold and the holdout fit together; longest first within a round. No checkpoint waits for
    a last fold or a holdout fit, so the last round runs the critical path first: a complete
    leader's holdout fit (its longest: ``folds / (folds - 1)`` of a fold's) before cheaper
    models' last folds, instead of alone on one core at the end.
    """
    rank = {t.model_id: i for i, t in enumerate(tasks)}
    if rounds:
        last = max((t.fold for t in tasks), default=0) + 1

        def round_of(t: FitTask) -> int:
            if t.rows is not None:
                return -1
            return max(first_round, last) - 1 if t.fold == HOLDOUT else max(first_round - 1, t.fold)

        return sorted(
            tasks,
            key=lambda t: (t.model_id != first, round_of(t), -t.cost, rank[t.model_id], t.fold),
        )
    return sorted(tasks, key=lambda t: (t.model_id != first, -t.cost, rank[t.model_id], t.fold))


def run(
    executor: Executor,
    tasks: list[FitTask],
    limits: Limits,
    hooks: Hooks,
    first: str | None = None,
    rounds: bool = False,
    first_round: int = racing.MIN_FOLDS,
) -> str:
    """Run ``tasks`` until done or stopped (``first_round``: the folds of a model the race
    judges first, see :func:`order`).

    Returns
    -------
    str
        ``"done"``, ``"cancelled"`` (should_stop turned true) or ``"budget"``; fits in flight
        are killed in the last two cases.
    """
    state = _State(pending=deque(order(tasks, first, rounds, first_round)))
    limit = _ModelLimit(limits, tasks, executor.slots)
    try:
        return _loop(executor, state, limits, hooks, limit)
    except BaseException:  # KeyboardInterrupt, a failing callback...: leave no fit running
        _kill(executor, state)
        raise


class _ModelLimit:
    """The time limit of each model: the user's, derived from the budget, or from fit times."""

    def __init__(self, limits: Limits, tasks: list[FitTask], slots: int) -> None:
        self.expected: dict[str, float] = {}
        for t in tasks:
            self.expected[t.model_id] = self.expected.get(t.model_id, 0.0) + t.cost
        self.fixed, self.why = limits.model_time_limit_s, None
        self.dynamic = False
        if self.fixed is None and limits.default_model_limit:
            if limits.budget_s is not None:
                share = limits.budget_s * slots / max(1, len(self.expected))
                self.fixed = round(OTHERS_FACTOR * share, 1)
                self.why = f"{OTHERS_FACTOR:g} × its share of the time budget"
            else:
                self.dynamic = True

    @property
    def active(self) -> bool:
        return self.fixed is not None or self.dynamic

    def of(
        self, model_id: str, used: dict[str, float], scale: float = 1.0
    ) -> tuple[float, str | None]:
        if self.fixed is not None:
            return self.fixed, self.why
        others = sum(
            max(used.get(m, 0.0), expected * scale)
            for m, expected in self.expected.items()
            if m != model_id
        )
        own = self.expected.get(model_id, 0.0) * scale
        limit = round(max(LIMIT_FLOOR_S, OTHERS_FACTOR * max(own, others)), 1)
        why = f"{OTHERS_FACTOR:g} × its expected fit time or the other models', whichever is larger"
        return limit, why


def _loop(
    executor: Executor, state: _State, limits: Limits, hooks: Hooks, limit: _ModelLimit
) -> str:
    deadline = None if limits.budget_s is None else time.monotonic() + limits.budget_s
    memory = memory_budget(executor, limits.memory_bytes)
    while state.pending or state.inflight:
        if limits.should_stop is not None and limits.should_stop():
            _kill(executor, state)
            return "cancelled"
        if deadline is not None and time.monotonic() >= deadline:
            _kill(executor, state)
            return "budget"
        if limit.active:
            _enforce_model_limit(executor, state, limit, hooks)
        _fill(executor, state, hooks, memory)
        if not state.inflight:
            continue
        if not state.pending and _only_dropped(state):
            _kill(executor, state)  # nothing left but fits whose results are thrown away
            break
        for handle in executor.wait(list(state.inflight), timeout=POLL_S):
            task, _ = state.inflight.pop(handle)
            result = executor.result(handle, task)
            if task.model_id in state.dropped:
                continue
            state.spent[task.model_id] = (
                state.spent.get(task.model_id, 0.0) + result.duration_ms / 1000
            )
            if result.error is None:
                state.done_s += result.duration_ms / 1000
                state.done_expected_s += task.cost
            if result.error is not None and task.rows is None:
                _drop(state, task.model_id)  # a failed low-fidelity fit leaves the model on
            hooks.on_result(task, result)
            for model_id in hooks.stopped():
                _drop(state, model_id)
    return "done"


def memory_budget(executor: Executor, memory_bytes: float | None = None) -> float:
    """What the fits in flight may hold together, for compare's scheduler and the searches'
    ``drive`` alike: ``memory_bytes`` (``Limits.memory_bytes``), else the executor's (a
    ``ProcessExecutor``'s ``memory_bytes``), else :data:`MEMORY_BYTES`."""
    if memory_bytes is not None:
        return memory_bytes
    own = executor.memory_bytes
    return MEMORY_BYTES if own is None else float(own)


def fit_memory(task: FitTask, x_bytes: int, x_rows: int) -> int:
    """The bytes one fit allocates beside its mapped fold (``FitTask.memory``), on a fold whose
    X_train holds ``x_bytes`` in ``x_rows`` rows: its model's copies of the X it fits (a
    recipe's, :func:`recipes.fit_copies`; else the registry model's) and, for a fit on fewer
    rows (halving), the subsample it takes first. Compare's runner and the searches' board
    both size their fits here."""
    nbytes, extra = x_bytes, 0
    if task.rows is not None:
        nbytes = x_bytes * min(task.rows, x_rows) // max(1, x_rows)
        extra = nbytes
    if task.recipe is not None:
        return int(recipes.fit_copies(task.recipe) * nbytes) + extra
    return registry.fit_bytes(task.model_id, nbytes) + extra


def _fill(executor: Executor, state: _State, hooks: Hooks, memory_bytes: float) -> None:
    """Start fits while slots are free (:func:`_next`'s choice) and memory allows.

    On one machine (``executor.shares_cores``), a fit whose own memory (``FitTask.memory``)
    would take the fits in flight past ``memory_bytes`` waits, and nothing starts before it:
    when they have ended it runs alone. (A cluster's fits use several machines' memory.)
    At 1,000,000 rows two fits each copying its 128 MiB fold (ridge and lda centre a copy,
    LightGBM bins one) made the compare's peak.

    On one machine's cores (``executor.shares_cores``), a fit of a model that fits alike on
    several threads (``FitTask.threadable``: scikit-learn's forests), started when no other fit
    that will be kept is waiting, takes every slot's thread: the slot that would otherwise run
    a speculative fit — often thrown away — lends its core to a fit whose result counts. While
    such a fit runs no speculative fit starts; fits that will be kept still do. At 50,000 rows a
    random forest's last folds, the compare's critical path, ran one thread each beside a
    speculative fold of the same model."""
    one_machine = executor.shares_cores
    while state.pending and len(state.inflight) < executor.slots:
        i, kept = _next(state, hooks)
        lent = (
            t.threads > 1 and t.model_id not in state.dropped for t, _ in state.inflight.values()
        )
        if not kept and any(lent):
            return  # the cores are lent to a threaded fit
        task = state.pending[i]
        if state.inflight and _held(state) + task.memory > memory_bytes and one_machine:
            return  # it waits for the fits in flight to end
        del state.pending[i]
        if (
            task.threadable
            and executor.slots > 1
            and executor.shares_cores
            and all(hooks.speculative(t) is not None for t in state.pending)
        ):
            task = replace(task, threads=executor.slots)
        handle = executor.submit(task)
        state.inflight[handle] = (task, time.monotonic())
        hooks.on_submit(task)


def _held(state: _State) -> int:
    """Bytes the fits in flight hold of their own (stopped models' too: they still run)."""
    return sum(task.memory for task, _ in state.inflight.values())


def _next(state: _State, hooks: Hooks) -> tuple[int, bool]:
    """Where in the queue the next fit is, and whether its result will be kept: the first
    pending fit that will be, else the likeliest kept of the speculative ones (:class:`Hooks`)."""
    best: tuple[float, int] | None = None
    for i, task in enumerate(state.pending):
        rank = hooks.speculative(task)
        if rank is None:
            return i, True
        if best is None or rank < best[0]:
            best = (rank, i)
    assert best is not None
    return best[1], False


def _only_dropped(state: _State) -> bool:
    """Every fit in flight belongs to a model stopped since it started (racing): its result
    will not be reported. At the end of a run the scheduler kills them rather than wait —
    a raced-out random forest's fifth fold, started speculatively, ran alone for a minute after
    the last decision at 50,000 rows."""
    return all(task.model_id in state.dropped for task, _ in state.inflight.values())


def _drop(state: _State, model_id: str) -> None:
    state.dropped.add(model_id)
    state.pending = deque(t for t in state.pending if t.model_id != model_id)


def _kill(executor: Executor, state: _State) -> None:
    if state.inflight:
        executor.kill()
    state.inflight.clear()
    state.pending.clear()


def _enforce_model_limit(
    executor: Executor, state: _State, limit: _ModelLimit, hooks: Hooks
) -> None:
    wall = time.time()
    used = dict(state.spent)
    running: set[str] = set()
    for handle, (task, _) in state.inflight.items():
        began = executor.started_at(handle, task)
        elapsed = 0.0 if began is None else max(0.0, wall - began)
        used[task.model_id] = used.get(task.model_id, 0.0) + elapsed
        running.add(task.model_id)
    over = {}
    for model_id in sorted(running):
        cap, why = limit.of(model_id, used, state.scale)
        if used[model_id] > cap:
            over[model_id] = (cap, why)
    if not over:
        return
    survivors = [t for t, _ in state.inflight.values() if t.model_id not in over]
    executor.kill()
    state.inflight.clear()
    for model_id, (cap, why) in over.items():
        state.spent[model_id] = used[model_id]  # its killed fits count for the others' limits
        _drop(state, model_id)
        hooks.on_timeout(model_id, cap, why)
    # fits of other models lost to the kill start again, first
    state.pending.extendleft(reversed(survivors))
