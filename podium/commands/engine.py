"""Engine commands: ``podium compare``, ``podium create``, ``podium predict``, ``podium profile``.

Bad input prints one clear line on stderr and exits with code 2 (no traceback).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium.engine import tasks

if TYPE_CHECKING:
    from podium.engine.prepare.profile import ColumnProfile

ZIP_MAX_BYTES = 4 * 1024**3
PARQUET = (".parquet", ".pq")  # what read_table reads as Parquet; anything else is a CSV


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _run(fn: Callable[[], None]) -> None:
    from podium.engine import ArtifactError, Interrupted

    try:
        fn()
    except (ArtifactError, ValueError, OSError) as exc:
        raise _fail(str(exc)) from None
    except Interrupted as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        raise _fail("interrupted") from None


KEEP_COLUMNS = ("Model", "Fold", "Column")


def _table(leaderboard: dict[str, Any], title: str, width: int) -> Table:
    """The leaderboard as a rich table at most ``width`` wide.

    Model names are never cut: when the table is wider than the terminal, the right-most columns
    (after the model and the first metric) are left out and named in the caption; ``--json``
    prints them all.
    """
    columns = list(leaderboard["columns"])
    cells = [[_cell(_shown(row, c)) for c in columns] for row in leaderboard["rows"]]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    shown = list(range(len(columns)))
    dropped: list[str] = []
    while len(shown) > 2 and _table_width([widths[i] for i in shown]) > width:
        i = shown.pop()
        dropped.insert(0, columns[i])
    caption = f"not shown (too narrow): {', '.join(dropped)}; --json has all" if dropped else None
    table = Table(title=title, caption=caption)
    for i in shown:
        col = columns[i]
        left = col in (*KEEP_COLUMNS, "Error")
        table.add_column(col, justify="left" if left else "right", no_wrap=col in KEEP_COLUMNS)
    for row in cells:
        table.add_row(*(row[i] for i in shown))
    return table


def _shown(row: dict[str, Any], column: str) -> Any:
    """A cell's value; a raced-out model's name says how many folds it ran (and, halved out,
    on how many rows)."""
    if column == "Model" and row.get("partial"):
        rows = f" on {row['fit_rows']:,} rows" if row.get("fit_rows") else ""
        return f"{row.get(column)} (stopped after {row.get('folds_done')} folds{rows})"
    return row.get(column)


def _table_width(widths: list[int]) -> int:
    """Width of a rich table with the default box: one border per column plus padding."""
    return sum(w + 3 for w in widths) + 1


def _terminal_width() -> int:
    """``COLUMNS`` when set, else the terminal's width, else 200 (output piped to a file)."""
    return shutil.get_terminal_size((200, 24)).columns


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    """Four significant digits for reading.

    ``0.9235``, ``12.35``, ``1,235``, ``655,651,563``, ``1.234e-04``; below 0.1 without trailing
    zeros (``0.002``); exact values: ``--json``.
    """
    size = abs(value)
    if value == 0:
        return "0"
    if value != value or size == float("inf"):
        return str(value)
    if size < 1e-3 or size >= 1e12:
        return f"{value:.3e}"
    if size >= 1e3:
        return f"{value:,.0f}"
    return f"{value:#.4g}" if size >= 0.1 else f"{value:.4g}"


#: ``--fit-memory-mib`` of every command that fits (compare, create, tune, auto): one
#: definition, read from ``PODIUM_FIT_MEMORY_MIB`` when not given, as the server's worker does
FitMemoryMib = Annotated[
    int | None,
    typer.Option(
        "--fit-memory-mib",
        envvar="PODIUM_FIT_MEMORY_MIB",
        min=1,
        help="What the fits in flight may allocate together beside their folds, MiB (default "
        "320): a fit that would pass it waits and runs alone, in compare, create and the searches "
        "of tune and auto alike. Not on a Dask cluster.",
    ),
]


def _executor(dask: str | None, fit_memory_mib: int | None = None) -> Any:
    if not dask:
        if fit_memory_mib is None:
            return None
        from podium.engine import ProcessExecutor

        return ProcessExecutor(memory_bytes=fit_memory_mib * 2**20)
    from podium.engine import DaskExecutor

    return DaskExecutor(dask)


TASK_HELP = f"One of {', '.join(tasks.ids())}; guessed from the target when omitted."
TARGET_HELP = "Column to predict (none for tasks without a target, e.g. clustering)."
FOLDS_HELP = "Cross-validation folds (default 5; clustering and anomaly fit once on every row)."
SET_HELP = "A further setup parameter, NAME=VALUE (VALUE read as JSON when it parses); repeatable."


