"""Scoring with the pipeline's verified ONNX export under onnxruntime (no Python in the model).

The worker keeps ``pipeline.onnx`` beside the skops artifact only when onnxruntime's answers
on training rows equal the pipeline's (``engine/artifacts/onnx.py``). Loading it here checks
it again: its SHA-256 against the manifest, then its answers on the probe rows of the fast
path (every known category, an unseen one, nulls, edge numbers, boolean spellings) against the
engine's ``predict`` of the skops pipeline — labels identical, probabilities and regression
values within the export's tolerance (ONNX computes in float32). Any difference, a missing
onnxruntime, or a pipeline without an export, and :meth:`OnnxScorer.build` returns ``None``:
the skops pipeline serves, as it always did. It stays the source of truth; explanations use it.

Input goes through the same preparation as every path (``standalone.prepare_rows`` /
``prepare_input``) and is fed as ``standalone.onnx_inputs`` feeds it: float32 numbers, dates
as float64 hours since 1970, text (``str`` of each prepared value) for the other kinds.
"""

from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path
from typing import Any

from podium.engine.standalone import ONNX_FILE, onnx_inputs

log = logging.getLogger("podium.server.onnx_scoring")
TOLERANCE = 1e-4  # the export's verification tolerance (engine/artifacts/onnx.py)


class OnnxScorer:
    """Labels (+ probabilities) or values of prepared rows from an onnxruntime session."""

    def __init__(self, session: Any, inputs: list[dict[str, Any]], task: str) -> None:
        #: ``[{column, onnx_input, type}]`` from the manifest (``standalone.onnx_inputs``)
        self.session = session
        self.inputs = inputs
        self.regression = task == "regression"
        self.labels: list[str] = []

    @classmethod
    def build(
        cls, folder: Path, manifest: dict[str, Any], pipe: Any, reference: Any
    ) -> OnnxScorer | None:
        """A verified scorer for the artifact in ``folder``, or None (use the skops pipeline).

        ``reference(pipe, columns)`` is the engine's own answer on prepared columns (a
        DataFrame with ``prediction`` and ``proba_<class>`` columns).
        """
        spec = (manifest.get("extra") or {}).get("onnx") or {}
        if not spec.get("available"):
            return None
        try:
            blob = (folder / ONNX_FILE).read_bytes()
        except FileNotFoundError:
            return None
        if hashlib.sha256(blob).hexdigest() != spec.get("sha256"):
            log.warning("%s in %s differs from its manifest: not used", ONNX_FILE, folder)
            return None
        try:
            import onnxruntime as rt
        except ImportError:
            return None
        meta = pipe.podium_metadata_
        try:
            options = rt.SessionOptions()
            options.intra_op_num_threads = 1  # one row needs no threads; API processes share cores
            options.inter_op_num_threads = 1
            session = rt.InferenceSession(blob, options, providers=["CPUExecutionProvider"])
            scorer = cls(session, list(spec["inputs"]), str(meta["task"]))
            return scorer if scorer._agrees(pipe, list(meta["input_schema"]), reference) else None
        except Exception as exc:  # an export this server cannot run: skops serves
            log.info("onnx scoring off for this pipeline: %s", exc)
            return None

    def _agrees(self, pipe: Any, schema: list[dict[str, Any]], reference: Any) -> bool:
        from podium.engine.standalone import prepare_rows
        from podium.server.services import scoring

        probes = prepare_rows(scoring.probe_rows(pipe, schema), schema)
        expected = reference(pipe, probes)
        self.labels = [str(c)[len("proba_") :] for c in expected.columns[1:]]
        same = agrees(self.score(probes), scoring.as_result(expected), self.regression)
        if not same:
            log.info("onnx scoring off for this pipeline: probe answers differ from predict")
        return same

    def run(self, feeds: dict[str, Any]) -> tuple[Any, Any]:
        """``(labels or values, probabilities or None)`` as NumPy arrays."""
        import numpy as np

        outputs = self.session.run(None, feeds)
        if self.regression:
            return np.asarray(outputs[0], dtype=np.float64).ravel(), None
        proba = np.asarray(outputs[1]) if len(outputs) > 1 and self.labels else None
        return np.asarray(outputs[0]).ravel(), proba

    def score(self, columns: dict[str, Any]) -> dict[str, Any]:
        """``{"predictions": [...], "probabilities": [{label: p}] | None}`` of prepared
        columns (``standalone.prepare_rows``)."""
        labels, proba = self.run(onnx_inputs(columns, self.inputs))
        result: dict[str, Any] = {"predictions": labels.tolist(), "probabilities": None}
        if proba is not None:
            result["probabilities"] = [
                dict(zip(self.labels, row, strict=True)) for row in proba.tolist()
            ]
        return result

    def score_frame(self, prepared: Any) -> Any:
        """The engine's ``predict`` frame (``prediction``, ``proba_<class>``) of a prepared
        DataFrame (``standalone.prepare_input``), on its index."""
        import pandas as pd

        labels, proba = self.run(onnx_inputs(prepared, self.inputs))
        out = pd.DataFrame({"prediction": labels}, index=prepared.index)
        if proba is not None:
            for j, label in enumerate(self.labels):
                out[f"proba_{label}"] = proba[:, j]
        return out


def agrees(got: dict[str, Any], want: dict[str, Any], regression: bool) -> bool:
    """Same labels, probabilities within :data:`TOLERANCE`, values within it relatively."""
    if len(got["predictions"]) != len(want["predictions"]):
        return False
    if regression:
        return all(
            math.isfinite(g) and abs(g - w) <= TOLERANCE * max(abs(w), 1.0)
            for g, w in zip(got["predictions"], want["predictions"], strict=True)
        )
    kinds = [type(v) for v in got["predictions"]] == [type(v) for v in want["predictions"]]
    if not kinds or got["predictions"] != want["predictions"]:  # True == 1, but not in JSON
        return False
    if (got["probabilities"] is None) != (want["probabilities"] is None):
        return False
    for g, w in zip(got["probabilities"] or [], want["probabilities"] or [], strict=True):
        if g.keys() != w.keys() or any(abs(g[k] - w[k]) > TOLERANCE for k in w):
            return False
    return True
