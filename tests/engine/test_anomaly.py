"""Anomaly detection: every detector on tiny data, metrics against scikit-learn's, the
threshold rule, events, save/load/predict, bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from podium.engine import DataError, load_pipeline, predict, save_pipeline
from podium.engine.events import EngineEvent
from podium.engine.unsupervised import catalogue, setup
from podium.engine.unsupervised.metrics import anomaly_scores, precision_at_k

IDS = [s.id for s in catalogue.specs("anomaly") if s.is_available]


def table(n: int = 80, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    outlier = np.zeros(n, dtype=int)
    outlier[:6] = 1
    signs = [[1, 1, 1], [-1, -1, -1], [1, -1, 1], [-1, 1, -1], [1, 1, -1], [-1, -1, 1]]
    X[:6] = 6.0 * np.array(signs)  # six rows far from the rest on every column, and apart
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    df["kind"] = rng.choice(["x", "y"], size=n)
    df["is_outlier"] = outlier
    return df


@pytest.fixture(scope="module")
def exp() -> Any:
    return setup(table(), "is_outlier", task="anomaly", seed=0, contamination=0.1)


def test_pyod_and_sklearn_detectors_are_listed() -> None:
    ids = [s.id for s in catalogue.specs("anomaly")]
    assert {"iforest", "lof", "svm", "knn", "histogram", "copod", "ecod"} <= set(ids)


@pytest.mark.parametrize("model_id", IDS)
def test_every_detector_fits_scores_and_round_trips(
    exp: Any, model_id: str, tmp_path: Path
) -> None:
    result = exp.create(model_id)
    row = result.leaderboard["rows"][0]
    assert result.leaderboard["columns"] == ["Fold", "AUC", "P@k", "Flagged"]
    assert row["AUC"] > 0.9  # six rows 6 standard deviations out on every column are easy
    fitted = exp.fitted[model_id]
    assert fitted.flags.mean() == pytest.approx(0.1, abs=0.02)
    assert fitted.threshold == pytest.approx(np.percentile(fitted.scores, 90))
    save_pipeline(exp.finalize(model_id), tmp_path)
    loaded = load_pipeline(tmp_path)
    out = predict(loaded, table().drop(columns="is_outlier"))
    assert list(out.columns) == ["score", "anomaly"]
    assert out["anomaly"].dtype == bool
    assert out["anomaly"].to_numpy()[:6].all()  # the far rows are flagged as new rows too
    if not hasattr(fitted.estimator, "negative_outlier_factor_") and model_id not in (
        "knn",
        "abod",
    ):  # neighbour methods score a training row without itself; as a new row it counts
        np.testing.assert_allclose(out["score"].to_numpy(), fitted.scores, rtol=1e-6, atol=1e-9)


def test_metrics_are_scikit_learns() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(200) < 0.1).astype(int)
    s = rng.normal(size=200) + 2 * y
    got = anomaly_scores(s, s > np.percentile(s, 90), y)
    assert got["AUC"] == pytest.approx(skm.roc_auc_score(y, s))
    k = int(y.sum())
    assert got["P@k"] == pytest.approx(float(y[np.argsort(-s)[:k]].mean()))
    assert got["Flagged"] == pytest.approx(0.1)
    assert precision_at_k(np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.1, 0.0])) == 0.5


def test_unknown_labels_are_left_out_of_the_auc() -> None:
    y = np.array([1, 0, -1, 0, 1])
    s = np.array([0.9, 0.1, 5.0, 0.2, 0.8])
    assert anomaly_scores(s, s > 1, y)["AUC"] == 1.0


def test_compare_sorts_by_auc_with_labels(exp: Any) -> None:
    events: list[EngineEvent] = []
    result = exp.compare(models=["iforest", "lof", "svm"], on_event=events.append)
    assert result.sort == "AUC"
    aucs = [r["AUC"] for r in result.leaderboard["rows"]]
    assert aucs == sorted(aucs, reverse=True)
    assert [e.kind for e in events].count("model.fitted") == 3


def test_without_labels_it_says_it_cannot_rank() -> None:
    exp = setup(table().drop(columns="is_outlier"), task="anomaly", seed=0)
    events: list[EngineEvent] = []
    result = exp.compare(models=["iforest", "lof"], on_event=events.append)
    assert result.sort == "TT (Sec)"
    assert result.leaderboard["columns"] == ["Model", "Flagged", "TT (Sec)"]
    warning = next(e for e in events if e.kind == "warning")
    assert warning.payload["code"] == "no_labels"
    assert "cannot be measured" in warning.payload["message"]
    assert exp.settings["contamination"] == 0.05  # the default


def test_the_positive_label_is_the_anomaly_word_or_the_rarer_value() -> None:
    df = table()
    df["status"] = np.where(df["is_outlier"] == 1, "anomaly", "normal")
    exp = setup(df.drop(columns="is_outlier"), "status", task="anomaly", seed=0)
    assert exp.create("iforest").leaderboard["rows"][0]["AUC"] > 0.9
    df["status"] = np.where(df["is_outlier"] == 1, "rare", "common")
    exp = setup(df.drop(columns="is_outlier"), "status", task="anomaly", seed=0)
    assert exp.create("iforest").leaderboard["rows"][0]["AUC"] > 0.9


def test_plots_draw(exp: Any) -> None:
    assert [p["id"] for p in exp.plots()] == ["score_distribution", "embedding"]
    dist = exp.plot("score_distribution", "iforest")
    names = [s["name"] for s in dist["series"]]
    assert names[:2] == ["normal", "anomaly"]
    assert names[2].startswith("threshold")
    flagged = sum(dist["series"][1]["y"])
    assert flagged == int(exp.fitted["iforest"].flags.sum())
    emb = exp.plot("embedding", "iforest")
    assert sum(len(s["x"]) for s in emb["series"]) == 80


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"contamination": 0.0}, "'contamination' is the share of rows flagged"),
        ({"contamination": 0.7}, "at most 0.5"),
        ({"contamination": "lots"}, "contamination"),
        ({"n_clusters": 3}, "unknown setup parameter 'n_clusters' for task 'anomaly'"),
        ({"label_column": "kind", "target": "a"}, "two label columns"),
        ({"high_cardinality_encoding": "target"}, "use 'ordinal'"),
    ],
)
def test_bad_settings_are_data_errors(settings: dict[str, Any], words: str) -> None:
    with pytest.raises(DataError, match=words):
        setup(table(), task="anomaly", **settings)


def test_a_label_with_three_values_is_refused() -> None:
    df = table()
    df["three"] = np.arange(len(df)) % 3
    with pytest.raises(DataError, match="must hold exactly 2 values"):
        setup(df, "three", task="anomaly")


def test_no_usable_column_is_refused() -> None:
    with pytest.raises(DataError, match="no feature column for anomaly"):
        setup(pd.DataFrame({"c": [1] * 10, "label": [0] * 9 + [1]}), "label", task="anomaly")


def test_columns_are_scaled_to_their_range_so_a_sparse_column_cannot_rule_distances() -> None:
    # z-scoring divides the one nonzero of a sparse column by a tiny deviation (√n sd out):
    # that row would be the farthest of all on a distance. Min-max gives each column the
    # same [0, 1] range instead (data.DEFAULTS says why); clustering keeps z-scores.
    from podium.engine.unsupervised.data import check_settings, prepare

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"dense": rng.normal(size=200), "sparse": np.zeros(200)})
    df.loc[7, "sparse"] = 16.0
    for task, lows, highs in (("anomaly", [0, 0], [1, 1]), ("clustering", None, None)):
        settings = check_settings(task, {}, list(df.columns))
        Xt = prepare(df, task, None, settings, 0).Xt
        if lows is None:
            assert Xt.mean(axis=0) == pytest.approx([0, 0], abs=1e-9)
            assert Xt[7, 1] == pytest.approx(np.sqrt(199))
        else:
            assert Xt.min(axis=0).tolist() == lows
            assert Xt.max(axis=0).tolist() == highs


@pytest.mark.parametrize("normalize", ["minmax", "zscore"])
def test_pca_scores_collinear_columns_on_their_own_scale(normalize: str) -> None:
    # b = 2a + 1 and d = a + c: the covariance is singular. PyOD's PCA divided by the zero (or
    # 1e-32) variance left in the other directions: every score inf or ~1e32, ranking noise.
    # The whitened PCA drops directions of no variance (eigenvalues under a tolerance).
    rng = np.random.default_rng(0)
    a, c = rng.normal(size=300), rng.normal(size=300)
    df = pd.DataFrame({"a": a, "b": 2 * a + 1, "c": c, "d": a + c})
    df.loc[:5, "b"] += 3  # six rows off the line b = 2a + 1
    df["label"] = [1] * 6 + [0] * 294
    exp = setup(df, "label", task="anomaly", seed=0, normalize_method=normalize)
    scores = predict(exp.finalize("pca"), df.drop(columns="label"))["score"].to_numpy()
    assert np.isfinite(scores).all()
    assert scores.max() < 1e4
    assert skm.roc_auc_score(df["label"], scores) == pytest.approx(1.0)
    row = exp.compare(models=["pca"]).leaderboard["rows"][0]
    assert not row.get("Error")
    assert row["AUC"] == pytest.approx(1.0)


def test_a_detector_whose_scores_are_not_finite_is_a_failed_fit() -> None:
    from podium.engine.unsupervised.fitting import _check_finite

    spec = catalogue.get("anomaly", "iforest")
    with pytest.raises(DataError, match="1 of 2 scores are not finite"):
        _check_finite(spec, np.array([0.5, np.inf]))
