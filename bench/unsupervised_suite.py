"""Clustering and anomaly detection: Podium's defaults against PyCaret 3.3.2's ``create_model``
defaults, side by side in one run (issue #15).

Tables with known labels (scikit-learn's, shipped in the package; nothing downloaded):
clustering on iris, wine, breast_cancer and digits, scored by the adjusted Rand index against
the classes; anomaly detection on the same four tables with each class in turn subsampled
(seeded) to 5 % of the rows as the anomalies and the other classes as the normal rows (the
"rare class" construction of the ODDS tables WBC, Wine and Optdigits, applied to every class
rather than a chosen one: 18 tables), scored by ROC AUC. Each side runs its defaults: PyCaret
``setup(data)`` (no scaling; k = 4; fraction 0.05) then ``create_model(id)``; Podium
``setup(..., task=...)`` (z-scored for clustering, min-max for anomaly detection; k = the best
k-means silhouette; contamination 0.05) then ``create(id)``. Both sides' labels and scores are
scored here with the same scikit-learn functions. Wall = setup + fit (+ PyCaret's
``assign_model``), imports excluded.

``.venv/bin/python -m bench.unsupervised_suite [--pycaret-python PATH]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.metrics import adjusted_rand_score, roc_auc_score

HERE = Path(__file__).parent
DATA = HERE / ".data" / "unsupervised"
SEED = 42
CLUSTERING = ("iris", "wine", "breast_cancer", "digits")
CLUSTER_MODELS = ("kmeans", "hclust", "birch")
ANOMALY_MODELS = ("iforest", "knn", "lof", "histogram")
ANOMALY_SHARE = 0.05
#: the two anomaly tables of the suite's first runs (bench/RESULTS.md), summarised apart too
FIRST_ANOMALY_TABLES = ("breast_cancer (class 0 at 5 %)", "digits (class 0 at 5 %)")


def _table(name: str) -> pd.DataFrame:
    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    df: pd.DataFrame = bunch.frame.copy()
    df.columns = [str(c).replace(" ", "_").replace("(", "").replace(")", "") for c in df.columns]
    return df.rename(columns={"target": "label"})


def _anomaly_table(name: str, rare: int) -> pd.DataFrame:
    """``rare`` subsampled (seeded) to :data:`ANOMALY_SHARE` of the rows: the anomalies."""
    df = _table(name)
    rng = np.random.default_rng(SEED)
    normal = df[df["label"] != rare]
    n_rare = round(len(normal) * ANOMALY_SHARE / (1 - ANOMALY_SHARE))
    rare_rows = df[df["label"] == rare].sample(n=n_rare, random_state=int(rng.integers(1 << 30)))
    out = pd.concat([normal, rare_rows]).sample(frac=1.0, random_state=SEED)
    out["label"] = (out["label"] == rare).astype(int)
    return out.reset_index(drop=True)


def _podium(df: pd.DataFrame, task: str, models: tuple[str, ...]) -> dict[str, Any]:
    from podium.engine.unsupervised import setup

    out = {}
    for model_id in models:
        started = time.perf_counter()
        exp = setup(df, "label", task=task, seed=SEED)
        exp.create(model_id)
        wall = time.perf_counter() - started
        fitted = exp.fitted[model_id]
        answer = fitted.labels if task == "clustering" else fitted.scores
        out[model_id] = {"wall_s": wall, "answer": np.asarray(answer).tolist(),
                         "n_clusters": exp.n_clusters}  # fmt: skip
    return out


def _pycaret(python: str, path: Path, task: str, models: tuple[str, ...]) -> dict[str, Any]:
    spec = {"data": str(path), "label": "label", "task": task, "models": list(models),
            "seed": SEED}  # fmt: skip
    runner = HERE / "runners" / "pycaret_unsupervised.py"
    done = subprocess.run([python, str(runner), json.dumps(spec)], capture_output=True,
                          text=True, check=False, timeout=3600)  # fmt: skip
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])["models"]
    return result


def _score(task: str, truth: np.ndarray[Any, Any], answer: list[Any]) -> float:
    if task == "clustering":
        return float(adjusted_rand_score(truth, answer))
    return float(roc_auc_score(truth, answer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pycaret-python", help="PyCaret 3.3.2's interpreter (default: venv)")
    args = parser.parse_args()
    python = args.pycaret_python
    if python is None:
        from bench.common import ensure_venv
        from bench.engine_suite import PYCARET_REQUIREMENTS

        python = str(ensure_venv("pycaret", PYCARET_REQUIREMENTS))
    DATA.mkdir(parents=True, exist_ok=True)
    cases = [(n, "clustering", _table(n), CLUSTER_MODELS) for n in CLUSTERING]
    cases += [(f"{n} (class {c} at 5 %)", "anomaly", _anomaly_table(n, c), ANOMALY_MODELS)
              for n in CLUSTERING for c in sorted(_table(n)["label"].unique())]  # fmt: skip
    rows = []
    for name, task, df, models in cases:
        path = DATA / f"{name.split()[0]}_{task}{''.join(ch for ch in name if ch.isdigit())}.csv"
        df.to_csv(path, index=False)
        truth = df["label"].to_numpy()
        ours = _podium(df, task, models)
        theirs = _pycaret(python, path, task, models)
        for model_id in models:
            p, c = ours[model_id], theirs.get(model_id)
            row = {"table": name, "task": task, "model": model_id,
                   "podium": round(_score(task, truth, p["answer"]), 4),
                   "podium_s": round(p["wall_s"], 3),
                   "pycaret": round(_score(task, truth, c["answer"]), 4) if c else None,
                   "pycaret_s": round(c["wall_s"], 3) if c else None}  # fmt: skip
            if task == "clustering":
                row["podium_k"] = p["n_clusters"]
            rows.append(row)
            print(json.dumps(row), flush=True)
    frame = pd.DataFrame(rows)
    print(frame.to_string(index=False))
    first = frame["table"].isin(FIRST_ANOMALY_TABLES)
    for task, part in (("clustering", frame[frame["task"] == "clustering"]),
                       ("anomaly", frame[frame["task"] == "anomaly"]),
                       ("anomaly, the first two tables", frame[first])):  # fmt: skip
        part = part.dropna(subset=["podium", "pycaret"])
        print(f"{task}: mean {'ARI' if task == 'clustering' else 'AUC'} Podium "
              f"{part['podium'].mean():.4f} vs PyCaret {part['pycaret'].mean():.4f}; "
              f"wall {part['podium_s'].sum():.2f} s vs {part['pycaret_s'].sum():.2f} s; "
              f"Podium ≥ PyCaret on {(part['podium'] >= part['pycaret'] - 1e-9).sum()} of "
              f"{len(part)}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
