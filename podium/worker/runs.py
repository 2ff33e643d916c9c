"""The ``runs`` job kind: execute a claimed run's plan with the engine, then end it."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from podium.engine import DataError, Failed, Interrupted
from podium.server.db.models import Run
from podium.server.errors import without_paths
from podium.server.services import analysis, models, queue
from podium.server.services.queue import RunEnd, RunEndStatus
from podium.worker.cancel import CancelWatcher
from podium.worker.data import setup_experiment
from podium.worker.events import EventWriter, jsonable
from podium.worker.jobs import WorkerContext

if TYPE_CHECKING:
    from podium.engine import Experiment, ImproveResult, ShouldStop
    from podium.engine.run.predictions import ModelPredictions

log = logging.getLogger(__name__)
SHUTDOWN = "worker shut down while the run was in flight; submit it again"


@dataclass
class RunJob:
    """A claimed run (``queue.RUNS``)."""

    run: Run

    @property
    def label(self) -> str:
        """``run:<id>``, shown in worker heartbeats."""
        return f"{queue.RUNS.label}:{self.run.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the run's lease."""
        with ctx.db.sessions() as session:
            return queue.renew(
                session, queue.RUNS, self.run.id, ctx.worker_id, ctx.settings.lease_s
            )

    def execute(self, ctx: WorkerContext) -> None:
        """Run the plan; end the run succeeded / cancelled / failed with what it produced."""
        run = self.run
        writer = EventWriter(ctx.db, run.id, run.workspace_id, ctx.worker_id)
        started = time.monotonic()
        with CancelWatcher(ctx.db, run.id, ctx.stopping) as watcher:

            def should_stop() -> bool:
                watcher.lost = watcher.lost or writer.lost
                return watcher.should_stop()

            end = _attempt(ctx, run, writer, should_stop, watcher)
        if end.get("error"):  # users see it: never where the server keeps its files
            roots = (ctx.settings.artifact_root, ctx.settings.data_dir)
            end["error"] = without_paths(end["error"], *roots)
        end.setdefault("result", {})["duration_s"] = round(time.monotonic() - started, 3)
        with ctx.db.sessions() as session:
            ended = queue.finish(session, queue.RUNS, run.id, ctx.worker_id, end)
        if not ended:
            log.warning("run %s was no longer ours when it ended (lease reaped?)", run.id)


def _attempt(
    ctx: WorkerContext,
    run: Run,
    writer: EventWriter,
    should_stop: ShouldStop,
    watcher: CancelWatcher,
) -> RunEnd:
    try:
        leaderboard, result = execute_plan(ctx, run, writer, should_stop)
    except Interrupted as exc:  # cancelled, shut down, or failed: the finished models stay
        if isinstance(exc, Failed):
            log.exception("run %s failed", run.id)
        rows = exc.leaderboard if exc.leaderboard.get("columns") else writer.leaderboard
        stored = _keep_finished(ctx, run, exc)
        if isinstance(exc, Failed):
            return _end("failed", error=str(exc), leaderboard=rows, result=jsonable(stored))
        if watcher.cancelled:  # what a stopped search keeps (its best model) stays promotable
            kept = jsonable({"stopped": str(exc), **exc.result, **stored})
            return _end("cancelled", leaderboard=rows, result=kept)
        return _end("failed", error=SHUTDOWN, leaderboard=rows, result=jsonable(stored))
    except DataError as exc:
        return _end("failed", error=str(exc), leaderboard=writer.leaderboard)
    except Exception as exc:
        log.exception("run %s failed", run.id)
        error = f"{type(exc).__name__}: {exc}"
        return _end("failed", error=error, leaderboard=writer.leaderboard)
    return _end("succeeded", leaderboard=leaderboard, result=result)


