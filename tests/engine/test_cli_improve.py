"""``podium tune | auto`` through typer's CliRunner (real files, real fits)."""

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


def test_tune_prints_the_tuned_model_and_saves_it(csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "tuned"
    args = ["tune", str(csv), "-t", "y", "--model", "dt", "--trials", "3", "--folds", "2"]
    result = runner.invoke(app, [*args, "--json", "--save", str(out)])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert {r["model_id"] for r in table["rows"]} == {"dt_tuned", "dt"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["model_id"] == "dt_tuned"


def test_auto_and_a_bad_model(csv: Path) -> None:
    result = runner.invoke(app, ["auto", str(csv), "-t", "y", "--budget", "30", "--folds", "2"])
    assert result.exit_code == 0, result.output
    assert "model: " in result.output
    bad = runner.invoke(app, ["tune", str(csv), "-t", "y", "--model", "zzz"])
    assert bad.exit_code == 2
    assert "unknown model id 'zzz'" in bad.output


def test_tune_and_auto_take_setup_settings_as_compare_does(csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "tuned"
    args = ["tune", str(csv), "-t", "y", "--model", "dt", "--trials", "2", "--folds", "2",
            "--set", 'ignore_features=["noise"]', "--save", str(out)]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert [c["name"] for c in manifest["input_schema"]] == ["x1", "x2", "color"]
    bad = runner.invoke(app, ["auto", str(csv), "-t", "y", "--set", "nope=1"])
    assert bad.exit_code == 2
    assert "nope" in bad.output
