"""Replay: queue an identical run from a run's snapshot, or say (409) what makes it differ.

A snapshot (``services/runs.RunSnapshot``) records the data's SHA-256, the plan, the settings,
the seed and the library versions. A replay checks the stored file's bytes against the
SHA-256, and the major.minor of every library that changes fitted models or scores against
the snapshot's (a patch release does not); then it queues the same plan on the same data
with the snapshot's settings, the seed pinned, and ``replay_of`` naming the original.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from podium.engine import standalone
from podium.server.db.models import DataSource, Run
from podium.server.errors import Conflict
from podium.server.services import audit, engine, runs
from podium.server.storage import ArtifactStore

# libraries whose major.minor changes fitted models or scores; a patch release does not
RESULT_LIBRARIES = ("scikit-learn", "numpy", "pandas", "scipy", "lightgbm", "xgboost", "catboost")


def replay(session: Session, store: ArtifactStore, user_id: uuid.UUID, run_id: uuid.UUID) -> Run:
    """Queue an identical run from ``run_id``'s snapshot (editors).

    Same data (the stored file's SHA-256 checked against the snapshot), plan, settings and
    seed (pinned in ``setup_params``); the new snapshot records ``replay_of`` and today's
    library versions.

    Raises
    ------
    Conflict
        The data changed or is gone, or a library that changes results differs in
        major.minor from the snapshot's (each named).
    """
    run = runs.get(session, user_id, run_id, "editor")
    old = runs.snapshot(run)
    _same_data(session, store, run, old)
    now = engine.versions()
    _same_libraries(old["versions"], now)
    spec = dict(old["experiment"])
    spec["setup_params"] = {"seed": old["seed"], **old["experiment"]["setup_params"]}
    new = {**old, "experiment": spec, "versions": now, "replay_of": str(run.id)}
    again = Run(
        workspace_id=run.workspace_id,
        experiment_id=run.experiment_id,
        data_source_id=run.data_source_id,
        sklearn_dataset=run.sklearn_dataset,
        plan=run.plan,
        model_id=run.model_id,
        plan_params=dict(run.plan_params),
        status="queued",
        snapshot=new,
        created_by=user_id,
    )
    session.add(again)
    session.flush()
    audit.record(
        session,
        workspace_id=again.workspace_id,
        action="run.replay",
        resource_type="run",
        resource_id=again.id,
        detail={"plan": again.plan, "replay_of": str(run.id)},
    )
    session.commit()
    return again


def _same_data(session: Session, store: ArtifactStore, run: Run, old: runs.RunSnapshot) -> None:
    was = old["data"]["sha256"]
    if run.sklearn_dataset is not None:
        now = engine.sample_profile(run.sklearn_dataset)[1]
        what = f"sample {run.sklearn_dataset!r}"
    else:
        source = session.get(DataSource, run.data_source_id) if run.data_source_id else None
        if source is None:
            raise Conflict(
                f"run {run.id} cannot be replayed: its data source was deleted; upload the "
                "data again and submit a new run"
            )
        what = f"data source {source.name!r}"
        try:
            now = standalone.sha256_of(store.local_path(source.storage_key))
        except FileNotFoundError:
            raise Conflict(
                f"run {run.id} cannot be replayed: the file of {what} is missing from the "
                "store; upload the data again and submit a new run"
            ) from None
    if now != was:
        raise Conflict(
            f"run {run.id} cannot be replayed: the data changed ({what} has SHA-256 "
            f"{now[:12]}…, the run used {was[:12]}…); submit a new run on today's data"
        )


def _same_libraries(was: dict[str, str], now: dict[str, str]) -> None:
    changed = []
    for name in RESULT_LIBRARIES:
        old, new = _major_minor(was.get(name)), _major_minor(now.get(name))
        if old != new:
            changed.append(f"{name} {old or 'absent'} → {new or 'absent'}")
    if changed:
        raise Conflict(
            "cannot replay: library versions differ in a way that changes results ("
            + ", ".join(changed)
            + "); install the run's versions (see its snapshot) or submit a new run"
        )


def _major_minor(version: str | None) -> str | None:
    return ".".join(version.split(".")[:2]) if version else None
