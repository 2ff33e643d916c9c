"""One model fitted on one fold with the plain libraries: no Podium imported (issue 17's floor).

Usage: ``python -m bench.runners.lone_fit '<json spec>'`` with ``folds`` (a folder of a fold's
``.npy`` files as Podium's ``FoldFiles`` writes them: ``0_X_train.npy``, ...), ``fold`` (0),
``model`` (one of :data:`MODELS`, built with Podium's catalogue parameters written out here)
and ``seed``. The arrays are memory-mapped read-only, as a Podium worker maps them; the model is
fitted on ``X_train`` and scores ``X_valid`` (``predict_proba``), one thread, as a worker does.
Prints one JSON line: RSS and anonymous memory before the fit (interpreter + libraries + the
mapped, untouched fold) and the process's peak RSS (``VmHWM``; not ``ru_maxrss``, which
keeps the launching process's peak across fork and exec).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

MODELS = ("lr", "nb", "dt", "ridge", "lda", "lightgbm", "dummy", "xgboost", "rf")


def build(model: str, seed: int) -> Any:
    """The estimator Podium's catalogue builds for ``model`` (binary classification)."""
    if model == "lr":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000, random_state=seed)
    if model == "nb":
        from sklearn.naive_bayes import GaussianNB

        return GaussianNB()
    if model == "dt":
        from sklearn.tree import DecisionTreeClassifier

        return DecisionTreeClassifier(random_state=seed)
    if model == "ridge":
        from sklearn.linear_model import RidgeClassifier

        return RidgeClassifier(random_state=seed)
    if model == "lda":
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        return LinearDiscriminantAnalysis()
    if model == "lightgbm":
        from lightgbm import LGBMClassifier

        return LGBMClassifier(n_jobs=1, verbose=-1, random_state=seed)
    if model == "xgboost":
        from xgboost import XGBClassifier

        return XGBClassifier(n_jobs=1, tree_method="hist", verbosity=0, random_state=seed)
    if model == "rf":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(n_jobs=1, random_state=seed)
    from sklearn.dummy import DummyClassifier

    return DummyClassifier(strategy="prior")


def _status(field: str) -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    spec = json.loads(sys.argv[1])
    folder, fold = spec["folds"], int(spec.get("fold", 0))
    X_tr, y_tr, X_va, y_va = (
        np.load(f"{folder}/{fold}_{p}.npy", mmap_mode="r", allow_pickle=False)
        for p in ("X_train", "y_train", "X_valid", "y_valid")
    )
    est = build(spec["model"], int(spec.get("seed", 42)))
    before = {"rss_mb": _status("VmRSS"), "anon_mb": _status("RssAnon")}
    time.sleep(1.0)  # the sampler sees the state before the fit
    t0 = time.perf_counter()
    est.fit(X_tr, y_tr)
    score = getattr(est, "predict_proba", None) or est.decision_function
    proba = score(X_va)
    fit_s = time.perf_counter() - t0
    acc = float(np.mean(est.predict(X_va) == y_va))
    del proba
    print(json.dumps({
        "model": spec["model"], "fit_score_s": fit_s, "accuracy": acc,
        "X_train_mb": X_tr.nbytes / 2**20, "dtype": str(X_tr.dtype),
        "before": before, "peak_rss_mb": _status("VmHWM"),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
