"""Scoring with deployed pipelines: a verified LRU cache and strict JSON rows (CSV batches:
:mod:`podium.server.services.csv_predictions`).

Nothing here trains: pipelines are loaded (SHA-256 checked against the database, then against
``manifest.json`` by the engine, with skops' explicit trusted-type list) and used to predict.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from podium.engine.standalone import InputError, quiet
from podium.server.db.models import Pipeline
from podium.server.db.session import Database
from podium.server.errors import Conflict, InvalidInput
from podium.server.schemas.predict import PredictRequest
from podium.server.services import engine, pipelines, scoring
from podium.server.services.deployments import Target
from podium.server.services.onnx_scoring import OnnxScorer
from podium.server.storage import ArtifactStore

CACHE_SIZE = 8
SAMPLE_ROWS = 100  # input rows a logged call keeps (predict_stats.LOG_ROWS outputs)


@dataclass(frozen=True)
class Loaded:
    """A verified, loaded pipeline and what validating its input needs."""

    pipe: Any
    sha256: str
    task: str
    schema: list[dict[str, Any]]
    fast: scoring.FastScorer | None = None
    output: str = "label"  # the task's TaskDef.output: what one prediction holds
    onnx: OnnxScorer | None = None  # the verified ONNX export under onnxruntime


class PipelineCache:
    """Loaded pipelines of this process, keyed by artifact SHA-256, least recently used out."""

    def __init__(self, size: int = CACHE_SIZE, onnx: bool = True) -> None:
        self.size = size
        self.onnx = onnx  # serve a pipeline's verified ONNX export when it has one
        self._items: OrderedDict[str, Loaded] = OrderedDict()
        self._loading: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.changes = 0  # pipelines loaded or evicted so far (what the process holds moved)

    def __len__(self) -> int:
        return len(self._items)

    def holds(self, sha256: str | None) -> bool:
        """Whether this process has the pipeline of ``sha256`` loaded (no reordering)."""
        with self._lock:
            return sha256 in self._items

    def lookup(self, sha256: str | None) -> Loaded | None:
        """The pipeline loaded under ``sha256`` if this process has it (no I/O)."""
        if sha256 is None:
            return None
        with self._lock:
            hit = self._items.get(sha256)
            if hit is not None:
                self._items.move_to_end(sha256)
            return hit

    def get(self, store: ArtifactStore, row: Pipeline) -> Loaded:
        """The loaded pipeline of ``row``: from the cache, or verified and loaded now.

        Raises
        ------
        Conflict
            Not ready, missing, modified on disk, or refused by the engine's loader.
        """
        pipelines.require_ready(row)
        assert row.sha256 is not None
        hit = self.lookup(row.sha256)
        if hit is not None:
            return hit
        with self._loading_lock(row.sha256):  # one load per pipeline; the others wait for it
            hit = self.lookup(row.sha256)
            if hit is not None:
                return hit
            loaded = _load(store, row, self.onnx)
            with self._lock:
                self._items[row.sha256] = loaded
                self._loading.pop(row.sha256, None)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
                self.changes += 1
        return loaded

    def _loading_lock(self, sha256: str) -> threading.Lock:
        with self._lock:
            return self._loading.setdefault(sha256, threading.Lock())


def _load(store: ArtifactStore, row: Pipeline, onnx: bool = True) -> Loaded:
    from podium.engine import ArtifactError, load_pipeline

    folder = pipelines.verified_folder(store, row)
    try:
        pipe = load_pipeline(folder)
    except ArtifactError as exc:
        raise Conflict(
            f"pipeline {row.name} v{row.version} was refused by the loader: {exc}"
        ) from None
    meta = pipe.podium_metadata_
    task, schema = str(meta["task"]), list(meta["input_schema"])
    output = engine.task_output(task)
    fast = None  # labels and values only (cluster/anomaly: the engine)
    if output in scoring.FAST_OUTPUTS:
        fast = scoring.FastScorer.build(pipe, schema, task, _engine_predict)
    runtime = onnx_runtime(folder, pipe) if onnx else None
    return Loaded(pipe, str(row.sha256), task, schema, fast, output, runtime)


def onnx_runtime(folder: Path, pipe: Any) -> OnnxScorer | None:
    """How the saved pipeline in ``folder`` scores, decided here for every path (the server's
    JSON and CSV predict, ``podium predict``): its verified ONNX export (the scorer returned)
    when its task answers labels or values and the export checks out, else None — the skops
    pipeline (the engine's ``predict``)."""
    from podium.engine.standalone import read_manifest

    if engine.task_output(str(pipe.podium_metadata_["task"])) not in scoring.FAST_OUTPUTS:
        return None
    return OnnxScorer.build(folder, read_manifest(folder), pipe, _engine_predict)


EXPLAIN_MAX_ROWS = 100


def parse_rows(body: bytes) -> list[dict[str, Any]]:
    """The ``rows`` of a JSON predict body; InvalidInput naming what is wrong."""
    return parse_request(body).rows


def parse_request(body: bytes) -> PredictRequest:
    """A JSON predict body (rows, explain); InvalidInput naming what is wrong."""
    try:
        return PredictRequest.model_validate_json(body)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(f'send {{"rows": [{{column: value, ...}}]}} — {where}') from None


def prepare_rows(
    schema: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """The rows as the pipeline's prepared columns, and the columns ignored; or InvalidInput
    naming row and column.

    Columns follow the rule of every path (``standalone.match_columns``): one the pipeline
    does not read is ignored (and named), one missing from a row is refused, and so are
    NaN/±Infinity (not JSON). Every value goes through the input preparation every path
    shares (``standalone.prepare_rows``), which takes values as they appeared in the
    training data. ``null`` is a missing value.
    """
    from podium.engine.standalone import match_columns
    from podium.engine.standalone import prepare_rows as prepare

    problems: list[str] = []
    missing: dict[str, int] = {}
    for i, row in enumerate(rows):
        for name in match_columns(row, schema)[0]:
            missing.setdefault(name, i)
    ignored = match_columns((k for r in rows for k in r), schema)[1]
    if missing:
        problems.append(
            "missing column(s): " + ", ".join(f"{n!r} (row {i})" for n, i in missing.items())
        )
        if ignored:  # a misspelt or renamed column is often the missing one
            problems.append(
                "sent column(s) the pipeline does not read: " + ", ".join(map(repr, ignored))
            )
    problems += _not_json([c["name"] for c in schema], rows)
    if problems:
        raise InvalidInput("rows do not match the pipeline's input schema: " + "; ".join(problems))
    try:
        return prepare(rows, schema), ignored
    except InputError as exc:
        raise InvalidInput(str(exc)) from None


def _not_json(names: list[str], rows: list[dict[str, Any]]) -> list[str]:
    for i, row in enumerate(rows):
        for name in names:
            value = row.get(name)
            if isinstance(value, float) and not math.isfinite(value):
                return [f"column {name!r} has {value} at row {i} (send null for a missing value)"]
    return []


def predict_rows(loaded: Loaded, columns: dict[str, Any], n: int) -> dict[str, Any]:
    """Predictions (and per-class probabilities for classifiers) of ``n`` prepared rows.

    The pipeline's verified ONNX export scores them when it has one; else small requests go
    through its verified :class:`FastScorer` when it has one (the same answers, without
    pandas); the others through the engine's ``predict``.
    """
    refuse_forecast(loaded)
    if loaded.onnx is not None:
        return loaded.onnx.score(columns)
    if loaded.fast is not None and n <= scoring.MAX_ROWS:
        return loaded.fast.score(columns)
    return scoring.as_result(_engine_predict(loaded.pipe, columns), loaded.output)


def refuse_forecast(loaded: Loaded) -> None:
    """InvalidInput pointing at the forecast route when a forecasting deployment is asked to
    score rows (JSON or CSV)."""
    if loaded.output == "forecast":
        raise InvalidInput(
            "this deployment forecasts ahead rather than scoring rows: "
            'POST /api/v1/deployments/{slug}/forecast with {"h": <steps>}'
        )


def _engine_predict(pipe: Any, columns: dict[str, Any]) -> Any:
    """The engine's ``predict`` of prepared columns (``prepare_rows``)."""
    from podium.engine.standalone import frame

    return quiet_predict(pipe, frame(columns), checked=True)


def quiet_predict(pipe: Any, frame: Any, checked: bool = False) -> Any:
    """The engine's ``predict`` without per-request UserWarnings (e.g. a category unseen in
    training, which the encoder maps to all zeros by design).

    ``checked``: the rows were prepared (no NaN/±Infinity sent, types right), so
    scikit-learn's repeated finiteness and parameter checks inside every step are skipped.
    """
    from sklearn import config_context

    from podium.engine import predict

    with (
        quiet(UserWarning),
        config_context(assume_finite=checked, skip_parameter_validation=checked),
    ):
        return predict(pipe, frame)


def serve_rows(
    load: Callable[[], Loaded], body: bytes
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parse, check and score a JSON body with the deployment's pipeline (``load()``, called
    once the body is parsed: :func:`cached_or_loaded`); return (result, rows).

    With ``"explain": true`` each row's explanation comes too (:func:`explain_rows`).
    """
    request = parse_request(body)
    rows = request.rows
    if request.explain and len(rows) > EXPLAIN_MAX_ROWS:
        raise InvalidInput(
            f"explain takes at most {EXPLAIN_MAX_ROWS} rows per request ({len(rows)} sent); "
            "send fewer rows, or leave explain out to score them all"
        )
    loaded = load()
    columns, ignored = prepare_rows(loaded.schema, rows)
    result = predict_rows(loaded, columns, len(rows))
    result["ignored_columns"] = ignored
    if request.explain:
        result["explanations"] = explain_rows(loaded, columns)
    return result, rows[:SAMPLE_ROWS]


def explain_rows(loaded: Loaded, columns: dict[str, Any]) -> list[dict[str, Any]]:
    """Each prepared row's explanation (``engine.evaluate.explain.explain_pipeline``): its
    top contributions per input column and the base value, in the model's output units.

    Raises
    ------
    Conflict
        The server has no ``shap``, or the pipeline predates explanation backgrounds.
    """
    from podium.engine import DataError
    from podium.engine.evaluate.explain import explain_pipeline
    from podium.engine.standalone import frame

    with quiet():
        try:
            return explain_pipeline(loaded.pipe, frame(columns))
        except DataError as exc:
            raise Conflict(str(exc)) from None
        except ImportError:  # shap is a dependency everywhere but on Intel macOS
            raise Conflict("explanations need the shap package, which this server lacks") from None


def cached_or_loaded(
    db: Database, store: ArtifactStore, cache: PipelineCache, target: Target
) -> Loaded:
    """The target's loaded pipeline: from this process's cache (no database), else read and
    verified now in a session of its own (:func:`loaded_for`)."""
    hit = cache.lookup(target.sha256) if target.pipeline_ready else None
    if hit is not None:
        return hit
    with db.sessions() as session:
        return loaded_for(session, store, cache, target)


def loaded_for(
    session: Session, store: ArtifactStore, cache: PipelineCache, target: Target
) -> Loaded:
    """The target's loaded pipeline: from this process's cache (no query), else verified now."""
    hit = cache.lookup(target.sha256) if target.pipeline_ready else None
    if hit is not None:
        return hit
    row = session.get(Pipeline, target.pipeline_id)
    if row is None:
        raise Conflict("the deployed pipeline is gone; deploy another one")
    return cache.get(store, row)
