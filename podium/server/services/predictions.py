"""Scoring with deployed pipelines: a verified LRU cache, strict JSON rows, streamed CSV batches.

Nothing here trains: pipelines are loaded (SHA-256 checked against the database, then against
``manifest.json`` by the engine, with skops' explicit trusted-type list) and used to predict.
"""

from __future__ import annotations

import io
import math
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from podium.server.db.models import Pipeline
from podium.server.errors import Conflict, InvalidInput
from podium.server.schemas.serving import PredictRequest
from podium.server.services import pipelines
from podium.server.storage import ArtifactStore

CACHE_SIZE = 8
CSV_CHUNK_ROWS = 20_000
SAMPLE_ROWS = 5
NUMBER = (int, float)
SCALAR = (str, int, float, bool)


@dataclass(frozen=True)
class Loaded:
    """A verified, loaded pipeline and what validating its input needs."""

    pipe: Any
    sha256: str
    task: str
    schema: list[dict[str, Any]]


class PipelineCache:
    """Loaded pipelines of this process, keyed by artifact SHA-256, least recently used out."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[str, Loaded] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, store: ArtifactStore, row: Pipeline) -> Loaded:
        """The loaded pipeline of ``row``: from the cache, or verified and loaded now.

        Raises
        ------
        Conflict
            Not ready, missing, modified on disk, or refused by the engine's loader.
        """
        pipelines.require_ready(row)
        assert row.sha256 is not None
        with self._lock:
            hit = self._items.get(row.sha256)
            if hit is not None:
                self._items.move_to_end(row.sha256)
                return hit
        loaded = _load(store, row)
        with self._lock:
            self._items[row.sha256] = loaded
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return loaded


def _load(store: ArtifactStore, row: Pipeline) -> Loaded:
    from podium.engine import ArtifactError, load_pipeline

    folder = pipelines.verified_folder(store, row)
    try:
        pipe = load_pipeline(folder)
    except ArtifactError as exc:
        raise Conflict(
            f"pipeline {row.name} v{row.version} was refused by the loader: {exc}"
        ) from None
    meta = pipe.podium_metadata_
    return Loaded(pipe, str(row.sha256), str(meta["task"]), list(meta["input_schema"]))


def parse_rows(body: bytes) -> list[dict[str, Any]]:
    """The ``rows`` of a JSON predict body; InvalidInput naming what is wrong."""
    try:
        return PredictRequest.model_validate_json(body).rows
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        raise InvalidInput(f'send {{"rows": [{{column: value, ...}}]}} — {where}') from None


def check_rows(schema: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
    """Refuse rows with missing, extra or wrongly typed columns, or NaN/±Infinity values.

    ``null`` is how a row says a value is missing (imputed as in training).
    """
    expected = {c["name"]: c["kind"] for c in schema}
    problems: list[str] = []
    missing = {n: i for i, r in reversed(list(enumerate(rows))) for n in expected if n not in r}
    extra = {k: i for i, r in reversed(list(enumerate(rows))) for k in r if k not in expected}
    if missing:
        problems.append(
            "missing column(s): " + ", ".join(f"{n!r} (row {i})" for n, i in missing.items())
        )
    if extra:
        problems.append(
            "unexpected column(s): " + ", ".join(f"{n!r} (row {i})" for n, i in extra.items())
        )
    for name, kind in expected.items():
        problem = _type_problem(name, kind, rows)
        if problem:
            problems.append(problem)
    if problems:
        raise InvalidInput("rows do not match the pipeline's input schema: " + "; ".join(problems))


def _type_problem(name: str, kind: str, rows: list[dict[str, Any]]) -> str | None:
    for i, row in enumerate(rows):
        value = row.get(name)
        if value is None:
            continue
        if isinstance(value, float) and not math.isfinite(value):
            return f"column {name!r} has {value} at row {i} (send null for a missing value)"
        if kind == "numeric" and (isinstance(value, bool) or not isinstance(value, NUMBER)):
            return f"column {name!r} must be a number, row {i} has {_show(value)}"
        if kind == "boolean" and not isinstance(value, bool):
            return f"column {name!r} must be true or false, row {i} has {_show(value)}"
        if not isinstance(value, SCALAR):
            return f"column {name!r} must be a single value, row {i} has {_show(value)}"
    return None


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def predict_rows(loaded: Loaded, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Predictions (and per-class probabilities for classifiers) of checked rows."""
    import pandas as pd

    names = [c["name"] for c in loaded.schema]
    frame = pd.DataFrame.from_records(rows, columns=names)
    for col in loaded.schema:
        if col["kind"] == "numeric":
            frame[col["name"]] = pd.to_numeric(frame[col["name"]], errors="coerce")
    out = _quiet_predict(loaded.pipe, frame)
    result: dict[str, Any] = {"predictions": out["prediction"].tolist(), "probabilities": None}
    proba = [c for c in out.columns if str(c).startswith("proba_")]
    if proba:
        labels = [str(c)[len("proba_") :] for c in proba]
        values = out[proba].to_numpy().tolist()
        result["probabilities"] = [dict(zip(labels, row, strict=True)) for row in values]
    return result


