"""Podium on one train CSV for the quality suite, run in Podium's environment.

Usage: ``python -m bench.runners.podium_quality '<json spec>'`` (see anchor_io.py), ``mode``:

- ``auto``: ``setup(train)`` → ``auto(budget_s=...)`` → the final pipeline predicts the test file;
- ``compare``: ``setup(train)`` → ``compare(budget_s=...)`` → ``finalize(best)`` (today's plain
  compare, for reference);
- ``tune``: for each of ``models``, ``tune(model, n_trials=...)``: trial 0's CV score (the model
  as given) against the tuned model's (no test file; one JSON line with both per model).

The process pool is started (its workers import scikit-learn and the model modules) before the
clock's ``fit`` lap, in the ``import`` lap: a ``podium worker`` keeps its pool warm between runs,
and the anchors' runners likewise import their libraries outside the fit. At load ~25 on two
cores that start took ~54 s — most of a 60 s budget had it been inside ``auto``.

Setup keeps Podium's defaults (5 folds, 70 % of the train file cross-validated, seed from the
spec), as PyCaret's side keeps PyCaret's.
"""

from __future__ import annotations

import time
from typing import Any

from bench.runners.anchor_io import Clock, load, read_spec, write_predictions

SORT = {"binary": "AUC", "multiclass": "Accuracy", "regression": "R2"}


def _predict(spec: dict[str, Any], pipe: Any, test: Any) -> None:
    if spec["task"] == "regression":
        write_predictions(spec, pipe.predict(test))
        return
    proba = pipe.predict_proba(test)
    write_predictions(spec, pipe.predict(test), proba, [str(c) for c in pipe.classes_])


def _auto(exp: Any, spec: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    t0 = time.perf_counter()
    stages: dict[str, float] = {}  # seconds into auto at which each stage began
    notes: list[str] = []  # the ensemble stage's messages (the combiners' nested scores)

    def on_event(ev: Any) -> None:
        if ev.kind == "auto.stage":
            stages.setdefault(ev.payload["stage"], round(time.perf_counter() - t0, 1))
            if ev.payload["stage"] == "ensemble" or "completing" in ev.payload["message"]:
                notes.append(ev.payload["message"])

    res = exp.auto(budget_s=spec["budget_s"], sort=SORT[spec["task"]], on_event=on_event)
    auto_s = time.perf_counter() - t0
    info = {
        "best_model": res.model_id,
        "kind": res.model["kind"],
        "members": [m["id"] for m in res.model.get("members") or []],
        "cv": res.cv,
        "holdout": res.holdout,
        "trials": len(res.trials),
        "auto_s": round(auto_s, 1),
        "stages": stages,
        "notes": notes,
    }
    t1 = time.perf_counter()
    pipe = exp.finalize(res.model)
    info["finalize_s"] = round(time.perf_counter() - t1, 1)
    return pipe, info


def _compare(exp: Any, spec: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    res = exp.compare(sort=SORT[spec["task"]], budget_s=spec["budget_s"])
    best = res.best[0]
    row = next(r for r in res.leaderboard["rows"] if r.get("model_id") == best)
    return exp.finalize(best), {"best_model": best, "best_cv": row.get(res.sort)}


def _tune(exp: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Trial 0 of a study is the model as given, on the same folds: the default's CV score."""
    sort = SORT[spec["task"]]
    out: dict[str, Any] = {}
    for model_id in spec["models"]:
        t0 = time.perf_counter()
        res = exp.tune(model_id, n_trials=spec["n_trials"], sort=sort)
        first = next((t for t in res.trials if t.number == 0), None)
        out[model_id] = {
            "default": first.score if first is not None else None,
            "tuned": res.cv.get(sort),
            "trials": len(res.trials),
            "pruned": sum(t.state == "pruned" for t in res.trials),
            "tune_s": time.perf_counter() - t0,
        }
    return out


def main() -> None:
    spec = read_spec()
    clock = Clock()
    from podium.engine import ProcessExecutor, setup

    ProcessExecutor().warm(timeout=600)  # the pool auto and compare use (loky's reusable one)
    clock.lap("import")
    train, test = load(spec)
    exp = setup(train, spec["target"], seed=spec["seed"])
    if spec["mode"] == "tune":
        clock.report(tune=_tune(exp, spec), sort=SORT[spec["task"]])
        return
    pipe, info = (_auto if spec["mode"] == "auto" else _compare)(exp, spec)
    clock.lap("fit")
    _predict(spec, pipe, test)
    clock.lap("predict")
    clock.report(**info)


if __name__ == "__main__":
    main()
