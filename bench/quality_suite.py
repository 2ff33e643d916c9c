"""Suite ``quality``: Podium's ``auto`` vs FLAML, AutoGluon and PyCaret on real tables (issue 13).

Each table is split once, 70/30 (stratified for classes, seed 42), into ``<name>.train.csv`` and
``<name>.test.csv`` under bench/.data/quality; every system reads the same two files, fits on the
train file only (with its own internal validation) and writes its predictions of the test file.
This module scores every prediction file with the same code (scikit-learn's metrics): AUC for
binary tables, accuracy for multiclass ones, R² for regression — the metric each system is also
told to optimise. Each system runs in its own subprocess and venv; its fit wall ("budget used")
and the peak RSS of its process tree are measured the same way for all.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn import datasets as skdata
from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import train_test_split

from bench.common import (
    DATA,
    PODIUM_PYTHON,
    ROOT,
    Measured,
    Unavailable,
    ensure_venv,
    run_measured,
    tail,
)
from bench.engine_suite import PODIUM_ENV, PYCARET_REQUIREMENTS

QUALITY = DATA / "quality"
RUNNERS = ROOT / "bench" / "runners"
SEED = 42
TARGET = "target"
METRIC = {"binary": "AUC", "multiclass": "Accuracy", "regression": "R2"}
# anchor venvs (bench/.venvs/<name>, created on first use); versions pinned for repeatable runs
VENVS: dict[str, list[str]] = {
    "flaml": ["flaml[automl]==2.8.0"],
    "autogluon": ["autogluon.tabular[lightgbm,catboost,xgboost]==1.6.3"],
    "pycaret": PYCARET_REQUIREMENTS,
    "tables": ["statsmodels==0.15.0", "palmerpenguins==0.1.6", "vega_datasets==0.9.0"],
}


@dataclass(frozen=True)
class Table:
    """One quality table: where it comes from and its task."""

    name: str
    task: str
    source: str  # "sklearn" (built here) or "package" (bench/runners/quality_tables.py)


TABLES = [
    Table("breast_cancer", "binary", "sklearn"),
    Table("anes96", "binary", "package"),
    Table("fair", "binary", "package"),
    Table("digits", "multiclass", "sklearn"),
    Table("penguins", "multiclass", "package"),
    Table("seattle_weather", "multiclass", "package"),
    Table("diabetes", "regression", "sklearn"),
    Table("cars", "regression", "package"),
    Table("randhie", "regression", "package"),
]
BY_NAME = {t.name: t for t in TABLES}


@dataclass(frozen=True)
class System:
    """One side of the comparison: a label and how to run it on a spec."""

    id: str
    label: str
    anchor: bool


SYSTEMS = [
    System("podium", "Podium auto", False),
    System("flaml", "FLAML", True),
    System("ag_medium", "AutoGluon medium", True),
    System("ag_best", "AutoGluon best", True),
    System("pycaret", "PyCaret c→t→f", True),
]
SYSTEM_IDS = [s.id for s in SYSTEMS]


def _sklearn_table(name: str) -> pd.DataFrame:
    bunch = getattr(skdata, f"load_{name}")(as_frame=True)
    df = bunch.frame.copy()
    df.columns = [str(c) for c in df.columns]
    if name == "digits":
        df[TARGET] = [f"d{int(v)}" for v in df[TARGET]]
    elif name == "breast_cancer":
        df[TARGET] = [str(bunch.target_names[int(v)]) for v in df[TARGET]]
    return df


def _write(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_suffix(".tmp")
    df.to_csv(tmp, index=False)
    tmp.rename(path)  # a concurrent reader never sees half a file


def prepare(names: list[str]) -> dict[str, tuple[Path, Path]]:
    """Write (once) each table and its 70/30 split; ``{name: (train, test)}``."""
    QUALITY.mkdir(parents=True, exist_ok=True)
    if any(BY_NAME[n].source == "package" and not (QUALITY / f"{n}.csv").exists() for n in names):
        py = ensure_venv("tables", VENVS["tables"])
        m = run_measured([str(py), str(RUNNERS / "quality_tables.py"), str(QUALITY)])
        if m.returncode != 0:
            raise Unavailable(f"writing the package tables failed:\n{tail(m.stderr)}")
    out = {}
    for name in names:
        full = QUALITY / f"{name}.csv"
        if BY_NAME[name].source == "sklearn" and not full.exists():
            _write(_sklearn_table(name), full)
        train, test = QUALITY / f"{name}.train.csv", QUALITY / f"{name}.test.csv"
        if not train.exists() or not test.exists():
            df = pd.read_csv(full)
            strat = df[TARGET] if BY_NAME[name].task != "regression" else None
            a, b = train_test_split(df, test_size=0.3, random_state=SEED, stratify=strat)
            _write(a, train)
            _write(b, test)
        out[name] = (train, test)
    return out


def _command(system: str, spec: dict[str, Any]) -> tuple[list[str], dict[str, str] | None]:
    if system == "podium":
        return [str(PODIUM_PYTHON), "-m", "bench.runners.podium_quality", json.dumps(spec)], {
            **PODIUM_ENV
        }
    venv = {"flaml": "flaml", "pycaret": "pycaret"}.get(system, "autogluon")
    py = ensure_venv(venv, VENVS[venv])
    script = {"flaml": "flaml_automl.py", "pycaret": "pycaret_improve.py"}.get(
        system, "autogluon_fit.py"
    )
    return [str(py), str(RUNNERS / script), json.dumps(spec)], None


def score(task: str, y_test: pd.Series, y_train: pd.Series, preds: pd.DataFrame) -> float:
    """The table's metric of one prediction file (AUC / accuracy / R²)."""
    if task == "regression":
        return float(r2_score(y_test.to_numpy(float), preds["pred"].to_numpy(float)))
    truth = y_test.astype(str).to_numpy()
    if task == "multiclass":
        return float(accuracy_score(truth, preds["pred"].astype(str).to_numpy()))
    positive = sorted(y_train.astype(str).unique())[1]
    column = f"proba:{positive}"
    scores = preds[column] if column in preds else (preds["pred"].astype(str) == positive)
    return float(roc_auc_score(truth == positive, scores.to_numpy(float)))


