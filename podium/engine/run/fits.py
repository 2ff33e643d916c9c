"""The unit of parallel work: fit one model on one fold and score it (runs in a worker)."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
import traceback
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from podium.engine.records import ModelRecipe
from podium.engine.run import heap
from podium.engine.run.predictions import HOLDOUT as HOLDOUT  # re-exported: fits name it
from podium.engine.run.predictions import FoldPrediction
from podium.engine.standalone import quiet

Array = np.ndarray[Any, Any]
SINGLE_THREADED_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
_PARTS = ("X_train", "y_train", "X_valid", "y_valid")


@dataclass(frozen=True)
class FitTask:
    """One (model × fold) fit; ``fold == HOLDOUT`` fits the training part, scores the holdout."""

    model_id: str
    task: str
    fold: int
    seed: int
    n_classes: int
    cost: float = 1.0  # expected seconds (ModelSpec.expected_s): the scheduler orders by it
    params: dict[str, Any] = field(default_factory=dict)
    recipe: ModelRecipe | None = None  # a tuned or composite model; model_id is then its id
    rows: int | None = None  # a low-fidelity fit on this many training rows (halving)
    threadable: bool = False  # the model fits alike on several threads (registry.takes_threads)
    threads: int = 1  # threads the fit may use (its n_jobs), set by the scheduler
    memory: int = 0  # bytes it allocates beside its mapped fold (registry.fit_bytes): admission

    @property
    def key(self) -> str:
        """Unique within one run."""
        return f"{self.model_id}/{self.fold}" + (f"@{self.rows}" if self.rows else "")


@dataclass(frozen=True)
class FoldArrays:
    """Preprocessed arrays of one fold (dense float X, encoded y)."""

    X_train: Array
    y_train: Array
    X_valid: Array
    y_valid: Array
    source: FoldFiles | None = field(default=None, compare=False, repr=False)  # mapped from

    @property
    def nbytes(self) -> int:
        """Bytes of the four arrays."""
        return sum(int(getattr(self, p).nbytes) for p in _PARTS)

    def save(self, directory: Path, fold: int) -> FoldFiles:
        """Write the arrays as ``.npy`` files (no pickle) and return their reference; arrays
        memory-mapped from files are linked (or copied by the kernel), never read in."""
        for part in _PARTS:
            target = directory / f"{fold}_{part}.npy"
            if self.source is not None:
                _link(self.source.path(part), target)
            else:
                np.save(target, getattr(self, part), allow_pickle=False)
        return FoldFiles(str(directory), fold)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


@dataclass(frozen=True)
class FoldFiles:
    """Where a fold's arrays live on disk; workers memory-map them instead of copying."""

    directory: str
    fold: int

    def marker(self, task: FitTask) -> Path:
        """File whose existence says the fit of ``task`` has started in a worker."""
        return Path(self.directory) / "started" / task.key.replace("/", "_")

    def mark_started(self, task: FitTask) -> None:
        """Called by the worker when the fit really starts (after any pool start-up)."""
        path = self.marker(task)
        path.parent.mkdir(exist_ok=True)
        path.touch()

    def path(self, part: str) -> Path:
        """The ``.npy`` file of one of the four arrays."""
        return Path(self.directory) / f"{self.fold}_{part}.npy"

    def load(self) -> FoldArrays:
        """Memory-map the arrays."""
        X_train, y_train, X_valid, y_valid = (
            np.load(self.path(p), mmap_mode="r", allow_pickle=False) for p in _PARTS
        )
        return FoldArrays(X_train, y_train, X_valid, y_valid, source=self)


@dataclass(frozen=True)
class FitResult:
    """What a fit reports back: scores or an error, and its fit+score duration."""

    model_id: str
    fold: int
    scores: dict[str, float | None] | None
    error: str | None
    duration_ms: int
    pid: int = 0
    prediction: FoldPrediction | None = None  # what it predicted for the validation rows
    params: dict[str, Any] | None = None  # every hyperparameter of the fitted model (JSON)


def warm_up() -> int:
    """Import what fits need: run once in every fresh worker (loky's initializer), before
    its first task, while the parent preprocesses the folds. Optional libraries that are not
    installed are skipped (their models report ``is_available=False``)."""
    import importlib

    from podium.engine.models import registry
    from podium.engine.run import metrics  # noqa: F401

    for name in registry.preload_modules():
        # never break the pool: a model whose library fails to import fails its own fits
        with suppress(Exception):
            importlib.import_module(name)
    return os.getpid()