def _settings(pairs: list[str] | None) -> dict[str, Any]:
    """``--set name=value`` pairs as setup settings (values parsed as JSON when they parse)."""
    out: dict[str, Any] = {}
    for pair in pairs or []:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--set takes NAME=VALUE, got {pair!r}")
        try:
            out[name.strip()] = json.loads(raw)
        except ValueError:
            out[name.strip()] = raw
    return out


@dataclass(frozen=True)
class SetupArgs:
    """What ``compare`` and ``create`` take to set an experiment up (:meth:`setup`)."""

    data: Path
    target: str | None
    task: str | None
    folds: int | None
    seed: int
    sets: list[str] | None
    time: str | None
    series: str | None
    horizon: int | None

    def setup(self) -> Any:
        """The experiment: ``--set`` settings over ``--time``/``--series``/``--horizon``; for
        forecasting ``--folds`` is the number of backtest windows."""
        named: dict[str, Any] = {
            "time_column": self.time, "series_column": self.series, "horizon": self.horizon
        }  # fmt: skip
        folds = self.folds
        if self.task == "forecasting":
            named["windows"], folds = folds, None
        given = {k: v for k, v in named.items() if v is not None}
        settings = {**given, **_settings(self.sets)}
        return _setup(self.data, self.target, self.task, folds, self.seed, settings)


TIME_HELP = "Forecasting: the time column."
SERIES_HELP = "Forecasting: the series column."
HORIZON_HELP = "Forecasting: steps ahead."


def _setup(
    data: Path,
    target: str | None,
    task: str | None,
    folds: int | None,
    seed: int,
    settings: dict[str, Any] | None = None,
) -> Any:
    """The experiment of ``task`` (the engine's ``setup`` dispatches by the task); ``folds``
    only when given (the task's default otherwise: 5 folds, or one fit on the whole table for
    clustering and anomaly detection)."""
    from podium.engine import read_table, setup

    given = dict(settings or {})
    if folds is not None:
        given["folds"] = folds
    return setup(read_table(data), target, task=task, seed=seed, **given)


def compare(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str | None = typer.Option(None, "--target", "-t", help=TARGET_HELP),
    task: str | None = typer.Option(None, help=TASK_HELP),
    models: str | None = typer.Option(None, help="Comma-separated model ids, e.g. lr,rf."),
    folds: int | None = typer.Option(None, help=FOLDS_HELP),
    budget: float | None = typer.Option(None, help="Time budget of the comparison, seconds."),
    seed: int = typer.Option(42, help="Seed of every split and model."),
    sort: str | None = typer.Option(None, help="Metric to rank by (default: task's)."),
    dask: str | None = typer.Option(None, help="Dask scheduler address (default: local)."),
    fit_memory_mib: FitMemoryMib = None,
    as_json: bool = typer.Option(False, "--json", help="Print the leaderboard as JSON."),
    sets: list[str] | None = typer.Option(None, "--set", help=SET_HELP),
    race: bool = typer.Option(
        True,
        "--race/--no-race",
        help="Stop models that cannot catch the leader (default); --no-race runs every fold.",
    ),
    time: str | None = typer.Option(None, "--time", help=TIME_HELP),
    series: str | None = typer.Option(None, "--series", help=SERIES_HELP),
    horizon: int | None = typer.Option(None, "--horizon", help=HORIZON_HELP),
) -> None:
    """Cross-validate many models on a table and print the leaderboard, best first.

    The table fits the terminal (COLUMNS): model names are never cut; metric columns that do
    not fit are left out, right-most first, and named under the table (--json prints all).
    """

    def go() -> None:
        exp = SetupArgs(data, target, task, folds, seed, sets, time, series, horizon).setup()
        ids = [m.strip() for m in models.split(",") if m.strip()] if models else None
        console = Console(stderr=True)
        warned: set[str] = set()
        for f in exp.findings:
            if f["level"] != "info":
                warned.add(f["code"])
                console.print(f"[yellow]{f['level']}[/]: {f['message']}")
        disable = as_json or not console.is_terminal
        with _ProgressReporter(console, disable=disable, warned=warned) as (
            progress,
            on_event,
        ):
            res = exp.compare(
                models=ids,
                sort=sort,
                budget_s=budget,
                on_event=on_event,
                executor=_executor(dask, fit_memory_mib),
                race=race,
            )
            progress.stop()
        _print(res.leaderboard, f"compare · {data.name} · {exp.task}", as_json)

    _run(go)


