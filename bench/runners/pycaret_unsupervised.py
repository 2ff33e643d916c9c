"""PyCaret 3.3.2 ``pycaret.clustering`` / ``pycaret.anomaly`` ``create_model`` defaults on one CSV,
run inside bench/.venvs/pycaret.

Usage: ``python pycaret_unsupervised.py '<json spec>'`` with keys data, label, task, models,
seed. Per model: setup + create_model + assign_model wall (imports excluded) and the labels
(clustering) or scores (anomaly) of every row, printed as one JSON line. Scoring (ARI, ROC AUC)
is done by the suite with the same scikit-learn functions for both sides.
Standalone on purpose: this interpreter has PyCaret's old pins, not Podium's libraries.
"""

from __future__ import annotations

import json
import sys
import time
import warnings


def main() -> None:
    spec = json.loads(sys.argv[1])
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    if spec["task"] == "clustering":
        from pycaret.clustering import assign_model, create_model, setup
    else:
        from pycaret.anomaly import assign_model, create_model, setup
    import pandas as pd

    t_import = time.perf_counter() - t0
    df = pd.read_csv(spec["data"]).drop(columns=[spec["label"]])
    out = {}
    for model_id in spec["models"]:
        t1 = time.perf_counter()
        setup(df, session_id=spec["seed"], verbose=False, html=False)  # every default
        model = create_model(model_id, verbose=False)
        assigned = assign_model(model)
        wall = time.perf_counter() - t1
        if spec["task"] == "clustering":
            answer = [str(v) for v in assigned["Cluster"]]
        else:
            answer = [float(v) for v in assigned["Anomaly_Score"]]
        out[model_id] = {"wall_s": wall, "answer": answer}
    print(json.dumps({"import_s": t_import, "models": out}))


if __name__ == "__main__":
    main()
