"""ONNX export of a finalized pipeline, verified against the pipeline before it is kept.

An extra beside the skops artifact (``pip install podium[onnx]``): skl2onnx converts what it
can; the converted graph is run with onnxruntime on sample rows and kept only when its
predictions equal the pipeline's. Otherwise the result says why, and nothing is written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.artifacts.onnx_converters import register as register_converters
from podium.engine.artifacts.onnx_steps import exportable
from podium.engine.standalone import ONNX_FILE, onnx_inputs

ONNX_MISSING = "onnx: not available (install podium[onnx])"
_TOLERANCE = 1e-4  # ONNX computes in float32


def export_onnx(pipe: Any, folder: str | Path, sample: pd.DataFrame) -> dict[str, Any]:
    """Write ``pipeline.onnx`` into ``folder`` when it converts and agrees with ``pipe``.

    Parameters
    ----------
    pipe : Pipeline
        From :meth:`Experiment.finalize`.
    folder : path
        Where the file goes (the artifact folder).
    sample : DataFrame
        Rows in the pipeline's input contract (e.g. ``Experiment.sample_rows()``), scored by
        both to verify the export (fed to ONNX by ``standalone.onnx_inputs``, as users do).

    Returns
    -------
    dict
        ``{"available": True, "file", "sha256", "size_bytes", "inputs", "verified_rows"}`` or
        ``{"available": False, "error": reason}``. Never raises: ONNX is an extra.
    """
    try:
        import onnxruntime as rt
        from skl2onnx import convert_sklearn
    except ImportError:
        return {"available": False, "error": ONNX_MISSING}
    register_converters()
    meta = pipe.podium_metadata_
    schema = meta["input_schema"]
    try:
        options = {} if meta["task"] == "regression" else {"zipmap": False}  # plain arrays
        model = convert_sklearn(
            exportable(pipe),
            initial_types=_input_types(schema),
            options=options,
            target_opset=_opsets(),
        )
        blob = model.SerializeToString()
        session = rt.InferenceSession(blob, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        inputs = [
            {"column": c["name"], "onnx_input": n, "type": _kind(c)}
            for c, n in zip(schema, names, strict=True)
        ]
        outputs = session.run(None, onnx_inputs(sample, inputs))
    except Exception as exc:
        return {"available": False, "error": f"onnx: conversion failed: {_reason(exc)}"}
    differs = _differences(pipe, meta["task"], sample, outputs)
    if differs:
        return {
            "available": False,
            "error": f"onnx: converted, but {differs} of {len(sample)} sample rows score "
            "differently from the pipeline; not exported",
        }
    (Path(folder) / ONNX_FILE).write_bytes(blob)
    return {
        "available": True,
        "file": ONNX_FILE,
        "sha256": hashlib.sha256(blob).hexdigest(),
        "size_bytes": len(blob),
        "inputs": inputs,
        "verified_rows": len(sample),
    }


def _opsets() -> dict[str, int]:
    """The newest main opset skl2onnx knows; ``ai.onnx.ml`` 3, the newest onnxmltools' tree
    converters write (skl2onnx would otherwise ask for a newer one than they can)."""
    from skl2onnx import __max_supported_opset__

    return {"": int(__max_supported_opset__), "ai.onnx.ml": 3}


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], type):
        return f"skl2onnx has no converter for {exc.args[0].__name__}"
    return f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:500]


def _kind(col: dict[str, Any]) -> str:
    """How a column is fed: float32 numbers, text, or a date as float64 hours since 1970."""
    return {"numeric": "float", "datetime": "datetime"}.get(col["kind"], "string")


def _input_types(schema: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, StringTensorType

    kinds = {"float": FloatTensorType, "string": StringTensorType, "datetime": DoubleTensorType}
    return [(c["name"], kinds[_kind(c)]([None, 1])) for c in schema]


def _differences(pipe: Any, task: str, sample: pd.DataFrame, outputs: list[Any]) -> int:
    """Rows whose ONNX answer differs from the pipeline's (labels, values or probabilities)."""
    if task == "regression":
        want = np.asarray(pipe.predict(sample), dtype=float).ravel()
        got = np.asarray(outputs[0], dtype=float).ravel()
        scale = np.maximum(np.abs(want), 1.0)
        return int((np.abs(got - want) > _TOLERANCE * scale).sum())
    labels = np.asarray(outputs[0]).ravel().astype(str)
    wrong = labels != np.asarray(pipe.predict(sample)).astype(str)
    if len(outputs) > 1 and hasattr(pipe, "predict_proba"):
        gap = np.abs(np.asarray(outputs[1]) - pipe.predict_proba(sample)).max(axis=1)
        wrong |= gap > _TOLERANCE
    return int(wrong.sum())
