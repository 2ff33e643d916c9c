"""The evaluation curves in NumPy (``evaluate/curves.py``) against scikit-learn's own functions,
with and without tied scores, and the plot path importing no scikit-learn: the first plot an API
process draws does not wait for ``sklearn.metrics`` to import (seconds on a loaded machine)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from podium.engine.evaluate import curves

Array = np.ndarray[Any, Any]


def _data(n: int, ties: bool, seed: int = 0) -> tuple[Array, Array]:
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < 0.3
    score = np.clip(rng.normal(0.35 + 0.3 * positive, 0.2), 0, 1)
    return positive, (np.round(score, 1) if ties else score).astype("float32")


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("n", [7, 500])
def test_curves_equal_sklearns(n: int, ties: bool) -> None:
    positive, score = _data(n, ties)
    for mine, theirs in zip(curves.roc(positive, score), roc_curve(positive, score), strict=False):
        np.testing.assert_allclose(mine, theirs)
    assert curves.roc_auc(positive, score) == pytest.approx(roc_auc_score(positive, score))
    precision, recall, _ = precision_recall_curve(positive, score)
    mine_p, mine_r = curves.precision_recall(positive, score)
    np.testing.assert_allclose(mine_p, precision)
    np.testing.assert_allclose(mine_r, recall)
    ap = average_precision_score(positive, score)
    assert curves.average_precision(positive, score) == pytest.approx(ap)
    observed, predicted = calibration_curve(positive, score, n_bins=10)
    mine_o, mine_m = curves.calibration(positive, score, 10)
    np.testing.assert_allclose(mine_o, observed)
    np.testing.assert_allclose(mine_m, predicted)


@pytest.mark.parametrize("normalize", [False, True])
def test_confusion_equals_sklearns(normalize: bool) -> None:
    rng = np.random.default_rng(1)
    y, pred = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    y[y == 2] = 1  # a class never actual: its normalised row is zeros, as sklearn's
    how = "true" if normalize else None
    expected = confusion_matrix(y, pred, labels=[0, 1, 2], normalize=how)
    np.testing.assert_allclose(curves.confusion(y, pred, 3, normalize), expected)


def test_the_plot_path_imports_no_sklearn() -> None:
    code = """
import sys
import numpy as np
from podium.engine.evaluate import plots
from podium.engine.run.predictions import ModelPredictions, PredictionSet
rng = np.random.default_rng(0)
y = rng.integers(0, 3, 300).astype("int32")
proba = rng.dirichlet(np.ones(3), 300).astype("float32")
oof = PredictionSet(np.arange(300), y, proba.argmax(1).astype("int32"), proba)
m = ModelPredictions("m", "M", "multiclass", ["a", "b", "c"], "probability", oof, None)
for pid in ("confusion_matrix", "confusion_matrix_normalized", "roc", "pr", "calibration",
            "class_distribution"):
    assert plots.draw(pid, m)["id"] == pid
print(sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "scipy"}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert out.stdout.strip() == "[]", out.stdout
