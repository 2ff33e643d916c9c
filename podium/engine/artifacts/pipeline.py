"""Saving, loading and using finalized pipelines: skops + a checksummed JSON manifest.

Never pickle: the artifact is a skops file loaded with an explicit allow-list of trusted
types (:data:`podium.engine.standalone.TRUSTED_TYPES`); its SHA-256 is checked against the
manifest before a byte of it is parsed. Artifacts hold scikit-learn/NumPy/booster types only,
and ``load_pipeline.py`` (a copy of :mod:`podium.engine.standalone`) is saved beside them, so
they load outside Podium with scikit-learn and skops alone.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import platform
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from podium.engine import standalone
from podium.engine.errors import ArtifactError, DataError
from podium.engine.standalone import (
    ARTIFACT,
    LOADER,
    MANIFEST,
    InputError,
    RefusedArtifact,
    match_columns,
    prepare_input,
    quiet,
)
from podium.engine.standalone import load_pipeline as load_verified

FORMAT_VERSION = 2  # 2: input_schema records training values; examples; files
_LIBRARIES = (
    "podium",
    "scikit-learn",
    "numpy",
    "pandas",
    "scipy",
    "skops",
    "lightgbm",
    "xgboost",
    "catboost",
    "pyod",
)


# Tasks whose pipelines are not scikit-learn objects save and load themselves, named by
# reference ("module:function", imported on first use) so this layer imports none of them.
_BY_TASK = {
    "forecasting": ("podium.engine.forecast.pipeline:save", "podium.engine.forecast.pipeline:load"),
}


def _part(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True)
class PipelineManifest:
    """What ``manifest.json`` holds beside the artifact."""

    name: str
    model_id: str
    model_name: str
    task: str
    target: str
    classes: list[Any]
    input_schema: list[dict[str, Any]]
    metrics: dict[str, Any]
    sha256: str
    size_bytes: int
    artifact: str = ARTIFACT
    created_at: str = ""
    library_versions: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PipelineManifest:
        """Parse a manifest dict; ArtifactError when fields are missing."""
        try:
            known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
            return cls(**known)
        except TypeError as exc:
            raise ArtifactError(f"manifest.json is incomplete: {exc}") from None


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for lib in _LIBRARIES:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            continue
    return out


def _meta(pipe: Any) -> dict[str, Any]:
    meta = getattr(pipe, "podium_metadata_", None)
    if not isinstance(meta, dict):
        raise DataError("this pipeline was not made by Experiment.finalize: nothing to save")
    return meta


def save_pipeline(
    pipe: Any,
    out_dir: str | Path,
    *,
    name: str | None = None,
    metrics: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> PipelineManifest:
    """Write ``pipeline.skops``, ``load_pipeline.py`` and ``manifest.json`` to ``out_dir``.

    The manifest holds the artifact's SHA-256, the input schema, a few example rows, library
    versions, and ``files``: the SHA-256 of every file of the folder it vouches for (the
    artifact, the loader, ``extra["onnx"]["file"]`` when one was exported there, and
    ``extra["baseline"]["file"]``, the drift baseline, when one was written there).

    Returns
    -------
    PipelineManifest
    """
    own_save = _BY_TASK.get(str(getattr(pipe, "podium_task_", "")))
    if own_save is not None:
        return cast(
            PipelineManifest,
            _part(own_save[0])(pipe, out_dir, name=name, metrics=metrics, extra=extra),
        )
    import skops.io as sio

    meta = _meta(pipe)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    blob = sio.dumps(pipe)
    (out / ARTIFACT).write_bytes(blob)
    shutil.copyfile(standalone.__file__, out / LOADER)
    extra = dict(extra or {})
    onnx_file = (extra.get("onnx") or {}).get("file")
    baseline_file = (extra.get("baseline") or {}).get("file")
    listed = [ARTIFACT, LOADER]
    listed += [Path(str(f)).name for f in (onnx_file, baseline_file) if f]
    files = {
        n: {"sha256": standalone.sha256_of(out / n), "size_bytes": (out / n).stat().st_size}
        for n in listed
    }
    manifest = PipelineManifest(
        name=name or meta["model_id"],
        model_id=meta["model_id"],
        model_name=meta["model_name"],
        task=meta["task"],
        target=meta["target"],
        classes=list(meta["classes"]),
        input_schema=list(meta["input_schema"]),
        metrics=dict(metrics or {}),
        sha256=hashlib.sha256(blob).hexdigest(),
        size_bytes=len(blob),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        library_versions=_versions(),
        extra={
            **extra,
            "params": meta.get("params", {}),
            "seed": meta.get("seed"),
            **({"output": meta["output"]} if "output" in meta else {}),
        },
        examples=list(meta.get("examples", [])),
        files=files,
    )
    (out / MANIFEST).write_text(json.dumps(_plain_json(manifest.to_dict()), indent=2))
    return manifest


def _plain_json(value: Any) -> Any:
    """Strict JSON values: NaN/±inf → None, NumPy scalars → Python, others → text."""
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def read_manifest(path: str | Path) -> PipelineManifest:
    """Read ``manifest.json`` of an artifact folder (ArtifactError when it is not one)."""
    try:
        return PipelineManifest.from_dict(standalone.read_manifest(path))
    except RefusedArtifact as exc:
        raise ArtifactError(str(exc)) from None


def load_pipeline(path: str | Path) -> Any:
    """Load a saved pipeline after checking its SHA-256 and that every type in it is trusted.

    Raises
    ------
    ArtifactError
        Missing files, checksum mismatch (the bytes are never parsed), or an untrusted type.
    """
    manifest = read_manifest(path)
    own = _BY_TASK.get(manifest.task)
    if own is not None:  # e.g. forecasting: a model spec + history, refitted and verified
        return _part(own[1])(path, manifest)
    try:
        pipe, checked = load_verified(path)
    except RefusedArtifact as exc:
        raise ArtifactError(str(exc)) from None
    meta = getattr(pipe, "podium_metadata_", None)
    if not isinstance(meta, dict):
        meta = pipe.podium_metadata_ = {
            "model_id": manifest.model_id,
            "task": manifest.task,
            "classes": manifest.classes,
        }
    meta["input_schema"] = checked["input_schema"]  # completed for pipelines saved before 2
    return pipe


def validate_input(
    manifest_or_schema: PipelineManifest | list[dict[str, Any]] | dict[str, Any],
    df: pd.DataFrame,
) -> pd.DataFrame:
    """Check ``df`` against a pipeline's input schema; return its columns, prepared.

    The preparation is :func:`podium.engine.standalone.prepare_input`'s, the one every path
    uses (and ``load_pipeline.py`` ships); columns the pipeline does not read are ignored
    (:func:`podium.engine.standalone.match_columns`).

    Raises
    ------
    DataError
        Naming the missing columns, or the row and column of each value the pipeline cannot
        take.
    """
    schema = _schema_of(manifest_or_schema)
    missing, _ignored = match_columns(df.columns, schema)
    if missing:
        raise DataError(
            "input does not match the pipeline: missing column(s): "
            + ", ".join(repr(c) for c in missing)
        )
    try:
        return cast(pd.DataFrame, prepare_input(df, schema))
    except InputError as exc:
        raise DataError(str(exc)) from None


def _schema_of(obj: Any) -> list[dict[str, Any]]:
    if isinstance(obj, PipelineManifest):
        return obj.input_schema
    if isinstance(obj, dict):
        return list(obj.get("input_schema", []))
    return list(obj)


def _answers(model: Any, Xt: Any, task: str) -> tuple[Any, Any]:
    """Labels (or values) and class probabilities, with one model pass where possible.

    The engine's label wrapper, a soft-voting ``VotingClassifier``, predicts the argmax of
    its probabilities decoded by its label encoder (scikit-learn's own ``predict``), so its
    labels are read from the probabilities instead of running the model a second time.
    """
    if task == "regression" or not hasattr(model, "predict_proba"):
        return model.predict(Xt), None
    proba = np.asarray(model.predict_proba(Xt))
    if getattr(model, "voting", None) == "soft" and hasattr(model, "le_"):
        return model.le_.inverse_transform(np.argmax(proba, axis=1)), proba
    return model.predict(Xt), proba


def predict(pipe: Any, data: pd.DataFrame) -> pd.DataFrame:
    """Predict with a finalized or loaded pipeline.

    Returns
    -------
    DataFrame
        ``prediction`` and, for classifiers, ``proba_<class>`` per class; ``cluster`` for
        clustering; ``score`` and ``anomaly`` for anomaly detection.

    Examples
    --------
    >>> from podium.engine import samples, setup
    >>> df, target = samples.load("iris")
    >>> pipe = setup(df, target, folds=2).finalize("lr")
    >>> list(predict(pipe, df.head(2)).columns)
    ['prediction', 'proba_setosa', 'proba_versicolor', 'proba_virginica']
    """
    meta = _meta(pipe)
    if meta["task"] == "forecasting":
        raise DataError("a forecasting pipeline forecasts ahead: call pipe.forecast(h) instead")
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    X = validate_input(meta["input_schema"], data)
    if "output" in meta:  # clustering / anomaly: cluster, or score and flag
        with quiet(UserWarning):
            return pd.DataFrame(standalone.unsupervised_answers(pipe, X), index=data.index)
    with quiet(UserWarning):  # categories unseen in training encode to zeros by design
        # Preprocess once, then ask the model for labels and probabilities: calling the
        # pipeline's predict and predict_proba would run the ColumnTransformer twice.
        Xt = pipe[:-1].transform(X) if len(pipe.steps) > 1 else X
        labels, proba = _answers(pipe.steps[-1][1], Xt, meta["task"])
    out = pd.DataFrame({"prediction": labels}, index=data.index)
    if proba is not None:
        for j, label in enumerate(meta["classes"]):
            out[f"proba_{label}"] = proba[:, j]
    return out


def csv_answers(scored: pd.DataFrame) -> pd.DataFrame:
    """:func:`predict`'s answers as every CSV path writes them: a boolean (the anomaly flag,
    a true/false label) spelled ``true``/``false`` as the JSON answer spells it, not pandas'
    ``True``/``False``; numbers and labels as they are."""
    flags = [c for c in scored.columns if str(scored[c].dtype) in ("bool", "boolean")]
    if not flags:
        return scored
    spelled = {True: "true", False: "false"}
    return scored.assign(**{c: scored[c].map(spelled).astype("string") for c in flags})


def scored_copy(given: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """What CSV scoring writes, on the server and in the CLI: the rows as given (ids and
    columns the model ignores included), then :func:`predict`'s ``answers`` spelled by
    :func:`csv_answers`; a given column named like an answer gives way to it."""
    kept = given.drop(columns=[c for c in answers.columns if c in given.columns])
    return kept.join(csv_answers(answers))
