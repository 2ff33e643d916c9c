"""``podium compare data.csv --task clustering`` / ``--task anomaly`` from the shell."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.cli import app
from podium.engine import samples

runner = CliRunner()


@pytest.fixture(scope="module")
def iris(tmp_path_factory: pytest.TempPathFactory) -> Path:
    df, _ = samples.load("iris")
    path = tmp_path_factory.mktemp("cli") / "iris.csv"
    df.to_csv(path, index=False)
    return path


def test_compare_clustering_with_a_label_column(iris: Path) -> None:
    args = ["compare", str(iris), "--task", "clustering", "--models", "kmeans,birch", "--json",
            "--set", "label_column=target", "--set", "n_clusters=3"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    board = json.loads(result.stdout)
    assert board["columns"][:2] == ["Model", "Silhouette"]
    assert "ARI" in board["columns"]
    assert {r["model_id"] for r in board["rows"]} == {"kmeans", "birch"}


def test_compare_anomaly_without_labels(iris: Path) -> None:
    args = ["compare", str(iris), "--task", "anomaly", "--models", "iforest", "--json",
            "--set", "contamination=0.1", "--set", "ignore_features=[\"target\"]"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    board = json.loads(result.stdout)
    assert board["columns"] == ["Model", "Flagged", "TT (Sec)"]
    assert board["rows"][0]["Flagged"] == pytest.approx(0.1, abs=0.01)


def test_folds_do_not_apply_to_clustering(iris: Path) -> None:
    result = runner.invoke(app, ["compare", str(iris), "--task", "clustering", "--folds", "3"])
    assert result.exit_code != 0
    assert "folds and train_size do not apply" in result.output


@pytest.mark.parametrize(
    ("task", "model", "answer"),
    [("clustering", "kmeans", ["cluster"]), ("anomaly", "iforest", ["score", "anomaly"])],
)
def test_create_saves_a_pipeline_that_predict_reads(
    iris: Path, tmp_path: Path, task: str, model: str, answer: list[str]
) -> None:
    # its leaderboard has one row (fold 0, no Mean): the saved metrics are that row's
    saved = tmp_path / "pipe"
    args = ["create", str(iris), "--task", task, "--model", model, "--save", str(saved),
            "--set", "ignore_features=[\"target\"]"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((saved / "manifest.json").read_text())
    assert manifest["task"] == task
    scored = tmp_path / "scored.csv"
    result = runner.invoke(app, ["predict", str(saved), str(iris), "-o", str(scored)])
    assert result.exit_code == 0, result.output
    head, *lines = scored.read_text().splitlines()
    assert next(csv.reader([head]))[-len(answer) :] == answer  # Arrow quotes the header
    if task == "anomaly":  # the flag as the JSON answer spells it, on every path
        assert {row[-1] for row in csv.reader(lines)} == {"true", "false"}
    else:
        assert all(row[-1].isdigit() for row in csv.reader(lines))