def run_one(
    table: Table, system: str, paths: tuple[Path, Path], budget_s: float, mode: str
) -> dict[str, Any]:
    """One system on one table: its measured run and its test score."""
    work = QUALITY / "work" / f"{table.name}.{system}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    spec = {
        "train": str(paths[0]),
        "test": str(paths[1]),
        "target": TARGET,
        "task": table.task,
        "budget_s": budget_s,
        "seed": SEED,
        "out": str(work / "predictions.csv"),
        "workdir": str(work / "models"),
        "preset": "best_quality" if system == "ag_best" else "medium_quality",
        "mode": mode,
    }
    cmd, env = _command(system, spec)
    m: Measured = run_measured(cmd, env=env, timeout_s=max(1800.0, 20 * budget_s))
    record: dict[str, Any] = {
        "system": system,
        "table": table.name,
        "task": table.task,
        "budget_s": budget_s,
        "mode": mode if system == "podium" else None,
        "wall_s": m.wall_s,
        "peak_tree_rss_mb": m.peak_tree_rss_mb,
        "at": time.strftime("%Y-%m-%d %H:%M:%S"),
        **m.result,
    }
    if m.returncode != 0 or not (work / "predictions.csv").exists():
        record["error"] = tail(m.stderr or m.stdout, 8)
        print(f"  {system} failed on {table.name} (exit {m.returncode}):\n{record['error']}")
        return record
    train, test = pd.read_csv(paths[0]), pd.read_csv(paths[1])
    preds = pd.read_csv(work / "predictions.csv")
    record["score"] = score(table.task, test[TARGET], train[TARGET], preds)
    shutil.rmtree(work / "models", ignore_errors=True)
    return record


def _cache_path(table: str, system: str, budget_s: float, mode: str) -> Path:
    side = f"podium_{mode}" if system == "podium" else system
    return QUALITY / "results" / f"{table}.{side}.{budget_s:g}s.json"


def run(
    names: list[str],
    *,
    systems: list[str],
    budget_s: float = 60.0,
    reuse: list[str] | None = None,
    mode: str = "auto",
) -> list[dict[str, Any]]:
    """Every chosen system on every chosen table; ``reuse``: systems whose stored result of an
    earlier run at the same budget is taken instead of running again (said in the output)."""
    unknown = sorted(set(names) - set(BY_NAME)) + sorted(set(systems) - set(SYSTEM_IDS))
    if unknown:
        raise Unavailable(f"unknown table/system {', '.join(unknown)}")
    paths = prepare(names)
    records = []
    for name in names:
        table = BY_NAME[name]
        rows = sum(1 for _ in paths[name][0].open()) - 1 + sum(1 for _ in paths[name][1].open()) - 1
        print(f"- {name}: {rows:,} rows, {table.task}, metric {METRIC[table.task]}")
        for system in systems:
            cached = _cache_path(name, system, budget_s, mode)
            if system in (reuse or []) and cached.exists():
                record = {**json.loads(cached.read_text()), "reused": True}
            else:
                record = run_one(table, system, paths[name], budget_s, mode)
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(record, default=str))
            record["rows"] = rows
            print(_line(record))
            records.append(record)
    from bench.quality_report import report

    print("\n" + report(records, budget_s))
    return records


def stored(names: list[str], systems: list[str], budget_s: float) -> list[dict[str, Any]]:
    """Every stored result of ``systems`` on ``names`` at ``budget_s`` (Podium: both modes)."""
    records = []
    for name in names:
        for system in systems:
            modes = ("compare", "auto") if system == "podium" else ("auto",)
            for mode in modes:
                path = _cache_path(name, system, budget_s, mode)
                if path.exists():
                    record = json.loads(path.read_text())
                    record["rows"] = _rows(name)
                    records.append(record)
    from bench.quality_report import report

    print(report(records, budget_s))
    return records


def _rows(name: str) -> int:
    with (QUALITY / f"{name}.csv").open() as handle:
        return sum(1 for _ in handle) - 1


def _line(r: dict[str, Any]) -> str:
    got = f"{r['score']:.4f}" if "score" in r else "failed"
    fit = r.get("fit_s")
    used = f"{fit:.1f} s fit" if isinstance(fit, float) else "—"
    reused = f" (stored result of {r['at']})" if r.get("reused") else ""
    return (
        f"  {r['system']:10} {got:>8}  {used:>12}, wall {r['wall_s']:.1f} s, "
        f"peak {r['peak_tree_rss_mb']:.0f} MB{reused}"
    )


def available_tables() -> list[str]:
    """Every table name, in the suite's order."""
    return [t.name for t in TABLES]
