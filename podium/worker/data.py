"""A run's data and engine experiment, as its snapshot describes them.

Shared by run plans (``runs.py``) and pipeline builds (``pipelines.py``), so a promoted pipeline
is refitted on exactly the data and settings its run was scored with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from podium.engine import read_table, samples, setup
from podium.server.db.models import Run
from podium.server.services import data_sources, runs
from podium.worker.jobs import WorkerContext

if TYPE_CHECKING:
    import pandas as pd

    from podium.engine import OnEvent


def setup_experiment(ctx: WorkerContext, run: Run, on_event: OnEvent | None = None) -> Any:
    """The engine experiment of a run: its data and its snapshot's task, target and settings.

    ``podium.engine.setup`` dispatches by the task's TaskDef: an :class:`Experiment` for the
    supervised tasks, the task's own experiment otherwise (``task``, ``target``, ``compare``,
    ``create``, ``finalize`` ...); a target-less task's stored target ``""`` means none.
    """
    spec = runs.snapshot(run)["experiment"]
    frame = load_frame(ctx, run)
    return setup(
        frame, spec["target"], task=spec["task"], on_event=on_event, **spec["setup_params"]
    )


def load_frame(ctx: WorkerContext, run: Run) -> pd.DataFrame:
    """The run's table: an upload from the artifact store, or a bundled sample."""
    if run.sklearn_dataset is not None:
        frame, _target = samples.load(run.sklearn_dataset)
        return frame
    key = None
    if run.data_source_id is not None:
        with ctx.db.sessions() as session:
            key = data_sources.storage_key(session, run.data_source_id)
    if key is None:
        raise RuntimeError(f"data source {run.data_source_id} of run {run.id} is gone")
    return read_table(ctx.store.local_path(key))
