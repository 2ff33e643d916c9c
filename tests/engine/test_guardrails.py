"""Guardrail findings of setup: dropped columns, leakage, imbalance, width and memory."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from podium.engine import setup
from tests.engine.conftest import make_table


def _codes(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f"{f['code']}:{f.get('column', '')}": f for f in findings}


def test_id_constant_and_duplicate_columns_are_dropped_and_said() -> None:
    df = make_table("binary")
    df["row_id"] = np.arange(len(df))
    df["const"] = 7
    df["x1_copy"] = df["x1"]
    exp = setup(df, "y", folds=2)
    found = _codes(exp.findings)
    assert found["id_column:row_id"]["level"] == "info"
    assert "dropped" in found["constant_column:const"]["message"]
    assert "duplicates column 'x1'" in found["duplicate_column:x1_copy"]["message"]
    roles = {c["name"]: c["role"] for c in exp.schema}
    assert roles == {
        "x1": "feature",
        "x2": "feature",
        "color": "feature",
        "noise": "feature",
        "y": "target",
        "row_id": "ignored",
        "const": "ignored",
        "x1_copy": "ignored",
    }


def test_schema_kinds() -> None:
    df = make_table("binary")
    df["when"] = pd.date_range("2021-01-01", periods=len(df)).astype(str)
    df["flag"] = ["yes", "no"] * 30
    df["note"] = [f"a fairly long free text comment number {i} about things" for i in range(60)]
    exp = setup(df, "y", folds=2)
    kinds = {c["name"]: c["kind"] for c in exp.schema}
    assert kinds["x1"] == "numeric"
    assert kinds["color"] == "categorical"
    assert kinds["when"] == "datetime"
    assert kinds["flag"] == "boolean"
    assert kinds["note"] == "text"
    x2 = next(c for c in exp.schema if c["name"] == "x2")
    assert (x2["missing"], x2["dtype"]) == (2, "float64")


def test_leakage_is_flagged() -> None:
    df = make_table("binary")
    df["leak"] = (df["y"] == "yes").astype(int) * 10 + np.linspace(0, 1, len(df))
    found = _codes(setup(df, "y", folds=2).findings)
    assert found["target_leakage:leak"]["level"] == "warning"
    assert "target_leakage:x1" not in found


def test_imbalance_switches_default_sort_to_auc(executor: Any) -> None:
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"a": rng.normal(size=100), "b": rng.normal(size=100)})
    df["y"] = ["rare"] * 10 + ["common"] * 90
    events: list[Any] = []
    exp = setup(df, "y", folds=2)
    assert _codes(exp.findings)["class_imbalance:y"]["level"] == "warning"
    assert exp.default_sort == "AUC"
    exp.compare(models=["dummy", "dt"], on_event=events.append, executor=executor)
    assert any(e.kind == "warning" and e.payload["code"] == "sort_auc" for e in events)


def test_projected_width_and_memory_are_reported() -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    width = next(f for f in exp.findings if f["code"] in ("encoded_width", "memory"))
    assert "60 rows × " in width["message"]
    assert "GiB available" in width["message"]


def test_rows_with_missing_target_are_dropped_and_said() -> None:
    df = make_table("regression")
    df.loc[[0, 1], "y"] = np.nan
    exp = setup(df, "y", folds=2)
    assert "2 row(s) with a missing target" in _codes(exp.findings)["target_missing:y"]["message"]


def test_task_inference() -> None:
    assert setup(make_table("binary"), "y", folds=2).task == "binary"
    assert setup(make_table("multiclass"), "y", folds=2).task == "multiclass"
    assert setup(make_table("regression"), "y", folds=2).task == "regression"
    df = make_table("regression")
    df["y"] = (df["y"] > 10).astype(int)
    assert setup(df, "y", folds=2).task == "binary"