def run_fit(task: FitTask, data: FoldArrays | FoldFiles) -> FitResult:
    """Fit ``task``'s model on its fold, predict its validation rows and score them; never
    raises for a model failure.

    Identical inputs on every executor: one BLAS/OpenMP thread per fit (:func:`single_threaded`,
    nested joblib sequential) and arrays that are C-contiguous and aligned (:func:`aligned`).
    """
    import sklearn
    from joblib import parallel_config

    from podium.engine.models.hyperparams import hyperparameters
    from podium.engine.run import metrics

    start = time.perf_counter()
    prediction, params, large = None, None, False
    try:
        arrays = aligned(data.load() if isinstance(data, FoldFiles) else data)
        large = arrays.nbytes >= heap.WORTH_BYTES
        if task.rows is not None:
            arrays = _fewer(arrays, task)
        build = _builder(task)
        build()  # first use in a fresh worker imports the model's module
        if isinstance(data, FoldFiles):
            data.mark_started(task)
        start = time.perf_counter()  # fit + score only, as the per-model time limit counts
        threads = task.threads if task.threadable and task.recipe is None else 1
        with (
            single_threaded(),
            parallel_config(backend="sequential") if threads == 1 else nullcontext(),
            quiet(),
        ):
            model = build()
            single = None
            if threads > 1:  # the same trees on more threads (registry.takes_threads)
                single = model.get_params()["n_jobs"]
                model.set_params(n_jobs=threads)
            model.fit(arrays.X_train, arrays.y_train)
            # scoring calls scikit-learn's metrics with arguments Podium built: skipping their
            # parameter validation saves ~5-15 ms per fit (fits keep theirs: user parameters)
            with sklearn.config_context(skip_parameter_validation=True):
                pred, cont, kind = metrics.predict(task.task, model, arrays.X_valid)
                scores = metrics.score_predictions(
                    task.task, arrays.y_valid, pred, cont, task.n_classes
                )
        prediction = FoldPrediction(pred, cont, kind)
        if threads > 1:
            model.set_params(n_jobs=single)  # its parameters as built: the threads were ours
        params = hyperparameters(model)
        error = None
    except Exception as exc:  # one failed model must not stop the comparison (STYLE §9)
        scores, error = None, _describe(exc)
    duration = int((time.perf_counter() - start) * 1000)
    if large:  # the fit's freed copies of a large fold leave the worker (heap.py)
        heap.release()
    return FitResult(
        task.model_id, task.fold, scores, error, duration, os.getpid(), prediction, params
    )


def _fewer(arrays: FoldArrays, task: FitTask) -> FoldArrays:
    """The fold with ``task.rows`` of its training rows (:func:`halving.subsample`)."""
    from podium.engine.run import halving

    assert task.rows is not None
    picked = halving.subsample(
        arrays.y_train, task.rows, task.seed, task.fold, stratify=task.n_classes > 0
    )
    return FoldArrays(
        arrays.X_train[picked], arrays.y_train[picked], arrays.X_valid, arrays.y_valid
    )


def _builder(task: FitTask) -> Any:
    """A function building ``task``'s unfitted estimator: its recipe, or the registry model
    with ``task.params``."""
    from podium.engine.models import recipes, registry

    if task.recipe is not None:
        recipe = task.recipe
        return lambda: recipes.build(task.task, recipe, task.seed)
    spec = registry.get(task.task, task.model_id)
    return lambda: spec.build(task.seed, **task.params)


def aligned(arrays: FoldArrays) -> FoldArrays:
    """The same arrays as plain, C-contiguous, memory-aligned ndarrays (copied only if not).

    Executors deliver the fold arrays differently: memory-mapped ``.npy`` files (loky), or
    unpickled from network frames (Dask worker processes), where an array may start at any
    byte offset (``flags.aligned`` False). NumPy and BLAS take other code paths on unaligned
    data and sum in another order; an ill-conditioned fit (``lr`` on unscaled columns) then
    follows another path and ends with another score. Every fit sees aligned arrays.
    """
    X_train, y_train, X_valid, y_valid = (
        np.require(np.asarray(getattr(arrays, p)), requirements=("C", "A")) for p in _PARTS
    )
    return FoldArrays(X_train, y_train, X_valid, y_valid)


class _OneThread:
    """Process-wide BLAS/OpenMP limit of one thread, held while at least one fit runs.

    Native thread-pool sizes are process-global: with several fits in one process (Dask
    threads, ``processes=False``), a per-fit ``threadpool_limits`` context would restore the
    old size when the first fit ends while another still runs. Here the first fit in applies
    the limit and the last one out restores it. Scanning the loaded libraries costs ~3-15 ms,
    so the scan is redone only when modules were imported since the last one.
    """

    def __init__(self) -> None:
        self.from_start = False  # the libraries started with one thread: nothing to limit
        self._lock = threading.Lock()
        self._active = 0
        self._modules = -1
        self._controller: Any = None
        self._restore: Any = None

    def __enter__(self) -> None:
        from threadpoolctl import ThreadpoolController

        with self._lock:
            self._active += 1
            if self._active > 1:
                return
            if self._modules != len(sys.modules):
                self._controller = ThreadpoolController()
                self._modules = len(sys.modules)
            self._restore = self._controller.limit(limits=1)

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._restore is not None:
                self._restore.restore_original_limits()
                self._restore = None


_ONE_THREAD = _OneThread()


def started_single_threaded() -> None:
    """Declare that this process's native libraries started with one thread.

    Called by the initializer of loky workers, which the pool starts with
    ``SINGLE_THREADED_ENV``: their fits need no per-fit limit (:func:`single_threaded`).
    """
    _ONE_THREAD.from_start = True


def single_threaded() -> Any:
    """A context limiting BLAS and OpenMP to one thread around one fit, whatever the executor.

    In loky workers (:func:`started_single_threaded`) the libraries already run one thread:
    nothing to do. Elsewhere (Dask workers, in-process fits) :class:`_OneThread`.
    """
    if _ONE_THREAD.from_start:
        return nullcontext()
    return _ONE_THREAD


def _describe(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    where = traceback.extract_tb(exc.__traceback__)[-1].name if exc.__traceback__ else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if not where else f"{text} (in {where})"