class _ProgressReporter:
    """A rich progress bar on stderr fed by engine events."""

    def __init__(self, console: Console, disable: bool, warned: set[str]) -> None:
        self.warned = warned  # finding codes already printed; a warning restating one is skipped
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
            key = p.get("finding", p["code"])
            if key not in self.warned:
                self.warned.add(key)
                self.progress.console.print(f"[yellow]warning[/]: {p['message']}")
        elif event.kind == "model.stopped":
            self.progress.console.print(f"[dim]stopped[/]: {p['model_id']}: {p['reason']}")
        elif event.kind == "model.failed":
            self.progress.console.print(f"[red]failed[/]: {p['model_id']}: {p['error']}")


def _print(leaderboard: dict[str, Any], title: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(leaderboard))
    else:
        width = _terminal_width()
        Console(width=width).print(_table(leaderboard, title, width))


def create(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str | None = typer.Option(None, "--target", "-t", help=TARGET_HELP),
    model: str = typer.Option(..., "--model", "-m", help="Model id, e.g. rf."),
    task: str | None = typer.Option(None, help=TASK_HELP),
    folds: int | None = typer.Option(None, help=FOLDS_HELP),
    seed: int = typer.Option(42, help="Seed of every split and model."),
    save: Path | None = typer.Option(None, help="Refit on all rows and save the pipeline here."),
    as_json: bool = typer.Option(False, "--json", help="Print the per-fold table as JSON."),
    sets: list[str] | None = typer.Option(None, "--set", help=SET_HELP),
    time: str | None = typer.Option(None, "--time", help=TIME_HELP),
    series: str | None = typer.Option(None, "--series", help=SERIES_HELP),
    horizon: int | None = typer.Option(None, "--horizon", help=HORIZON_HELP),
    fit_memory_mib: FitMemoryMib = None,
) -> None:
    """Cross-validate one model (one row per fold, then Mean and Std); optionally save it."""

    def go() -> None:
        from podium.engine import save_pipeline

        exp = SetupArgs(data, target, task, folds, seed, sets, time, series, horizon).setup()
        res = exp.create(model, executor=_executor(None, fit_memory_mib))
        _print(res.leaderboard, f"create · {model} · {data.name}", as_json)
        if save is not None:
            rows = res.leaderboard["rows"]
            # the Mean of the folds; a clustering or anomaly fit has one row (fold 0) only
            mean = next((r for r in rows if r["Fold"] == "Mean"), rows[-1])
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
    onnx: bool = typer.Option(
        True,
        "--onnx/--no-onnx",
        envvar="PODIUM_SERVE_ONNX",
        help="Score with the pipeline's verified ONNX export when it has one, as the server "
        "does; --no-onnx: always the skops pipeline.",
    ),
) -> None:
    """Predict with a saved pipeline (checksum verified): the rows as given, then the answers.

    Scored as the server scores the same pipeline: with its verified ONNX export when the
    folder or zip holds one (float32), else the skops pipeline; a CSV gives the bytes the
    server's CSV predict answers.
    """

    def go() -> None:
        from podium.engine import read_table
        from podium.engine.artifacts.pipeline import scored_copy
        from podium.engine.standalone import csv_dtypes
        from podium.server.services.csv_predictions import answers

        with _opened(pipeline) as folder:
            pipe = _load(folder)
            runtime = _scoring_runtime(folder, pipe) if onnx else None

        def answer(chunk: Any) -> Any:
            return answers(pipe, runtime, chunk)

        if data.suffix.lower() not in PARQUET:  # the bytes the server's CSV predict answers
            _write_scored_csv(pipe, data, out, answer)
            return
        schema = pipe.podium_metadata_["input_schema"]
        given = read_table(data, dtype=csv_dtypes(schema))
        _write(scored_copy(given, answer(given)), out, "predictions")

    _run(go)


def _scoring_runtime(folder: Path, pipe: Any) -> Any:
    """The server's choice for this pipeline (``predictions.onnx_runtime``): its verified ONNX
    export's scorer, or None (the skops pipeline); None for a forecasting pipeline."""
    from podium.server.services.predictions import onnx_runtime

    return None if hasattr(pipe, "forecast") else onnx_runtime(folder, pipe)


def forecast(
    pipeline: Path = typer.Argument(
        ..., help="Forecasting pipeline folder (manifest.json + forecast.json) or its .zip."
    ),
    h: int | None = typer.Option(None, "--h", help="Steps ahead (default: its horizon)."),
    exogenous: Path | None = typer.Option(
        None,
        "--exogenous",
        help="CSV or Parquet of the future exogenous values, when the model reads some: one row "
        "per step (and series) with the time, series and exogenous columns.",
    ),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output CSV (default: stdout)."),
) -> None:
    """Forecast with a saved forecasting pipeline: each series' next steps, with intervals."""

    def go() -> None:
        from podium.engine import DataError, read_table
        from podium.engine.forecast.data import DS, ID, step_time

        pipe = _load(pipeline)
        if not hasattr(pipe, "forecast"):
            raise DataError(f"{pipeline} predicts rows, it does not forecast: use podium predict")
        frame = pipe.forecast(h, read_table(exogenous) if exogenous is not None else None)
        spec = pipe.spec
        names = {DS: spec["time"], "value": spec["target"], ID: spec["series"]}
        frame = frame.rename(columns={k: v for k, v in names.items() if v})
        if not spec["series"]:
            frame = frame.drop(columns=ID)
        frame[spec["time"]] = frame[spec["time"]].map(step_time)
        _write(frame, out, "forecast steps")

    _run(go)


