"""Clustering and anomaly detection through the API with a real worker: the run, its
leaderboard and events, the model page's plots, promote, deploy and predict."""

from __future__ import annotations

import io
import json
import time
from csv import reader as csv_reader
from typing import Any

import pytest

from podium.engine import samples
from tests.server.api.serving import after_first_row, cancel, deploy, promote, wait_pipeline, worker
from tests.server.conftest import World

WAIT_S = 180
IRIS_ROW = {"sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4,
            "petal width (cm)": 0.2}  # fmt: skip


def _run(world: World, task: str, models: list[str], **experiment: Any) -> dict[str, Any]:
    exp = world.experiment(world.project(), task=task, **experiment)
    run = world.run(exp, plan="compare", plan_params={"models": models})
    with worker(world.settings):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            done: dict[str, Any] = world.client.get(
                f"/api/v1/runs/{run['id']}", headers=world.owner.headers
            ).json()
            if done["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.1)
    assert done["status"] == "succeeded", done
    return done


def _promote_and_predict(
    world: World, run_id: str, model_id: str, slug: str, row: dict[str, Any]
) -> Any:
    r = promote(world, run_id, name=slug, model_id=model_id)
    assert r.status_code == 202, r.text
    with worker(world.settings):
        built = wait_pipeline(world, r.json()["id"])
    assert built["status"] == "ready", built
    deploy(world, built["id"], slug=slug)
    answer = world.client.post(f"/api/v1/deployments/{slug}/predict", json={"rows": [row]})
    assert answer.status_code == 200, answer.text
    predictions = answer.json()["predictions"]
    csv = ",".join(row) + "\n" + ",".join(str(v) for v in row.values()) + "\n"
    scored = world.client.post(
        f"/api/v1/deployments/{slug}/predict/csv", files={"file": ("x.csv", csv, "text/csv")}
    )
    assert scored.status_code == 200, scored.text
    head, line = csv_reader(io.StringIO(scored.text))
    written = dict(zip(head, line, strict=True))
    for key, value in predictions[0].items():  # CSV spells each answer as JSON does
        if isinstance(value, float):
            assert float(written[key]) == pytest.approx(value), key
        else:
            assert written[key] == json.dumps(value), key
    return predictions


def test_clustering_runs_plots_and_deploys(world: World) -> None:
    done = _run(
        world, "clustering", ["kmeans", "hclust"], target="",
        setup_params={"label_column": "target", "n_clusters": 3},
    )  # fmt: skip
    board = done["leaderboard"]
    assert board["columns"] == ["Model", "Silhouette", "Calinski-Harabasz", "Davies-Bouldin",
                                "ARI", "Clusters", "TT (Sec)"]  # fmt: skip
    assert {r["model_id"] for r in board["rows"]} == {"kmeans", "hclust"}
    assert all(r["ARI"] > 0.5 and r["Clusters"] == 3 for r in board["rows"])
    events = world.client.get(f"/api/v1/runs/{done['id']}/events", headers=world.owner.headers)
    kinds = [e["kind"] for e in events.json()["data"]]
    assert kinds.count("model.fitted") == 2
    assert "compare.finished" in kinds
    model = world.client.get(
        f"/api/v1/runs/{done['id']}/models/hclust", headers=world.owner.headers
    ).json()
    shown = {p["id"]: p["available"] for p in model["plots"]}
    # n_clusters was given, so no elbow was swept
    assert shown == {"elbow": False, "silhouette": True, "cluster_sizes": True, "embedding": True}
    plot = world.client.get(
        f"/api/v1/runs/{done['id']}/models/hclust/plots/cluster_sizes",
        headers=world.owner.headers,
    )
    assert plot.status_code == 200, plot.text
    assert sum(plot.json()["series"][0]["y"]) == 150
    predictions = _promote_and_predict(world, done["id"], "hclust", "iris-clusters", IRIS_ROW)
    assert list(predictions[0]) == ["cluster"]
    assert isinstance(predictions[0]["cluster"], int)


def test_anomaly_runs_with_a_label_and_deploys(world: World) -> None:
    done = _run(
        world, "anomaly", ["iforest", "ecod"], target="target",
        sklearn_dataset="sklearn:breast_cancer", setup_params={"contamination": 0.1},
    )  # fmt: skip
    assert done["status"] == "succeeded"
    board = done["leaderboard"]
    assert board["columns"][:3] == ["Model", "AUC", "P@k"]
    assert all(abs(r["Flagged"] - 0.1) < 0.01 for r in board["rows"])
    model = world.client.get(
        f"/api/v1/runs/{done['id']}/models/iforest", headers=world.owner.headers
    ).json()
    assert {p["id"] for p in model["plots"] if p["available"]} == {
        "score_distribution",
        "embedding",
    }
    df, target = samples.load("breast_cancer")
    row = {str(k): float(v) for k, v in df.drop(columns=target).iloc[0].items()}
    predictions = _promote_and_predict(world, done["id"], "iforest", "cancer-outliers", row)
    assert set(predictions[0]) == {"score", "anomaly"}
    assert isinstance(predictions[0]["anomaly"], bool)


def test_a_cancelled_clustering_run_keeps_the_plots_of_its_finished_models(world: World) -> None:
    """The plots of a target-less task come from the fit itself (``drawn_plots``): a cancel
    after the first model must still store that model's plots, as a compare's predictions are."""
    # k-means first, then models quadratic in rows: seconds of fits remain after the first row
    models = ["kmeans", "meanshift", "ap", "optics", "sc", "hclust"]
    _cancel_after_first_model(
        world, "clustering", models, "cluster_sizes", setup_params={"n_clusters": 10}
    )


def test_a_cancelled_anomaly_run_keeps_the_plots_of_its_finished_models(world: World) -> None:
    # isolation forest first, then detectors quadratic in rows or slow in 64 columns
    models = ["iforest", "abod", "mcd", "svm", "lof", "knn", "cluster"]
    _cancel_after_first_model(world, "anomaly", models, "score_distribution")


def _cancel_after_first_model(
    world: World, task: str, models: list[str], plot: str, **experiment: Any
) -> None:
    """Run ``models`` on digits (1,797 rows, no label), cancel once the first has finished: the
    run ends cancelled with at least one and not every row, and each finished model's ``plot``
    (a histogram or bar chart of the rows) counts every row."""
    exp = world.experiment(
        world.project(), task=task, target="", sklearn_dataset="sklearn:digits", **experiment
    )
    run = world.run(exp, plan="compare", plan_params={"models": models})
    with worker(world.settings):
        after_first_row(world, run["id"], cancel(world, run["id"]), WAIT_S)
    done = world.client.get(f"/api/v1/runs/{run['id']}", headers=world.owner.headers).json()
    assert done["status"] == "cancelled", done
    finished = [r["model_id"] for r in done["leaderboard"]["rows"]]
    assert 1 <= len(finished) < len(models)
    for model_id in finished:
        drawn = world.client.get(
            f"/api/v1/runs/{run['id']}/models/{model_id}/plots/{plot}",
            headers=world.owner.headers,
        )
        assert drawn.status_code == 200, drawn.text
        bars = [s for s in drawn.json()["series"] if s["mark"] in ("bar", "rect")]
        assert sum(sum(s["y"]) for s in bars) == 1797
