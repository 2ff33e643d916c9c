"""Pipelines: promotion (queued for a worker to build), reads, verified artifacts, deletion.

Promotion only validates and queues: a ``pipelines`` row in status ``building``. A worker
claims it, refits with the engine's ``finalize`` and saves the artifact (``podium.worker
.pipelines``). Training never runs in the API process.
"""

from __future__ import annotations

import io
import math
import uuid
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from podium.engine import standalone
from podium.engine.run.leaderboard import ROW_KEYS
from podium.engine.standalone import ARTIFACT, LOADER, ONNX_FILE
from podium.server.db.models import Deployment, Pipeline, Run
from podium.server.errors import Conflict, InvalidInput
from podium.server.schemas.pipelines import PipelinePromote
from podium.server.schemas.runs import MODEL_PLANS, made_model, promotable, sort_metric
from podium.server.services import access, audit, runs
from podium.server.services.access import Member
from podium.server.storage import ArtifactStore

MANIFEST = standalone.MANIFEST


def promote(
    session: Session, user_id: uuid.UUID, run_id: uuid.UUID, body: PipelinePromote
) -> Pipeline:
    """Queue a pipeline build from a succeeded run's best (or named) model (editors).

    Raises
    ------
    Conflict
        The run did not succeed, or its plan produced no model.
    InvalidInput
        ``model_id`` is not a successful row of the run's leaderboard.
    """
    run = runs.get(session, user_id, run_id, "editor")
    if run.status != "succeeded" and not promotable(run.status, run.plan, run.result):
        raise Conflict(
            f"run {run_id} is {run.status}; only a succeeded run (or a cancelled tune, "
            "ensemble, blend, stack or auto run that kept a model) can be promoted"
        )
    model_id, metrics = choose_model(run, body.model_id)
    holdout = (run.result or {}).get("holdout", {}).get(model_id)
    if holdout is not None:
        metrics["holdout"] = holdout  # the model fitted on the training part, on the holdout
    sort = sort_metric(run.plan_params, run.result)
    if sort is not None:
        metrics["sort"] = sort  # the headline metric the pipelines list shows
    version = (
        session.scalar(
            select(func.max(Pipeline.version)).where(
                Pipeline.workspace_id == run.workspace_id, Pipeline.name == body.name
            )
        )
        or 0
    ) + 1
    row = Pipeline(
        workspace_id=run.workspace_id,
        name=body.name,
        version=version,
        description=body.description,
        run_id=run.id,
        model_id=model_id,
        status="building",
        metrics=metrics,
        input_schema=[],
        task=str(run.snapshot.get("experiment", {}).get("task") or "") or None,
        library_versions={},
        created_by=user_id,
    )
    session.add(row)
    session.flush()
    _record(session, row, "pipeline.promote", run_id=str(run.id), model_id=model_id)
    session.commit()
    return row


def choose_model(run: Run, wanted: str | None) -> tuple[str, dict[str, Any]]:
    """The model to promote and its cross-validated metrics, from the run's leaderboard."""
    board = run.leaderboard or {}
    if run.plan == "create":
        assert run.model_id is not None
        if wanted not in (None, run.model_id):
            raise InvalidInput(
                f"model {wanted!r} is not in run {run.id}: this create run trained "
                f"{run.model_id!r} only"
            )
        rows: list[dict[str, Any]] = board.get("rows", [])
        mean = next((r for r in rows if r.get("Fold") == "Mean"), {})
        return run.model_id, {"cv": _metrics(mean), "params": dict(run.plan_params)}
    if run.plan != "compare" and run.plan not in MODEL_PLANS:
        raise Conflict(f"run {run.id} is a {run.plan} run: it trained no model to promote")
    ok = [r for r in board.get("rows", []) if r.get("model_id") and not r.get("Error")]
    if not ok:
        raise Conflict(f"run {run.id} has no successful model on its leaderboard")
    if wanted is None and run.plan in MODEL_PLANS:
        wanted = made_model(run.result)  # the model the run made, not a member above it
    if wanted is None:
        return str(ok[0]["model_id"]), {"cv": _metrics(ok[0])}
    row = next((r for r in ok if r["model_id"] == wanted), None)
    if row is None:
        known = ", ".join(str(r["model_id"]) for r in ok)
        raise InvalidInput(
            f"model {wanted!r} is not a successful model of run {run.id}; choose one of {known}"
        )
    return wanted, {"cv": _metrics(row)}


def _metrics(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ROW_KEYS}


def list_pipelines(session: Session, member: Member) -> list[Pipeline]:
    """Pipelines of the member's workspace, newest first."""
    return list(
        session.scalars(
            select(Pipeline)
            .where(Pipeline.workspace_id == member.workspace_id)
            .order_by(Pipeline.created_at.desc(), Pipeline.id)
        )
    )