@contextlib.contextmanager
def _opened(pipeline: Path) -> Iterator[Path]:
    """The folder of a saved pipeline: itself, or its downloaded zip unpacked for the while."""
    import tempfile
    import zipfile

    with tempfile.TemporaryDirectory(prefix="podium-pipeline-") as tmp:
        folder = pipeline
        if pipeline.is_file() and zipfile.is_zipfile(pipeline):
            folder = _unzip(pipeline, Path(tmp))
        yield folder


def _load(pipeline: Path) -> Any:
    """A saved pipeline from its folder or its downloaded zip (checksums verified)."""
    from podium.engine import load_pipeline

    with _opened(pipeline) as folder:
        return load_pipeline(folder)


def _write_scored_csv(
    pipe: Any, data: Path, out: Path | None, answer: Callable[[Any], Any]
) -> None:
    """Score a CSV as the server does (``scored_csv.score_csv``: every row checked first,
    then each echoed as sent and its answers by ``answer``) to ``out`` or stdout."""
    from podium.engine.artifacts.scored_csv import score_csv

    with data.open("rb") as source:
        parts = score_csv(pipe, source, answers=answer)
        first = next(parts)  # every row checked (DataError) before the output is opened
        if out is None:
            for _n, part in itertools.chain([first], parts):
                typer.echo(part, nl=False)
            return
        rows = 0
        with out.open("wb") as sink:
            for n, part in itertools.chain([first], parts):
                sink.write(part)
                rows += n
    typer.echo(f"wrote {rows} predictions to {out}", err=True)


def _write(frame: Any, out: Path | None, what: str) -> None:
    if out is None:
        typer.echo(frame.to_csv(index=False), nl=False)
    else:
        frame.to_csv(out, index=False)
        typer.echo(f"wrote {len(frame)} {what} to {out}", err=True)


def profile(
    data: Path = typer.Argument(..., help="CSV or Parquet file."),
    target: str | None = typer.Option(None, "--target", "-t", help="Profile against this column."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole profile as JSON."),
) -> None:
    """Profile a table: each column's kind, missing, distinct values and statistics; findings.

    The table fits the terminal; --json has everything (histograms, correlations, and each
    feature against the target as plot data).
    """

    def go() -> None:
        from podium.engine import profile as engine_profile
        from podium.engine import read_table

        result = engine_profile(read_table(data), target)
        if as_json:
            typer.echo(json.dumps(result))
            return
        width = _terminal_width()
        console = Console(width=width)
        rows = [[_cell(cell) for cell in _profile_row(c)] for c in result["columns"]]
        columns = ["Column", "Kind", "Missing", "Unique", "Min", "Median", "Max", "Mean / top"]
        board = {"columns": columns, "rows": [dict(zip(columns, r, strict=True)) for r in rows]}
        console.print(_table(board, f"profile · {data.name} · {result['rows']:,} rows", width))
        if result["target"] is not None:
            console.print(f"target {result['target']['name']!r}: task {result['target']['task']}")
        for f in result["findings"]:
            console.print(f"[yellow]{f['level']}[/]: {f['message']}")
        for note in result["notes"]:
            console.print(f"note: {note}")

    _run(go)


def _profile_row(column: ColumnProfile) -> list[Any]:
    """One column of a profile as the CLI table shows it."""
    quantiles = column["quantiles"] or {}
    top = column["top"][0] if column["top"] else None
    summary: Any = column["mean"]
    if summary is None and top is not None:
        summary = str(top["value"])
    missing = f"{column['missing']:,} ({column['missing_share']:.1%})"
    return [
        column["name"],
        column["kind"],
        missing,
        column["unique"],
        column["min"],
        quantiles.get("50%"),
        column["max"],
        summary,
    ]


def register(app: typer.Typer) -> None:
    """Attach the engine commands to ``app``."""
    app.command("compare")(compare)
    app.command("profile")(profile)
    app.command("create")(create)
    app.command("predict")(predict)
    app.command("forecast")(forecast)