def _quiet_predict(pipe: Any, frame: Any) -> Any:
    """The engine's ``predict`` without per-request UserWarnings (e.g. a category unseen in
    training, which the encoder maps to all zeros by design)."""
    from podium.engine import predict

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return predict(pipe, frame)


def serve_rows(
    session: Session, store: ArtifactStore, cache: PipelineCache, pipeline_id: Any, body: bytes
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parse, check and score a JSON body with the deployment's pipeline; return (result, rows)."""
    rows = parse_rows(body)
    row = session.get(Pipeline, pipeline_id)
    if row is None:
        raise Conflict("the deployed pipeline is gone; deploy another one")
    loaded = cache.get(store, row)
    check_rows(loaded.schema, rows)
    return predict_rows(loaded, rows), rows[:SAMPLE_ROWS]


def first_chunk(loaded: Loaded, source: IO[bytes]) -> tuple[Iterator[Any], bytes]:
    """Start scoring a CSV: read and score its first chunk (errors here are still a 422).

    Returns the reader for the remaining chunks and the first scored CSV bytes (with header).
    """
    import pandas as pd

    try:
        reader = pd.read_csv(source, chunksize=CSV_CHUNK_ROWS)
        chunk = next(reader)
    except StopIteration:
        raise InvalidInput("the CSV has a header but no rows") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"could not read the CSV: {exc}") from None
    if chunk.empty:
        raise InvalidInput("the CSV has a header but no rows")
    return reader, score_chunk(loaded, chunk, header=True)


def score_chunk(loaded: Loaded, chunk: Any, header: bool) -> bytes:
    """One chunk with its ``prediction`` (+ ``proba_*``) columns appended, as CSV bytes.

    Extra columns (ids, even the target) are kept in the output and ignored by the model.
    """
    from podium.engine import DataError

    try:
        scored = _quiet_predict(loaded.pipe, chunk)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None
    out = chunk.drop(columns=[c for c in scored.columns if c in chunk.columns])
    out = out.join(scored)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, header=header)
    return buffer.getvalue().encode()


def stream_csv(
    loaded: Loaded, reader: Iterator[Any], first: bytes, done: Any, started: float
) -> Iterator[bytes]:
    """Yield the first scored chunk, then each next one; call ``done(status, latency, info)``."""
    rows, status = 0, 200
    try:
        yield first
        for chunk in reader:
            rows += len(chunk)
            yield score_chunk(loaded, chunk, header=False)
    except InvalidInput:
        status = 422
        raise
    except Exception:
        status = 500
        raise
    finally:
        done(status, (time.perf_counter() - started) * 1000, {"streamed_rows_after_first": rows})