def get(
    session: Session, user_id: uuid.UUID, pipeline_id: uuid.UUID, role: str = "viewer"
) -> Pipeline:
    """A pipeline the caller may access with ``role`` (404 for outsiders)."""
    return access.fetch(session, Pipeline, pipeline_id, user_id, role, kind="pipeline")


def delete(
    session: Session, store: ArtifactStore, user_id: uuid.UUID, pipeline_id: uuid.UUID
) -> None:
    """Delete a pipeline and its artifact (editors); 409 while deployed or still building."""
    row = get(session, user_id, pipeline_id, "editor")
    if session.scalar(select(exists().where(Deployment.pipeline_id == row.id))):
        raise Conflict(
            f"pipeline {row.name} v{row.version} is deployed; delete its deployments first"
        )
    if row.status == "building":
        raise Conflict(f"pipeline {row.name} v{row.version} is still building; wait for it")
    _record(session, row, "pipeline.delete")
    session.delete(row)
    session.commit()
    store.delete_prefix(folder_key(row.workspace_id, row.id))


def _record(session: Session, row: Pipeline, action: str, **detail: str) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="pipeline",
        resource_id=row.id,
        detail={"name": row.name, "version": row.version, **detail},
    )


def source_run(session: Session, row: Pipeline) -> Run | None:
    """The run a pipeline was promoted from, detached for a build (None: it was deleted)."""
    run = session.get(Run, row.run_id) if row.run_id is not None else None
    session.expunge_all()
    return run


def folder_key(workspace_id: uuid.UUID, pipeline_id: uuid.UUID) -> str:
    """The artifact-store folder of a pipeline (artifact, manifest, optional ONNX file)."""
    return f"workspaces/{workspace_id}/pipelines/{pipeline_id}"


def require_ready(row: Pipeline) -> str:
    """The artifact key of a ready pipeline; Conflict while building or after a failed build."""
    if row.status != "ready" or row.artifact_key is None:
        why = f": {row.error}" if row.error else ""
        raise Conflict(f"pipeline {row.name} v{row.version} is {row.status}{why}")
    return row.artifact_key


def verified_folder(store: ArtifactStore, row: Pipeline) -> Path:
    """The local artifact folder after checking it against the database.

    The artifact's SHA-256 must be the database's, ``manifest.json`` must equal the
    database's copy, and every file the manifest lists (``files``: the loader users import,
    the ONNX file) must match its SHA-256. The engine's ``load_pipeline`` then checks the
    artifact against the manifest too.

    Raises
    ------
    Conflict
        Missing or modified files; a modified artifact's bytes are never parsed.
    """
    key = require_ready(row)
    path = store.local_path(key)
    what = f"pipeline {row.name} v{row.version}"
    try:
        digest = standalone.sha256_of(path)
    except FileNotFoundError:
        raise Conflict(f"the artifact of {what} is missing from the store") from None
    if digest != row.sha256:
        raise Conflict(
            f"the artifact of {what} failed its SHA-256 check "
            f"(expected {row.sha256}, found {digest}): it was modified on disk and "
            "was not loaded; promote the run again"
        )
    try:
        manifest = standalone.read_manifest(path.parent)
        if row.manifest is not None and _canonical(manifest) != _canonical(row.manifest):
            raise standalone.RefusedArtifact(f"{MANIFEST} differs from the one it was built with")
        standalone.verify_files(path.parent, manifest)
    except standalone.RefusedArtifact as exc:
        raise Conflict(
            f"the files of {what} failed their check ({exc}): they were modified on disk and "
            "are not used; promote the run again"
        ) from None
    return path.parent


def _canonical(value: Any) -> Any:
    """JSON as compared: NaN and infinities read as null."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def download(store: ArtifactStore, row: Pipeline) -> tuple[str, bytes]:
    """A zip of the verified folder: ``manifest.json`` and exactly the files it lists.

    A pipeline saved before manifests listed their files gets its artifact, its ONNX file
    when it matches the checksum its manifest records, and this server's own copy of the
    loader (``load_pipeline.py``); stray files in the folder are never served.
    """
    folder = verified_folder(store, row)
    manifest = standalone.read_manifest(folder)
    files = {name: folder / name for name in [MANIFEST, *sorted(manifest.get("files") or {})]}
    if not manifest.get("files"):
        files[ARTIFACT] = folder / ARTIFACT
        files[LOADER] = Path(standalone.__file__)
        onnx = (manifest.get("extra") or {}).get("onnx") or {}
        onnx_file = folder / ONNX_FILE
        if onnx_file.is_file() and standalone.sha256_of(onnx_file) == onnx.get("sha256"):
            files[ONNX_FILE] = onnx_file
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, file in sorted(files.items()):
            archive.write(file, arcname=name)
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in row.name)
    return f"{safe}-v{row.version}.zip", buffer.getvalue()