def _end(
    status: RunEndStatus,
    *,
    error: str | None = None,
    leaderboard: Mapping[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> RunEnd:
    """A run's end with only what it has (a column without a value keeps what it holds)."""
    end = RunEnd(status=status)
    if error is not None:
        end["error"] = error
    if leaderboard is not None:
        end["leaderboard"] = dict(leaderboard)
    if result is not None:
        end["result"] = result
    return end


def execute_plan(
    ctx: WorkerContext, run: Run, writer: EventWriter, should_stop: ShouldStop
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Load the data, ``setup`` with the snapshot's settings, then setup / create / compare.

    Returns the leaderboard (None for ``setup``) and the run's result, both plain JSON.
    """
    experiment = setup_experiment(ctx, run, on_event=writer)
    base = {
        "task": experiment.task,
        "seed": experiment.seed,
        "findings": experiment.findings,
        # a task without a tabular preprocessing (forecasting) may not describe one
        "preprocessing": getattr(experiment, "preprocessing", lambda: None)(),
    }
    if run.plan == "setup":
        return None, jsonable({**base, "schema": experiment.schema})
    executor = ctx.executor()
    if run.plan == "create":
        assert run.model_id is not None
        created = experiment.create(
            run.model_id,
            on_event=writer,
            should_stop=should_stop,
            executor=executor,
            **run.plan_params,
        )
        kept = [created.predictions] if created.predictions is not None else []
        _keep_fit_plots(ctx, run, experiment, [run.model_id])
        result = {**base, "model_id": run.model_id, **_keep(ctx, run, kept)}
        return jsonable(created.leaderboard), jsonable(result)
    if run.plan in IMPROVE or run.plan == "auto":
        try:
            done = improve(
                experiment, run, on_event=writer, should_stop=should_stop, executor=executor
            )
        except Interrupted as exc:  # the best so far is kept: with the task that scores it
            exc.result = {**base, **exc.result}
            raise
        result = {**base, **done.to_json(), **_keep(ctx, run, done.predictions.values())}
        return jsonable(done.leaderboard), jsonable(result)
    try:
        compared = experiment.compare(
            on_event=writer, should_stop=should_stop, executor=executor, **run.plan_params
        )
    except Interrupted as exc:  # the models that finished keep their drawn plots too
        try:
            _keep_fit_plots(ctx, run, experiment, _finished(exc.leaderboard))
        except Exception:  # a store that fails costs the plots, never the run's end
            log.exception("run %s: could not store the finished models' plots", run.id)
        raise
    _keep_fit_plots(ctx, run, experiment, _finished(compared.leaderboard))
    result = {**base, "best": compared.best, **_keep(ctx, run, compared.predictions.values())}
    return jsonable(compared.leaderboard), jsonable(result)


def _finished(leaderboard: Mapping[str, Any]) -> list[str]:
    """The model ids of a leaderboard's rows that did not fail."""
    return [r["model_id"] for r in leaderboard.get("rows", []) if not r.get("Error")]


def _keep_fit_plots(ctx: WorkerContext, run: Run, experiment: Any, model_ids: list[str]) -> None:
    """Tasks whose plots come from the fit itself (clustering, anomaly: ``drawn_plots``) store
    them as PlotData JSON where the model page reads stored plots."""
    drawn = getattr(experiment, "drawn_plots", None)
    if drawn is None:
        return
    for model_id in model_ids:
        for plot in drawn(model_id):
            analysis.store_plot(ctx.store, run.workspace_id, run.id, model_id, jsonable(plot))


def _keep(ctx: WorkerContext, run: Run, predictions: Iterable[ModelPredictions]) -> dict[str, Any]:
    """Store each model's out-of-fold and holdout predictions in the artifact store (never the
    database); the run's result gets each model's holdout scores."""
    kept = list(predictions)
    models.store_predictions(ctx.store, run.workspace_id, run.id, kept)
    return {"holdout": models.holdout_scores(kept)}


def _keep_finished(ctx: WorkerContext, run: Run, stopped: Interrupted) -> dict[str, Any]:
    """Store the predictions of the models that finished before a stop or a failure, so their
    plots still draw; a store that fails here costs the plots, never the run's end."""
    try:
        return _keep(ctx, run, stopped.predictions.values())
    except Exception:
        log.exception("run %s: could not store the finished models' predictions", run.id)
        return {}


IMPROVE = ("tune", "ensemble", "blend", "stack")


def improve(experiment: Experiment, run: Run, **hooks: Any) -> ImproveResult:
    """Run an improving plan: its models are the recipes the server resolved from the source
    run into the snapshot (``models``); the other plan params are the method's keywords."""
    params = {k: v for k, v in run.plan_params.items() if k != "source_run_id"}
    given: dict[str, Any] = dict(run.snapshot.get("models") or {})
    if run.plan == "tune":
        return experiment.tune(given[params.pop("model_id")], **params, **hooks)
    if run.plan == "ensemble":
        return experiment.ensemble(given[params.pop("model_id")], **params, **hooks)
    if run.plan == "blend":
        return experiment.blend([given[m] for m in params.pop("model_ids")], **params, **hooks)
    if run.plan == "stack":
        return experiment.stack([given[m] for m in params.pop("model_ids")], **params, **hooks)
    return experiment.auto(**params, **hooks)
