"""``podium compare | create | predict`` through typer's CliRunner (real files, real fits)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from podium.cli import app
from tests.engine.conftest import make_table

runner = CliRunner()


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "data.csv"
    make_table("binary").to_csv(path, index=False)
    return path


def test_compare_json(csv: Path) -> None:
    result = runner.invoke(
        app,
        ["compare", str(csv), "--target", "y", "--models", "dt,dummy", "--folds", "2", "--json"],
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert table["columns"][:2] == ["Model", "Accuracy"]
    assert {r["model_id"] for r in table["rows"]} == {"dt", "dummy"}


def test_compare_a_task_without_target_with_its_own_setting(csv: Path) -> None:
    """The CLI goes through setup's dispatch: no --target, the task's parameter by --set."""
    argv = ["compare", str(csv), "--task", "clustering", "--set", "n_clusters=3"]
    result = runner.invoke(app, [*argv, "--models", "kmeans", "--json"])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Silhouette" in table["columns"]
    assert [(r["model_id"], r["Clusters"]) for r in table["rows"]] == [("kmeans", 3)]


def test_compare_a_semicolon_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    make_table("regression").to_csv(path, index=False, sep=";", decimal=",")
    result = runner.invoke(app, ["compare", str(path), "-t", "y", "--models", "lr", "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "Linear Regression" in result.stdout


def test_compare_table_from_parquet(tmp_path: Path) -> None:
    path = tmp_path / "data.parquet"
    make_table("regression").to_parquet(path)
    result = runner.invoke(app, ["compare", str(path), "-t", "y", "--models", "lr", "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "Linear Regression" in result.stdout
    assert "R2" in result.stdout


def test_create_save_and_predict(csv: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "pipe"
    result = runner.invoke(
        app,
        [
            "create",
            str(csv),
            "-t",
            "y",
            "--model",
            "lr",
            "--folds",
            "2",
            "--save",
            str(out_dir),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert [r["Fold"] for r in table["rows"]] == [0, 1, "Mean", "Std"]
    manifest = json.loads((out_dir / "manifest.json").read_text())
    assert manifest["metrics"]["cv"]["Accuracy"] == table["rows"][2]["Accuracy"]
    out_csv = tmp_path / "out.csv"
    result = runner.invoke(app, ["predict", str(out_dir), str(csv), "-o", str(out_csv)])
    assert result.exit_code == 0, result.output
    lines = out_csv.read_text().splitlines()
    # what CSV scoring on the server writes: the rows as sent, then the answers; the header
    # is Arrow's writer's (every name quoted)
    given = csv.read_text().splitlines()
    names = [*given[0].split(","), "prediction", "proba_no", "proba_yes"]
    assert lines[0] == ",".join(f'"{n}"' for n in names)
    assert len(lines) == 61
    assert all(line.startswith(row + ",") for line, row in zip(lines[1:], given[1:], strict=True))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "{csv}", "--target", "nope"], "error: unknown target column 'nope'"),
        (["compare", "{csv}", "-t", "y", "--models", "zzz"], "error: unknown model id 'zzz'"),
        (["compare", "missing.csv", "-t", "y"], "error: file not found: missing.csv"),
        (["compare", "{csv}"], "error: give target= (the column to predict), or task="),
        (
            ["compare", "{csv}", "--task", "clustering", "-t", "y"],
            "error: task 'clustering' takes no target column, got 'y'",
        ),
        (["predict", "{dir}", "{csv}"], "error: no manifest.json in"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    csv: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    argv = [a.format(csv=csv, dir=tmp_path) for a in args]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_compare_fits_80_columns_and_warns_once(tmp_path: Path) -> None:
    df = make_table("binary", n=120)
    df.loc[df.index[:100], "y"] = "no"
    df.loc[df.index[100:], "y"] = "yes"  # 100 vs 20: imbalanced, so AUC ranks
    path = tmp_path / "imbalanced.csv"
    df.to_csv(path, index=False)
    argv = ["compare", str(path), "-t", "y", "--models", "rf,dt,lr", "--folds", "2"]
    result = runner.invoke(app, argv, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert "Random Forest Classifier" in result.stdout  # never cut to "Random Forest Class…"
    assert "…" not in result.stdout
    assert "not shown (too narrow)" in result.stdout  # the columns left out are named
    assert result.stderr.count("imbalanced") == 1, result.stderr


def test_compare_keeps_every_column_when_wide(csv: Path) -> None:
    argv = ["compare", str(csv), "-t", "y", "--models", "dt", "--folds", "2"]
    result = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "not shown" not in result.stdout
    assert "MCC" in result.stdout
    assert "TT (Sec)" in result.stdout


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (655651563.4694, "655,651,563"),
        (0.923456, "0.9235"),
        (0.0001234, "1.234e-04"),
        (0.0, "0"),
        (0.5, "0.5000"),
        (0.002, "0.002"),
    ],
)
def test_numbers_print_for_reading(value: float, text: str) -> None:
    from podium.commands.engine import _cell

    assert _cell(value) == text


def test_fit_memory_holds_fits_alone_with_the_same_leaderboard(
    csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--fit-memory-mib`` is the machine's memory admission budget: with each fit declaring
    2 MiB, 1 MiB runs every fit alone where the default (320 MiB) runs two at once, and the
    leaderboard is the same (scores never change)."""
    from podium.engine.models import registry
    from podium.engine.run import scheduler

    if (os.cpu_count() or 1) < 2:
        pytest.skip("two fits at once need two cores")
    monkeypatch.setattr(registry, "fit_bytes", lambda model_id, x_bytes: 2 * 2**20)
    fill, held = scheduler._fill, []

    def spy(executor: Any, state: Any, hooks: Any, memory_bytes: float) -> None:
        fill(executor, state, hooks, memory_bytes)
        held.append(scheduler._held(state))

    monkeypatch.setattr(scheduler, "_fill", spy)
    args = ["compare", str(csv), "-t", "y", "--models", "lr,nb,dt", "--folds", "2", "--json"]
    boards, most = [], []
    for extra in ([], ["--fit-memory-mib", "1"]):
        held.clear()
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 0, result.output
        board = json.loads(result.stdout.strip().splitlines()[-1])
        boards.append([{k: v for k, v in r.items() if k != "TT (Sec)"} for r in board["rows"]])
        most.append(max(held))
    assert most == [4 * 2**20, 2 * 2**20]  # two fits at once by default; alone at 1 MiB
    assert boards[0] == boards[1]
    refused = runner.invoke(app, [*args, "--fit-memory-mib", "0"])
    assert refused.exit_code == 2


