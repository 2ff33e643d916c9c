"""Clustering: every model on tiny data, metrics against scikit-learn's, the n_clusters rule,
events and cancel, save/load/predict, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from podium.engine import Cancelled, DataError, load_pipeline, predict, save_pipeline
from podium.engine.events import EngineEvent
from podium.engine.standalone import load_pipeline as load_standalone
from podium.engine.unsupervised import catalogue, setup
from podium.engine.unsupervised.fitting import choose_k
from podium.engine.unsupervised.metrics import clustering_scores

IDS = [s.id for s in catalogue.specs("clustering")]


def blobs(n: int = 60, centers: int = 3, seed: int = 0) -> pd.DataFrame:
    X, y = make_blobs(
        n_samples=n, n_features=3, centers=centers, cluster_std=0.6, random_state=seed
    )
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["colour"] = np.where(X[:, 0] > np.median(X[:, 0]), "red", "blue")
    df["group"] = [f"g{v}" for v in y]
    return df


@pytest.fixture(scope="module")
def exp() -> Any:
    return setup(blobs(), "group", task="clustering", seed=0)


def test_the_catalogue_holds_the_issue_models() -> None:
    assert IDS == ["kmeans", "minibatch", "hclust", "birch", "gmm", "sc", "dbscan", "optics",
                   "meanshift", "ap"]  # fmt: skip


@pytest.mark.parametrize("model_id", IDS)
def test_every_model_fits_scores_and_round_trips(exp: Any, model_id: str, tmp_path: Path) -> None:
    result = exp.create(model_id)
    row = result.leaderboard["rows"][0]
    assert row["Fold"] == 0
    assert row["Clusters"] >= 0
    pipe = exp.finalize(model_id)
    save_pipeline(pipe, tmp_path)
    loaded = load_pipeline(tmp_path)
    rows = blobs().drop(columns="group")
    out = predict(loaded, rows)
    assert list(out.columns) == ["cluster"]
    assert out["cluster"].dtype == np.int64
    # the training rows get their own clusters back (nearest row, centre, core or the model)
    np.testing.assert_array_equal(out["cluster"].to_numpy(), exp.fitted[model_id].labels)
    _standalone_pipe, manifest = load_standalone(tmp_path)
    assert manifest["task"] == "clustering"
    assert manifest["extra"]["output"]["kind"] == "cluster"


def test_metrics_are_scikit_learns() -> None:
    X, y = make_blobs(n_samples=80, centers=3, random_state=1)
    labels = KMeans(3, n_init=2, random_state=0).fit_predict(X)
    truth = pd.Series(y)
    got = clustering_scores(X, labels, truth, seed=0)
    assert got["Silhouette"] == pytest.approx(skm.silhouette_score(X, labels))
    assert got["Calinski-Harabasz"] == pytest.approx(skm.calinski_harabasz_score(X, labels))
    assert got["Davies-Bouldin"] == pytest.approx(skm.davies_bouldin_score(X, labels))
    assert got["ARI"] == pytest.approx(skm.adjusted_rand_score(y, labels))
    assert got["Clusters"] == 3


def test_silhouette_is_sampled_with_the_seed_above_5000_rows() -> None:
    X, _ = make_blobs(n_samples=5200, centers=3, random_state=1)
    labels = KMeans(3, n_init=1, random_state=0).fit_predict(X)
    got = clustering_scores(X, labels, None, seed=7)["Silhouette"]
    assert got == pytest.approx(skm.silhouette_score(X, labels, sample_size=5000, random_state=7))


def test_one_cluster_has_no_scores() -> None:
    X = np.random.default_rng(0).normal(size=(20, 2))
    got = clustering_scores(X, np.zeros(20, dtype=int), None, seed=0)
    assert got["Silhouette"] is None
    assert got["Davies-Bouldin"] is None


def test_n_clusters_is_the_best_silhouette_of_k_means() -> None:
    X, _ = make_blobs(n_samples=90, centers=4, cluster_std=0.5, random_state=3)
    k, sweep = choose_k(X, 0, (2, 10))
    by_k = {s["k"]: s["silhouette"] for s in sweep if s["silhouette"] is not None}
    assert k == max(by_k, key=lambda c: by_k[c]) == 4
    assert [s["k"] for s in sweep] == list(range(1, 11))  # inertia from k=1 for the elbow
    expected = skm.silhouette_score(X, KMeans(4, n_init=4, random_state=0).fit_predict(X))
    assert by_k[4] == pytest.approx(expected)


def test_setup_chooses_k_and_says_so_unless_given() -> None:
    chosen = setup(blobs()[["a", "b", "c"]], task="clustering", seed=0)
    scored = [s for s in chosen.sweep if s["silhouette"] is not None]
    assert chosen.n_clusters == max(scored, key=lambda s: s["silhouette"])["k"]
    assert any(f["code"] == "n_clusters" for f in chosen.findings)
    given = setup(blobs(), task="clustering", seed=0, n_clusters=5)
    assert given.n_clusters == 5
    assert given.sweep == []


def test_compare_events_leaderboard_and_sort(exp: Any) -> None:
    events: list[EngineEvent] = []
    result = exp.compare(models=["kmeans", "hclust", "dbscan"], on_event=events.append)
    kinds = [e.kind for e in events]
    assert kinds.count("model.started") == 3
    assert kinds.count("model.fitted") == 3
    assert kinds[-1] == "compare.finished"
    fitted = [e for e in events if e.kind == "model.fitted"]
    assert all(e.payload["fold"] == 0 for e in fitted)
    board = result.leaderboard
    assert board["columns"] == ["Model", "Silhouette", "Calinski-Harabasz", "Davies-Bouldin",
                                "ARI", "Clusters", "TT (Sec)"]  # fmt: skip
    assert result.sort == "ARI" == exp.default_sort
    aris = [r["ARI"] for r in board["rows"]]
    assert aris == sorted(aris, reverse=True)
    assert result.best == [board["rows"][0]["model_id"]]
    by_db = exp.compare(models=["kmeans", "dbscan"], sort="Davies-Bouldin").leaderboard["rows"]
    assert by_db[0]["Davies-Bouldin"] <= by_db[1]["Davies-Bouldin"]


def test_no_label_sorts_by_silhouette() -> None:
    exp = setup(blobs().drop(columns="group"), task="clustering", seed=0, n_clusters=3)
    result = exp.compare(models=["kmeans", "gmm"])
    assert result.sort == "Silhouette"
    assert "ARI" not in result.leaderboard["columns"]


def test_cancel_keeps_finished_rows(exp: Any) -> None:
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    with pytest.raises(Cancelled) as info:
        exp.compare(models=["kmeans", "birch", "gmm"], should_stop=stop)
    assert [r["model_id"] for r in info.value.leaderboard["rows"]] == ["kmeans"]


def test_a_failing_model_is_a_row_with_its_error(exp: Any) -> None:
    events: list[EngineEvent] = []
    result = exp.compare(models=["kmeans", "gmm"], on_event=events.append)
    assert "Error" not in result.leaderboard["columns"]
    broken = exp.create  # a bad parameter is refused before the fit, naming the model
    with pytest.raises(DataError, match="bad parameter for model 'kmeans'"):
        broken("kmeans", n_clusterz=2)


def test_quadratic_models_leave_the_default_list_on_large_tables() -> None:
    big = catalogue.default_split(catalogue.specs("clustering"), 50_000, 20)
    left = {s.id for s in big[1]}
    assert {"hclust", "sc", "dbscan", "optics", "meanshift", "ap"} <= left
    assert {"kmeans", "minibatch", "birch", "gmm"}.isdisjoint(left)
    assert catalogue.default_split(catalogue.specs("clustering"), 100, 5)[1] == []


def test_plots_draw(exp: Any) -> None:
    ids = [p["id"] for p in exp.plots()]
    assert ids == ["elbow", "silhouette", "cluster_sizes", "embedding"]
    exp.compare(models=["kmeans"])
    for plot_id in ids:
        plot = exp.plot(plot_id, "kmeans")
        assert plot["kind"] == "xy"
        assert plot["series"]
    sizes = exp.plot("cluster_sizes", "kmeans")["series"][0]
    assert sum(sizes["y"]) == 60
    with pytest.raises(DataError, match="unknown plot 'roc'"):
        exp.plot("roc", "kmeans")


@pytest.mark.parametrize(
    ("frame", "settings", "words"),
    [
        (pd.DataFrame({"a": [1.0, 2.0]}), {}, "needs at least 3"),
        (pd.DataFrame({"a": [1, 1, 1, 1]}), {}, "no feature column for clustering"),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}), {"n_clusters": 4}, "lower n_clusters"),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0]}), {"n_clusters": 1}, "'n_clusters' must be between"),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0]}), {"folds": 5}, "folds and train_size do not apply"),
        (pd.DataFrame({"a": [1.0, 2.0, 3.0]}), {"label_column": "b"}, "unknown label column"),
    ],
)
def test_bad_input_is_a_data_error(
    frame: pd.DataFrame, settings: dict[str, Any], words: str
) -> None:
    with pytest.raises(DataError, match=words):
        setup(frame, task="clustering", **settings)
