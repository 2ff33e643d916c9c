"""``podium compare | create | predict`` through typer's CliRunner (real files, real fits)."""

from __future__ import annotations

import json
from pathlib import Path

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
    assert lines[0] == "prediction,proba_no,proba_yes"
    assert len(lines) == 61


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "{csv}", "--target", "nope"], "error: unknown target column 'nope'"),
        (["compare", "{csv}", "-t", "y", "--models", "zzz"], "error: unknown model id 'zzz'"),
        (["compare", "missing.csv", "-t", "y"], "error: file not found: missing.csv"),
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