def test_predict_refuses_a_bad_csv_before_touching_the_output(csv: Path, tmp_path: Path) -> None:
    """Every row is checked before the output file is opened: a refused CSV leaves ``-o``'s
    earlier content as it was (not truncated to an empty file that looks like an answer)."""
    pipe = tmp_path / "pipe"
    argv = ["create", str(csv), "-t", "y", "--model", "dummy", "--folds", "2", "--save", str(pipe)]
    assert runner.invoke(app, argv).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,we,know\n1,2,3\n")
    out = tmp_path / "scored.csv"
    out.write_text("yesterday's answers\n")
    result = runner.invoke(app, ["predict", str(pipe), str(bad), "-o", str(out)])
    assert result.exit_code != 0
    assert "error:" in result.output
    assert out.read_text() == "yesterday's answers\n"


@pytest.mark.parametrize(
    ("command", "given", "env", "budget"),
    [
        (["create", "-m", "nb"], ["--fit-memory-mib", "7"], {}, 7 * 2**20),
        (["create", "-m", "nb"], [], {"PODIUM_FIT_MEMORY_MIB": "9"}, 9 * 2**20),
        (["tune", "-m", "nb", "--trials", "1"], [], {"PODIUM_FIT_MEMORY_MIB": "9"}, 9 * 2**20),
        (["tune", "-m", "nb", "--trials", "1"], ["--fit-memory-mib", "7"], {}, 7 * 2**20),
        (["create", "-m", "nb"], [], {}, None),
    ],
)
def test_every_fitting_command_hands_its_memory_budget_to_the_executor(
    csv: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
    given: list[str],
    env: dict[str, str],
    budget: int | None,
) -> None:
    """``--fit-memory-mib`` (one option shared by compare, create, tune and auto), else
    ``PODIUM_FIT_MEMORY_MIB``, is the ``memory_bytes`` of the process pool that runs the fits;
    neither: the executor has none of its own (the scheduler's default)."""
    from podium.engine import ProcessExecutor

    opened, real_open = [], ProcessExecutor.open

    def spy(self: ProcessExecutor, folds: Any) -> None:
        opened.append(self.memory_bytes)
        real_open(self, folds)

    monkeypatch.setattr(ProcessExecutor, "open", spy)
    monkeypatch.delenv("PODIUM_FIT_MEMORY_MIB", raising=False)
    args = [command[0], str(csv), "-t", "y", *command[1:], "--folds", "2", "--json", *given]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    assert opened
    assert set(opened) == {budget}


@pytest.mark.parametrize(
    "command", [["compare"], ["create", "-m", "nb"], ["tune", "-m", "nb"], ["auto"]]
)
def test_every_fitting_command_refuses_a_budget_under_one_mib(
    csv: Path, command: list[str]
) -> None:
    args = [command[0], str(csv), "-t", "y", *command[1:], "--fit-memory-mib", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Invalid value for '--fit-memory-mib'" in result.output


def test_tune_fit_memory_reaches_the_search(csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``podium tune --fit-memory-mib`` is the budget the search's loop admits fits by."""
    from podium.engine.run import scheduler

    budgets, real = [], scheduler.memory_budget

    def spy(executor: Any, memory_bytes: float | None = None) -> float:
        budgets.append(real(executor, memory_bytes))
        return budgets[-1]

    monkeypatch.setattr(scheduler, "memory_budget", spy)
    monkeypatch.delenv("PODIUM_FIT_MEMORY_MIB", raising=False)
    args = ["tune", str(csv), "-t", "y", "-m", "nb", "--trials", "1", "--folds", "2", "--json"]
    result = runner.invoke(app, [*args, "--fit-memory-mib", "7"])
    assert result.exit_code == 0, result.output
    assert budgets
    assert set(budgets) == {7 * 2**20}
