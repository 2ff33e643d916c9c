"""The ``pipelines`` job kind: build a promoted pipeline (refit, save, verify, mark ready).

A promote request leaves a ``pipelines`` row in status ``building`` with no worker. A worker
claims it with a guarded transition (like runs), sets up the source run's experiment from its
snapshot (same data, task, target and settings: :func:`podium.worker.runs.setup_experiment`),
refits the chosen model on every row with ``finalize``, writes ``pipeline.skops`` +
``manifest.json`` (+ ``pipeline.onnx`` when skl2onnx converts it) to the artifact store, and
marks the row ``ready`` with ``pipeline.created`` on the run's event stream in the same
transaction — or ``failed`` with the reason and a ``warning`` event.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from podium.engine import ArtifactError, DataError, save_pipeline
from podium.engine.onnx_export import export_onnx
from podium.engine.standalone import MANIFEST, ONNX_FILE
from podium.server.db.base import utcnow
from podium.server.db.models import Pipeline, Run
from podium.server.services import pipeline_builds
from podium.server.services.pipelines import folder_key
from podium.worker.events import jsonable
from podium.worker.jobs import Job, WorkerContext
from podium.worker.runs import setup_experiment

log = logging.getLogger(__name__)
ARTIFACT_MAX_BYTES = 1 << 40


class PipelineKind:
    """Serves the ``pipelines`` table (rows in status ``building`` without a worker)."""

    name = "pipelines"

    def claim(self, ctx: WorkerContext) -> Job | None:
        """Claim the oldest unclaimed build."""
        with ctx.db.sessions() as session:
            row = pipeline_builds.claim_next(session, ctx.worker_id, ctx.settings.lease_s)
            return PipelineJob(row) if row is not None else None

    def reap(self, ctx: WorkerContext) -> None:
        """Fail builds whose worker stopped renewing their lease."""
        with ctx.db.sessions() as session:
            for pipeline_id in pipeline_builds.reap_expired(session):
                log.warning("pipeline %s failed: worker lost (lease expired)", pipeline_id)


@dataclass
class PipelineJob:
    """A claimed pipeline build."""

    pipeline: Pipeline

    @property
    def label(self) -> str:
        """``pipeline:<id>``, shown in worker heartbeats."""
        return f"pipeline:{self.pipeline.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the build's lease."""
        now = utcnow()
        with ctx.db.sessions() as session:
            result = session.execute(
                update(Pipeline)
                .where(
                    Pipeline.id == self.pipeline.id,
                    Pipeline.worker_id == ctx.worker_id,
                    Pipeline.status == "building",
                )
                .values(lease_expires_at=now + timedelta(seconds=ctx.settings.lease_s))
            )
            session.commit()
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def execute(self, ctx: WorkerContext) -> None:
        """Build; record ``ready`` with the artifact's facts, or ``failed`` with the reason."""
        row = self.pipeline
        try:
            values = {"status": "ready", **build(ctx, row)}
        except (DataError, ArtifactError) as exc:
            values = {"status": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("pipeline %s failed", row.id)
            values = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        with ctx.db.sessions() as session:
            if not pipeline_builds.finish(session, row.id, ctx.worker_id, values):
                log.warning("pipeline %s was no longer ours when it ended", row.id)


def build(ctx: WorkerContext, row: Pipeline) -> dict[str, Any]:
    """Refit, save and store the artifact; return the row's new column values."""
    with ctx.db.sessions() as session:
        run = session.get(Run, row.run_id) if row.run_id is not None else None
        session.expunge_all()
    if run is None:
        raise DataError("the run this pipeline was promoted from was deleted; nothing to refit")
    experiment = setup_experiment(ctx, run)
    params = dict(run.plan_params) if run.plan == "create" else {}
    pipe = experiment.finalize(row.model_id, **params)
    prefix = folder_key(row.workspace_id, row.id)
    with tempfile.TemporaryDirectory(prefix="podium-pipeline-") as tmp:
        folder = Path(tmp)
        onnx = export_onnx(pipe, folder, experiment.sample_rows())
        extra = {
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
