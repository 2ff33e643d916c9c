"""Engine commands: ``podium compare``, ``podium create``, ``podium predict``.

Bad input prints one clear line on stderr and exits with code 2 (no traceback).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

ZIP_MAX_BYTES = 4 * 1024**3


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _run(fn: Callable[[], None]) -> None:
    from podium.engine import ArtifactError, Cancelled

    try:
        fn()
    except (ArtifactError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    except Cancelled as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        raise _fail("interrupted") from None


def _table(leaderboard: dict[str, Any], title: str) -> Table:
    table = Table(title=title)
    for col in leaderboard["columns"]:
        table.add_column(col, justify="left" if col in ("Model", "Fold", "Error") else "right")
    for row in leaderboard["rows"]:
        table.add_row(*(_cell(row.get(c)) for c in leaderboard["columns"]))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def _executor(dask: str | None) -> Any:
    if not dask:
        return None
    from podium.engine import DaskExecutor

    return DaskExecutor(dask)


def _setup(data: Path, target: str, task: str | None, folds: int, seed: int) -> Any:
    from podium.engine import read_table, setup

    return setup(read_table(data), target, task=task, folds=folds, seed=seed)


def compare(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-t", help="Column to predict."),
    task: str | None = typer.Option(None, help="binary, multiclass or regression (guessed)."),
    models: str | None = typer.Option(None, help="Comma-separated model ids, e.g. lr,rf."),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    budget: float | None = typer.Option(None, help="Time budget of the comparison, seconds."),
    seed: int = typer.Option(42, help="Seed of every split and model."),
    sort: str | None = typer.Option(None, help="Metric to rank by (default: task's)."),
    dask: str | None = typer.Option(None, help="Dask scheduler address (default: local)."),
    as_json: bool = typer.Option(False, "--json", help="Print the leaderboard as JSON."),
) -> None:
    """Cross-validate many models on a table and print the leaderboard, best first."""

    def go() -> None:
        exp = _setup(data, target, task, folds, seed)
        ids = [m.strip() for m in models.split(",") if m.strip()] if models else None
        console = Console(stderr=True)
        for f in exp.findings:
            if f["level"] != "info":
                console.print(f"[yellow]{f['level']}[/]: {f['message']}")
        with _ProgressReporter(console, disable=as_json or not console.is_terminal) as (
            progress,
            on_event,
        ):
            res = exp.compare(
                models=ids, sort=sort, budget_s=budget, on_event=on_event, executor=_executor(dask)
            )
            progress.stop()
        _print(res.leaderboard, f"compare · {data.name} · {exp.task}", as_json)

    _run(go)


class _ProgressReporter:
    """A rich progress bar on stderr fed by engine events."""

    def __init__(self, console: Console, disable: bool) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=disable,
            transient=True,
        )
        self.task = self.progress.add_task("fitting", total=None)

    def __enter__(self) -> tuple[Progress, Callable[[Any], None]]:
        self.progress.start()
        return self.progress, self.on_event

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def on_event(self, event: Any) -> None:
        p = event.payload
        if event.kind == "model.started":
            self.progress.update(self.task, description=f"fitting {p['name']}")
        elif event.kind == "model.fitted":
            self.progress.advance(self.task)
        elif event.kind == "warning":
            self.progress.console.print(f"[yellow]warning[/]: {p['message']}")
        elif event.kind == "model.failed":
            self.progress.console.print(f"[red]failed[/]: {p['model_id']}: {p['error']}")


def _print(leaderboard: dict[str, Any], title: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(leaderboard))
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=200)
        console.print(_table(leaderboard, title))


def create(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str = typer.Option(..., "--target", "-t", help="Column to predict."),
    model: str = typer.Option(..., "--model", "-m", help="Model id, e.g. rf."),
    task: str | None = typer.Option(None, help="binary, multiclass or regression (guessed)."),
    folds: int = typer.Option(5, help="Cross-validation folds."),
    seed: int = typer.Option(42, help="Seed of every split and model."),
    save: Path | None = typer.Option(None, help="Refit on all rows and save the pipeline here."),
    as_json: bool = typer.Option(False, "--json", help="Print the per-fold table as JSON."),
) -> None:
    """Cross-validate one model (one row per fold, then Mean and Std); optionally save it."""

    def go() -> None:
        from podium.engine import save_pipeline

        exp = _setup(data, target, task, folds, seed)
        res = exp.create(model)
        _print(res.leaderboard, f"create · {model} · {data.name}", as_json)
        if save is not None:
            mean = next(r for r in res.leaderboard["rows"] if r["Fold"] == "Mean")
            metrics = {"cv": {k: v for k, v in mean.items() if k != "Fold"}, "holdout": res.holdout}
            manifest = save_pipeline(exp.finalize(model), save, name=model, metrics=metrics)
            typer.echo(f"saved {save} (sha256 {manifest.sha256[:12]}…)", err=True)

    _run(go)


def _unzip(archive_path: Path, into: Path) -> Path:
    """Extract a downloaded pipeline zip (flat file names only, size-capped) into ``into``."""
    import zipfile

    from podium.engine import ArtifactError

    with zipfile.ZipFile(archive_path) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in members) > ZIP_MAX_BYTES:
            raise ArtifactError(f"{archive_path} unpacks to more than {ZIP_MAX_BYTES} bytes")
        for info in members:
            name = Path(info.filename).name
            if name and name == info.filename.rsplit("/", 1)[-1]:
                (into / name).write_bytes(archive.read(info))
    return into


def predict(
    pipeline: Path = typer.Argument(
        ..., help="Pipeline folder (manifest.json + pipeline.skops) or its downloaded .zip."
    ),
    data: Path = typer.Argument(..., help="CSV or Parquet file to score."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (default: stdout)."),
) -> None:
    """Predict with a saved pipeline (checksum verified before loading)."""

    def go() -> None:
        import tempfile
        import zipfile

        from podium.engine import load_pipeline, read_table
        from podium.engine import predict as engine_predict
        from podium.engine.standalone import csv_dtypes

        with tempfile.TemporaryDirectory(prefix="podium-predict-") as tmp:
            folder = pipeline
            if pipeline.is_file() and zipfile.is_zipfile(pipeline):
                folder = _unzip(pipeline, Path(tmp))
            pipe = load_pipeline(folder)
        schema = pipe.podium_metadata_["input_schema"]
        result = engine_predict(pipe, read_table(data, dtype=csv_dtypes(schema)))
        if out is None:
            typer.echo(result.to_csv(index=False), nl=False)
        else:
            result.to_csv(out, index=False)
            typer.echo(f"wrote {len(result)} predictions to {out}", err=True)

    _run(go)


def register(app: typer.Typer) -> None:
    """Attach the engine commands to ``app``."""
    app.command("compare")(compare)
    app.command("create")(create)
    app.command("predict")(predict)
