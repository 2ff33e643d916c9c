"""The Experiment: a checked, split table ready to compare, create and finalize models."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from podium import __version__
from podium.engine.errors import DataError
from podium.engine.events import OnEvent, ShouldStop
from podium.engine.models import recipes
from podium.engine.models.hyperparams import hyperparameters
from podium.engine.prepare.cv import fold_indices
from podium.engine.prepare.preprocessing import build_preprocessor, describe_preprocessing
from podium.engine.records import ColumnInfo, Finding, ModelRecipe, PlotData
from podium.engine.run import heap
from podium.engine.run.executors import FOLDS_PREFIX, Executor
from podium.engine.run.fits import HOLDOUT, FoldArrays
from podium.engine.run.metrics import default_sort
from podium.engine.run.results import CompareResult, CreateResult
from podium.engine.run.tempdirs import OwnedFolder
from podium.engine.search.methods import Improving
from podium.engine.search.results import ImproveResult
from podium.engine.standalone import describe_values, quiet

if TYPE_CHECKING:
    from podium.engine.evaluate.analysis import AnalysisInputs, OnPlot

__all__ = [
    "CompareResult",
    "CreateResult",
    "Experiment",
    "ExperimentData",
    "ImproveResult",
    "finalize",
]

Array = np.ndarray[Any, Any]
# A fold whose arrays pass this goes to disk once computed and is kept memory-mapped: the
# process then holds no copy of it, and executors link its files instead of writing them again.
SPILL_BYTES = 32 * 2**20


@dataclass
class ExperimentData:
    """Everything setup decided (internal)."""

    X: pd.DataFrame
    y: pd.Series
    y_enc: Array
    target: str
    task: str
    schema: list[ColumnInfo]
    classes: list[Any]
    folds: int
    train_size: float
    seed: int
    settings: dict[str, Any]
    train_idx: Array
    holdout_idx: Array
    stratify: bool
    cache: dict[int, FoldArrays] = field(default_factory=dict)
    cache32: dict[int, FoldArrays] = field(default_factory=dict)  # fold_data(dtype="float32")
    rows: dict[int, Array] = field(default_factory=dict)  # validation rows per fold
    encoded_width: int = 0


class Experiment(Improving):
    """A prepared experiment; build it with :func:`podium.engine.setup`."""

    def __init__(self, data: ExperimentData, findings: list[Finding]) -> None:
        self._d = data
        self.findings = findings
        self._models: dict[str, ModelRecipe] = {}  # what tune/blend/... made, by id
        self._spill: OwnedFolder | None = None  # where large folds live (see SPILL_BYTES)

    task = property(lambda self: self._d.task, doc="binary, multiclass or regression.")
    target = property(lambda self: self._d.target, doc="The target column.")
    seed = property(lambda self: self._d.seed, doc="The seed of every split and model.")
    folds = property(lambda self: self._d.folds, doc="Number of CV folds.")
    settings = property(lambda self: dict(self._d.settings), doc="Validated setup settings.")
    classes = property(lambda self: list(self._d.classes), doc="Class labels (classification).")
    n_classes = property(
        lambda self: len(self._d.classes), doc="Number of classes (0 for regression)."
    )

    @property
    def schema(self) -> list[ColumnInfo]:
        """``[{name, dtype, kind, missing, unique, role}]`` per column."""
        return [c.copy() for c in self._d.schema]

    @property
    def has_holdout(self) -> bool:
        """True when setup kept a holdout part (``train_size`` < 1)."""
        return len(self._d.holdout_idx) > 0

    @property
    def default_sort(self) -> str:
        """AUC on imbalanced classes, Accuracy otherwise; R2 for regression."""
        return default_sort(self.task, self.findings)

    def fit_size(self) -> tuple[int, int, int]:
        """``(rows, encoded columns, classes)`` of one CV fit: what a model's cost grows with.

        Classes are 1 for binary and regression (one model fitted), else their number.
        """
        d = self._d
        rows = len(d.train_idx) * (d.folds - 1) // d.folds
        classes = len(d.classes) if len(d.classes) > 2 else 1
        return rows, max(1, d.encoded_width), classes

    def sample_rows(self, n: int = 64) -> pd.DataFrame:
        """Up to ``n`` feature rows of the training part, as a finalized pipeline takes them."""
        d = self._d
        return d.X.iloc[d.train_idx[:n]]

    def input_schema(self) -> list[dict[str, Any]]:
        """The finalized pipeline's input columns: name, kind, dtype, and what training held
        (``holds``, and ``boolean_values`` for two spellings of true/false; ``dayfirst`` for a
        date column written day first) — what
        :func:`podium.engine.standalone.prepare_input` needs to take values as they appeared."""
        out = []
        for col in self._d.schema:
            if col["role"] != "feature":
                continue
            spec: dict[str, Any] = {"name": col["name"], "kind": col["kind"], "dtype": col["dtype"]}
            if col["kind"] != "datetime":
                spec.update(describe_values(pd.unique(self._d.X[col["name"]].to_numpy())))
            elif col.get("dayfirst"):
                spec["dayfirst"] = True
            out.append(spec)
        return out

    def example_rows(self, n: int = 3) -> list[dict[str, Any]]:
        """Up to ``n`` training rows as JSON objects of the input columns (complete rows first),
        for a user to start from; never the target."""
        d = self._d
        X = d.X.iloc[d.train_idx]
        rows = pd.concat([X[X.notna().all(axis=1)], X[X.isna().any(axis=1)]]).head(n)
        ints = {c["name"] for c in d.schema if str(c["dtype"]).startswith(("int", "uint"))}
        return [
            {str(k): _example_value(v, k in ints) for k, v in row.items()}
            for row in rows.to_dict("records")
        ]

    def preprocessing(self) -> list[dict[str, Any]]:
        """The preprocessing every model of this experiment sees, step by step, in words:
        ``[{name, columns, details}]`` (fitted on each fold's training rows)."""
        return describe_preprocessing(self._d.schema, self._d.settings)

    def validation_rows(self) -> dict[int, Array]:
        """Rows (positions in the table setup took) each CV fold validates on; the holdout
        rows under ``HOLDOUT`` (-1) when there is a holdout."""
        d = self._d
        if not d.rows:
            y_train = d.y_enc[d.train_idx]
            splits = fold_indices(y_train, d.task, d.folds, d.seed, d.stratify)
            d.rows = {fold: d.train_idx[va] for fold, (_, va) in enumerate(splits)}
            if len(d.holdout_idx):
                d.rows[HOLDOUT] = d.holdout_idx
        return dict(d.rows)

    def fold_data(
        self, include_holdout: bool = False, dtype: str = "float64"
    ) -> dict[int, FoldArrays]:
        """Preprocessed arrays per fold: the preprocessing is fitted once per fold (cached).

        ``dtype="float32"``: X as float32 (the float64 values rounded once), for runs whose
        every model converts X to float32 itself (:func:`registry.takes_float32`): half the
        bytes mapped, and no per-fit conversion copy.
        """
        d = self._d
        cache = d.cache if dtype == "float64" else d.cache32
        y_train = d.y_enc[d.train_idx]
        before = len(cache)
        if not any(k >= 0 for k in cache):
            splits = fold_indices(y_train, d.task, d.folds, d.seed, d.stratify)
            for fold, (tr, va) in enumerate(splits):
                arrays = self._transform(d.train_idx[tr], d.train_idx[va], dtype)
                cache[fold] = self._kept(fold, arrays, dtype)
        if include_holdout and len(d.holdout_idx) and HOLDOUT not in cache:
            arrays = self._transform(d.train_idx, d.holdout_idx, dtype)
            cache[HOLDOUT] = self._kept(HOLDOUT, arrays, dtype)
        if len(cache) > before and self._spill is not None:
            heap.release()  # the preprocessing's freed copies of large folds (heap.py)
        return {k: v for k, v in cache.items() if k >= 0 or include_holdout}

    @contextlib.contextmanager
    def frame_aside(self) -> Iterator[None]:
        """While the fits of a large experiment run, its table waits on disk instead of in this
        process: once the folds are written, nothing reads it until the fits are done (then
        ``finalize``, analyses and the sample rows do, so it comes back). Small experiments
        (folds kept in memory) keep it where it is."""
        d = self._d
        if self._spill is None:
            yield
            return
        path = self._spill.path / "frame.pkl"
        if not path.exists():
            d.X.to_pickle(path)
        del d.X
        heap.release()
        try:
            yield
        finally:
            d.X = pd.read_pickle(path)

    def _kept(self, fold: int, arrays: FoldArrays, dtype: str = "float64") -> FoldArrays:
        """A large fold's arrays written to this experiment's folder and memory-mapped (the
        folder goes with the experiment; a killed process's is removed by the next worker)."""
        if arrays.nbytes < SPILL_BYTES:
            return arrays
        if self._spill is None:
            self._spill = OwnedFolder(FOLDS_PREFIX)
            weakref.finalize(self, self._spill.remove)
        folder = self._spill.path if dtype == "float64" else self._spill.path / dtype
        folder.mkdir(exist_ok=True)
        return arrays.save(folder, fold).load()

    def _transform(self, fit_rows: Array, valid_rows: Array, dtype: str = "float64") -> FoldArrays:
        d = self._d
        pre = build_preprocessor(d.schema, d.settings, d.task, d.seed)
        with quiet():
            X_tr = pre.fit_transform(d.X.iloc[fit_rows], d.y_enc[fit_rows])
            X_va = pre.transform(d.X.iloc[valid_rows])
        return FoldArrays(
            np.ascontiguousarray(np.asarray(X_tr, dtype="float64"), dtype=dtype),
            d.y_enc[fit_rows],
            np.ascontiguousarray(np.asarray(X_va, dtype="float64"), dtype=dtype),
            d.y_enc[valid_rows],
        )

    def compare(
        self,
        models: list[str] | None = None,
        sort: str | None = None,
        n_select: int = 1,
        budget_s: float | None = None,
        model_time_limit_s: float | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
        race: bool = True,
    ) -> CompareResult:
        """Cross-validate models in parallel and rank them.

        Parameters
        ----------
        models : list of str, optional
            Model ids (:func:`podium.engine.describe.models`); all available ones when None
            (minus, when ``turbo``, the models whose cost grows faster than the table and
            whose fit is expected to take over ``registry.DEFAULT_FIT_S`` at this size;
            a ``warning`` event ``costly_models`` names them).
        sort : str, optional
            Metric column to rank by; see :attr:`default_sort`.
        n_select : int
            How many best ids to return.
        budget_s, model_time_limit_s : float, optional
            Wall-time budget of the whole comparison / cumulative fit time per model. Without
            a per-model limit each model gets one derived from the budget or from the other
            models' fit times (``podium.engine.run.scheduler``); a model stopped by it keeps a row
            whose Error says so.
        on_event, should_stop : callable, optional
            Progress events; stop signal polled at least 5 times a second.
        executor : ProcessExecutor or DaskExecutor, optional
            Where the fits run (a local process pool by default).
        race : bool
            Race the models (default): folds run round by round and a model that another
            beats beyond noise on the folds both ran stops (:mod:`podium.engine.run.racing`),
            keeping a row marked ``partial`` with ``folds_done``; the leader and every model
            within noise of it run every fold. On large tables the models first fit each
            fold on subsamples (successive halving, :mod:`podium.engine.run.halving`): one
            whose learning curve cannot reach another's stops there, its row carrying
            ``fit_rows``. False runs every fold of every model on every row.

        Returns
        -------
        CompareResult

        Raises
        ------
        Cancelled
            When ``should_stop`` turned true; carries the finished rows.
        DataError
            When no model finished (budget or time limits spent, or every model failed).

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> res = exp.compare(models=["dt", "dummy"])
        >>> res.best, res.leaderboard["columns"][0]
        (['dt'], 'Model')
        """
        from podium.engine.run.runner import run_compare

        return run_compare(
            self,
            models,
            sort,
            n_select,
            budget_s,
            model_time_limit_s,
            on_event,
            should_stop,
            executor,
            race,
        )

    def create(
        self,
        model_id: str,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
        **params: Any,
    ) -> CreateResult:
        """Cross-validate one model: one row per fold, then Mean and Std; plus holdout scores.

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> [r["Fold"] for r in exp.create("dt").leaderboard["rows"]]
        [0, 1, 'Mean', 'Std']
        """
        from podium.engine.run.runner import run_create

        return run_create(self, model_id, on_event, should_stop, executor, params)

    def analyse(
        self,
        model: Any,
        sort: str | None = None,
        on_plot: OnPlot | None = None,
        **params: Any,
    ) -> dict[str, PlotData]:
        """Fit ``model`` (an id with ``params`` on its defaults, a leaderboard row, a recipe or
        a result's model: tuned, ensembled, blended, stacked) once on the training part (the
        holdout's, else the first fold's) and compute its analysis plots
        (:mod:`podium.engine.evaluate.analysis`): the model's own importance, permutation
        importance and SHAP on the held-out rows, and a learning curve on the folds. ``sort``
        is the metric they use (:attr:`default_sort` when None).

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> sorted(exp.analyse("dt"))[:2]
        ['feature_importance', 'learning_curve']
        """
        from podium.engine.evaluate.analysis import analyse

        inputs = self._analysis_inputs(sort or self.default_sort)
        return analyse(inputs, self._recipe(model, params), on_plot)

    def _analysis_inputs(self, sort: str) -> AnalysisInputs:
        from podium.engine.evaluate.analysis import AnalysisInputs

        d = self._d
        y_train = d.y_enc[d.train_idx]
        folds = fold_indices(y_train, d.task, d.folds, d.seed, d.stratify)
        if len(d.holdout_idx):
            fit_rows, eval_rows, name = d.train_idx, d.holdout_idx, "holdout"
        else:
            fit_rows, eval_rows = d.train_idx[folds[0][0]], d.train_idx[folds[0][1]]
            name = "validation (fold 1)"
        return AnalysisInputs(
            task=d.task,
            seed=d.seed,
            n_classes=len(d.classes),
            classes=[str(c) for c in d.classes],
            sort=sort,
            X_fit=d.X.iloc[fit_rows],
            y_fit=d.y_enc[fit_rows],
            X_eval=d.X.iloc[eval_rows],
            y_eval=d.y_enc[eval_rows],
            eval_name=name,
            X_train=d.X.iloc[d.train_idx],
            y_train=y_train,
            folds=folds,
            preprocessor=lambda: build_preprocessor(d.schema, d.settings, d.task, d.seed),
        )

    def _background(self, pipe: Pipeline) -> Array:
        """Encoded training rows a model-agnostic explainer averages over (up to 100, seeded):
        kept in the artifact so a deployment explains predictions without the training data."""
        from podium.engine.evaluate.explain import BACKGROUND_ROWS

        d = self._d
        pre = pipe.named_steps["preprocess"]
        width = max(1, int(sum(s.stop - s.start for s in pre.output_indices_.values())))
        n = min(len(d.X), BACKGROUND_ROWS, max(10, BACKGROUND_CELLS // width))
        rows = np.sort(np.random.default_rng(d.seed).choice(len(d.X), n, replace=False))
        with quiet():
            return np.ascontiguousarray(pre.transform(d.X.iloc[rows]), dtype="float64")

    def _recipe(self, model: Any, params: dict[str, Any]) -> ModelRecipe:
        """The recipe ``model`` stands for, with ``params`` on a plain model's own."""
        recipe = self.model(model)
        if params:
            if recipe["kind"] != "model":
                raise DataError(f"model {recipe['id']!r} is a {recipe['kind']}: it takes no params")
            recipe = {**recipe, "params": {**(recipe.get("params") or {}), **params}}
        return recipe

    def finalize(self, model: Any, **params: Any) -> Pipeline:
        """Refit preprocessing + model on every row; the pipeline predicts original labels.

        ``model`` is a model id (with ``params`` on its defaults), a leaderboard row, a
        recipe, or a result's model (tuned, ensembled, blended, stacked).

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> df, target = samples.load("iris")
        >>> pipe = setup(df, target, folds=2).finalize("dt")
        >>> str(pipe.predict(df.drop(columns=target).head(1))[0])
        'setosa'
        """
        d = self._d
        recipe = self._recipe(model, params)
        estimator = recipes.build(d.task, recipe, d.seed)
        if d.task != "regression":
            estimator = label_encoded(estimator)
        pipe = Pipeline(
            [
                ("preprocess", build_preprocessor(d.schema, d.settings, d.task, d.seed)),
                ("model", estimator),
            ]
        )
        with quiet():
            pipe.fit(d.X, d.y.to_numpy() if d.task != "regression" else d.y_enc)
        pipe.podium_background_ = self._background(pipe)
        pipe.podium_metadata_ = {
            "model_id": recipe["id"],
            "model_name": recipe["name"],
            "params": hyperparameters(fitted_estimator(pipe)),
            "task": d.task,
            "target": d.target,
            "classes": list(d.classes),
            "input_schema": self.input_schema(),
            "examples": self.example_rows(),
            "seed": d.seed,
            "rows": len(d.X),
            "engine_version": __version__,
        }
        if recipe["kind"] != "model":
            pipe.podium_metadata_["recipe"] = recipe
        return pipe


BACKGROUND_CELLS = 200_000  # at most 100 rows, fewer on very wide encodings (≤ 1.6 MB)


def label_encoded(model: Any) -> Any:
    """Fit ``model`` on labels 0..k-1 (as in CV) and answer in the original labels.

    A one-member scikit-learn ``VotingClassifier`` does exactly that (``LabelEncoder`` in,
    ``inverse_transform`` out) and keeps the artifact free of Podium types. Soft voting (the
    argmax of the member's probabilities) when the model has ``predict_proba``; otherwise hard
    voting, i.e. the member's own prediction.
    """
    from sklearn.ensemble import VotingClassifier

    voting = "soft" if hasattr(model, "predict_proba") else "hard"
    return VotingClassifier([("model", model)], voting=voting, flatten_transform=False)


def fitted_estimator(pipe: Pipeline) -> Any:
    """The model inside a finalized pipeline (unwrapped from :func:`label_encoded`)."""
    from sklearn.ensemble import VotingClassifier

    model = pipe.named_steps["model"]
    inner = getattr(model, "estimators_", None)
    return inner[0] if isinstance(model, VotingClassifier) and inner else model


def _example_value(value: Any, integer: bool) -> Any:
    """A training value as JSON: NaN → None, dates as ISO text, integer columns as ints."""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    value = value.item() if isinstance(value, np.generic) else value
    return int(value) if integer and isinstance(value, float) and value.is_integer() else value


def finalize(experiment: Experiment, model: Any, **params: Any) -> Pipeline:
    """Module-level form of :meth:`Experiment.finalize`."""
    return experiment.finalize(model, **params)
