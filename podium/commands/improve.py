"""``podium tune`` and ``podium auto``: improve a model from the shell (engine commands, like
``compare``; progress on stderr, the leaderboard on stdout)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from podium.commands.engine import (
    SET_HELP,
    FitMemoryMib,
    _executor,
    _print,
    _ProgressReporter,
    _run,
    _settings,
    _setup,
)


class _ImproveProgress(_ProgressReporter):
    """compare's progress bar, also fed by trials and auto's stages."""

    def on_event(self, event: Any) -> None:
        p = event.payload
        if event.kind == "trial.finished":
            best = p.get("best_score")
            shown = "–" if best is None else f"{best:.4g}"
            self.progress.update(self.task, description=f"trial {p['trial']} · best {shown}")
            self.progress.advance(self.task)
        elif event.kind == "auto.stage":
            self.progress.console.print(f"[cyan]{p['stage']}[/]: {p['message']}")
        else:
            super().on_event(event)


def _improve(
    data: Path,
    target: str,
    task: str | None,
    folds: int,
    seed: int,
    sets: list[str] | None,
    as_json: bool,
    save: Path | None,
    call: Callable[[Any, Callable[[Any], None]], Any],
    title: str,
) -> None:
    from podium.engine import save_pipeline

    exp = _setup(data, target, task, folds, seed, _settings(sets))
    console = Console(stderr=True)
    warned = {f["code"] for f in exp.findings if f["level"] != "info"}
    for f in exp.findings:
        if f["level"] != "info":
            console.print(f"[yellow]{f['level']}[/]: {f['message']}")
    with _ImproveProgress(console, disable=as_json or not console.is_terminal, warned=warned) as (
        progress,
        on_event,
    ):
        res = call(exp, on_event)
        progress.stop()
    _print(res.leaderboard, f"{title} · {data.name} · {exp.task}", as_json)
    if not as_json:
        typer.echo(f"model: {res.model_id} · holdout: {json.dumps(res.holdout)}", err=True)
    if save is not None:
        metrics = {"cv": res.cv, "holdout": res.holdout}
        manifest = save_pipeline(exp.finalize(res), save, name=res.model_id, metrics=metrics)
        typer.echo(f"saved {save} (sha256 {manifest.sha256[:12]}…)", err=True)


def tune(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-t", help="Column to predict."),
    model: str = typer.Option(..., "--model", "-m", help="Model id to tune, e.g. lightgbm."),
    trials: int | None = typer.Option(
        None, help="Trials to sample (30 without --budget), after trial 0: the model as given."
    ),
    budget: float | None = typer.Option(None, help="Time budget of the search, seconds."),
    task: str | None = typer.Option(
        None, help="binary, multiclass or regression (guessed from the target)."
    ),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    seed: int = typer.Option(42, help="Seed of every split, model and the sampler."),
    sort: str | None = typer.Option(None, help="Metric to optimize (default: task's)."),
    dask: str | None = typer.Option(None, help="Dask scheduler address (default: local)."),
    save: Path | None = typer.Option(None, help="Refit the tuned model on all rows, save here."),
    as_json: bool = typer.Option(False, "--json", help="Print the leaderboard as JSON."),
    sets: list[str] | None = typer.Option(None, "--set", help=SET_HELP),
    fit_memory_mib: FitMemoryMib = None,
) -> None:
    """Tune a model's hyperparameters (Optuna, cross-validated): the tuned model above the
    model as given."""

    def go() -> None:
        def call(exp: Any, on_event: Callable[[Any], None]) -> Any:
            return exp.tune(
                model,
                n_trials=trials,
                budget_s=budget,
                sort=sort,
                on_event=on_event,
                executor=_executor(dask, fit_memory_mib),
            )

        _improve(data, target, task, folds, seed, sets, as_json, save, call, f"tune · {model}")

    _run(go)


def auto(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-t", help="Column to predict."),
    budget: float = typer.Option(300.0, help="Time budget of the whole search, seconds."),
    task: str | None = typer.Option(
        None, help="binary, multiclass or regression (guessed from the target)."
    ),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    seed: int = typer.Option(42, help="Seed of every split and model."),
    sort: str | None = typer.Option(None, help="Metric to optimize (default: task's)."),
    dask: str | None = typer.Option(None, help="Dask scheduler address (default: local)."),
    save: Path | None = typer.Option(None, help="Refit the result on all rows and save here."),
    as_json: bool = typer.Option(False, "--json", help="Print the leaderboard as JSON."),
    sets: list[str] | None = typer.Option(None, "--set", help=SET_HELP),
    fit_memory_mib: FitMemoryMib = None,
) -> None:
    """The best model within a budget: race the models, tune the leaders, ensemble them."""

    def go() -> None:
        def call(exp: Any, on_event: Callable[[Any], None]) -> Any:
            executor = _executor(dask, fit_memory_mib)
            return exp.auto(budget_s=budget, sort=sort, on_event=on_event, executor=executor)

        _improve(data, target, task, folds, seed, sets, as_json, save, call, "auto")

    _run(go)


def register(app: typer.Typer) -> None:
    """Attach ``tune`` and ``auto`` to ``app``."""
    app.command("tune")(tune)
    app.command("auto")(auto)
