"""``python -m bench.onnx_coverage`` — which catalogue models and preprocessing steps export to
ONNX (issue 17): every available model of each task, finalized on one mixed table (numbers with
gaps, one-hot and high-cardinality categories with missing values, a date column), each
high-cardinality encoding; prints a Markdown table of ``export_onnx``'s answer per model.

Not a timing bench: it fits small tables, once each. ``--no-dates`` drops the date column (the
models' own coverage), ``--models`` limits the list.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from typing import Any

import numpy as np
import pandas as pd

TASKS = ("binary", "multiclass", "regression")


def table(task: str, n: int = 300, seed: int = 7, dates: bool = True) -> pd.DataFrame:
    """Numbers with gaps, a one-hot city, a yes/no, a 60-value code, a date; ``y`` by task."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400 * 24, n), unit="h")
    df = pd.DataFrame(
        {
            "x": x,
            "z": rng.integers(0, 50, n).astype(float),
            "city": rng.choice(["oslo", "lima", "pune", "kyiv"], size=n),
            "member": rng.choice(["yes", "no"], size=n),
            "code": rng.choice([f"c{i:02d}" for i in range(60)], size=n),
        }
    )
    if dates:
        df["when"] = days.strftime("%Y-%m-%d %H:%M")
    signal = x + (df["city"] == "oslo") + (df["code"] < "c20") + (days.month > 6)
    if task == "regression":
        df["y"] = 3 * signal + rng.normal(scale=0.1, size=n)
    elif task == "binary":
        df["y"] = np.where(signal > 0.8, "pos", "neg")
    else:
        df["y"] = np.select([signal < 0.3, signal < 1.5], ["low", "mid"], "high")
    df.loc[[3, 9, 40], "x"] = np.nan
    df.loc[[4, 41], "city"] = None
    df.loc[[7, 11], "code"] = None
    if dates:
        df.loc[[5, 42], "when"] = None
    return df


def coverage(
    task: str, encoding: str, dates: bool, models: list[str] | None
) -> list[dict[str, Any]]:
    """``export_onnx``'s answer for each available model of ``task`` on :func:`table`."""
    from podium.engine import describe, setup
    from podium.engine.artifacts.onnx import export_onnx

    df = table(task, dates=dates)
    exp = setup(df, "y", folds=2, seed=0, high_cardinality_encoding=encoding)
    rows = []
    for m in describe.models(task):
        if not m["is_available"] or (models and m["id"] not in models):
            continue
        with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                result = export_onnx(exp.finalize(m["id"]), folder, exp.sample_rows())
            except Exception as exc:  # a model that does not fit this table
                result = {"available": False, "error": f"fit failed: {exc}"[:120]}
        rows.append({"task": task, "encoding": encoding, "model": m["id"], **result})
    return rows


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.onnx_coverage", description=__doc__)
    p.add_argument("--tasks", default=",".join(TASKS))
    p.add_argument("--encodings", default="target,ordinal")
    p.add_argument("--models", default="")
    p.add_argument("--no-dates", action="store_true")
    args = p.parse_args()
    models = [m for m in args.models.split(",") if m] or None
    print("| task | encoding | model | ONNX | why not |\n|---|---|---|---|---|")
    for task in args.tasks.split(","):
        for encoding in args.encodings.split(","):
            for r in coverage(task, encoding, not args.no_dates, models):
                ok = "yes" if r["available"] else "no"
                why = "" if r["available"] else r["error"].removeprefix("onnx: ")
                cells = [r["task"], r["encoding"], r["model"], ok, why]
                print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
