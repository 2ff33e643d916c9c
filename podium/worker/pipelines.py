"""The ``pipelines`` job kind: build a promoted pipeline (refit, save, verify, mark ready).

A promote request leaves a ``pipelines`` row in status ``building`` with no worker. A worker
claims it with a guarded transition (like runs), sets up the source run's experiment from its
snapshot (same data, task, target and settings: :func:`podium.worker.data.setup_experiment`),
refits the chosen model on every row with ``finalize``, writes ``pipeline.skops`` +
``manifest.json`` (+ ``pipeline.onnx`` when skl2onnx converts it, + ``baseline.json``: the
drift baseline of the training inputs and predictions) to the artifact store, and
marks the row ``ready`` with ``pipeline.created`` on the run's event history (after its
``run.closed``: REST-only) in the same transaction — or ``failed`` with the reason and a
``warning`` event.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podium.engine import ArtifactError, DataError, predict, save_pipeline
from podium.engine.artifacts.onnx import export_onnx
from podium.engine.monitor import drift
from podium.engine.standalone import MANIFEST, ONNX_FILE
from podium.server.db.models import Pipeline
from podium.server.services import pipelines, queue
from podium.server.services.queue import BuildEnd
from podium.worker.data import setup_experiment
from podium.worker.events import jsonable
from podium.worker.jobs import WorkerContext

if TYPE_CHECKING:
    from podium.engine import Experiment

log = logging.getLogger(__name__)
ARTIFACT_MAX_BYTES = 1 << 40
BASELINE = "baseline.json"
BASELINE_ROWS = 20_000  # training rows the drift baseline is computed from (at most)
NO_ONNX = "onnx: not exported for clustering and anomaly pipelines (their answer is not a label)"


@dataclass
class PipelineJob:
    """A claimed pipeline build (``queue.BUILDS``)."""

    pipeline: Pipeline

    @property
    def label(self) -> str:
        """``pipeline:<id>``, shown in worker heartbeats."""
        return f"{queue.BUILDS.label}:{self.pipeline.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the build's lease."""
        with ctx.db.sessions() as session:
            return queue.renew(
                session, queue.BUILDS, self.pipeline.id, ctx.worker_id, ctx.settings.lease_s
            )

    def execute(self, ctx: WorkerContext) -> None:
        """Build; record ``ready`` with the artifact's facts, or ``failed`` with the reason."""
        row = self.pipeline
        end: BuildEnd
        try:
            end = build(ctx, row)
        except (DataError, ArtifactError) as exc:
            end = {"status": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("pipeline %s failed", row.id)
            end = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        with ctx.db.sessions() as session:
            if not queue.finish(session, queue.BUILDS, row.id, ctx.worker_id, end):
                log.warning("pipeline %s was no longer ours when it ended", row.id)


def write_baseline(pipe: Any, experiment: Experiment, folder: Path) -> dict[str, Any]:
    """The drift baseline of the training inputs and the pipeline's predictions on them
    (``baseline.json``, listed in the manifest's ``files``); its manifest reference."""
    frame = experiment.sample_rows(BASELINE_ROWS)
    frame = frame[[c["name"] for c in experiment.input_schema()]]
    scored = predict(pipe, frame)
    # clustering: the cluster; anomaly: the flag (a category each, like a class)
    column = next(c for c in ("prediction", "anomaly", "cluster") if c in scored.columns)
    answers = scored[column]
    data = drift.baseline(frame, answers.to_numpy(), experiment.task)
    (folder / BASELINE).write_text(json.dumps(jsonable(data), allow_nan=False))
    return {"file": BASELINE, "rows": len(frame), "features": len(data["features"])}


def build(ctx: WorkerContext, row: Pipeline) -> BuildEnd:
    """Refit, save and store the artifact; return the ``ready`` end with its facts."""
    with ctx.db.sessions() as session:
        run = pipelines.source_run(session, row)
    if run is None:
        raise DataError("the run this pipeline was promoted from was deleted; nothing to refit")
    experiment = setup_experiment(ctx, run)
    recipe = ((run.result or {}).get("models") or {}).get(row.model_id)
    if recipe is not None:  # a tuned, ensembled, blended or stacked model (or its members)
        pipe = experiment.finalize(recipe)
    else:
        params = dict(run.plan_params) if run.plan == "create" else {}
        pipe = experiment.finalize(row.model_id, **params)
    prefix = pipelines.folder_key(row.workspace_id, row.id)
    forecasting = getattr(pipe, "podium_task_", None) == "forecasting"
    with tempfile.TemporaryDirectory(prefix="podium-pipeline-") as tmp:
        folder = Path(tmp)
        # clustering / anomaly: score rule not in ONNX; a forecast pipeline has no input rows
        if forecasting or "output" in pipe.podium_metadata_:
            onnx: dict[str, Any] = {"available": False, "error": NO_ONNX}
        else:
            onnx = export_onnx(pipe, folder, experiment.sample_rows())
        extra = {
            "baseline": None if forecasting else write_baseline(pipe, experiment, folder),
            "pipeline_id": str(row.id),
            "version": row.version,
            "workspace_id": str(row.workspace_id),
            "run_id": str(run.id),
            "description": row.description,
            "onnx": onnx,
        }
        manifest = save_pipeline(pipe, folder, name=row.name, metrics=row.metrics, extra=extra)
        written = json.loads((folder / MANIFEST).read_text())  # what the store will hold
        stored = {}
        for file in sorted(folder.iterdir()):
            with file.open("rb") as handle:
                stored[file.name] = ctx.store.put_stream(
                    f"{prefix}/{file.name}", handle, ARTIFACT_MAX_BYTES
                )
    artifact = stored[manifest.artifact]
    if artifact.sha256 != manifest.sha256:
        raise ArtifactError("the stored artifact's SHA-256 differs from the one just written")
    return {
        "status": "ready",
        "artifact_key": artifact.key,
        "sha256": manifest.sha256,
        "size_bytes": manifest.size_bytes,
        "input_schema": jsonable(manifest.input_schema),
        "task": manifest.task,
        "library_versions": manifest.library_versions,
        "manifest": written,
        "onnx_key": stored[ONNX_FILE].key if ONNX_FILE in stored else None,
        "error": None,
    }
