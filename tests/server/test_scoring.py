"""The fast online scorer answers exactly as the engine's ``predict`` does, or stands aside."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine import setup
from podium.engine.standalone import prepare_rows
from podium.server.services import predictions, scoring


def _table(n: int = 120, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "size": rng.normal(10, 3, n).round(3),
            "weight": rng.normal(50, 9, n).round(3),
            "colour": rng.choice(["red", "green", "blue"], n),
            "shape": rng.choice(["round", "square"], n),
        }
    )
    df.loc[rng.random(n) < 0.1, "size"] = np.nan
    df.loc[rng.random(n) < 0.1, "colour"] = np.nan
    df["label"] = np.where(df["weight"] + (df["colour"] == "red") * 8 > 52, "yes", "no")
    df["amount"] = df["weight"] * 2.5 + rng.normal(0, 1, n)
    return df


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def _build(pipe: Any) -> tuple[scoring.FastScorer | None, list[dict[str, Any]]]:
    meta = pipe.podium_metadata_
    schema = list(meta["input_schema"])
    fast = scoring.FastScorer.build(pipe, schema, meta["task"], predictions._engine_predict)
    return fast, schema


@pytest.mark.parametrize(
    ("target", "drop", "model"),
    [("label", "amount", "lr"), ("label", "amount", "dt"), ("amount", "label", "dt")],
)
def test_same_answers_as_the_engine(target: str, drop: str, model: str) -> None:
    df = _table().drop(columns=drop)
    pipe = setup(df, target, folds=2, seed=42).finalize(model)
    fast, schema = _build(pipe)
    assert fast is not None
    rows = _rows(_table(40, seed=9).drop(columns=["label", "amount"]))
    rows[0]["colour"], rows[1]["shape"], rows[2]["weight"] = "purple", None, None
    for batch in (rows[:1], rows[:3], rows):
        columns = prepare_rows(batch, schema)
        expected = predictions._engine_predict(pipe, columns)
        assert fast.score(columns) == scoring.as_result(expected)


def test_date_columns_stay_on_the_engine_path() -> None:
    df = _table().drop(columns="amount")
    df["seen"] = pd.date_range("2024-01-01", periods=len(df), freq="D").astype(str)
    pipe = setup(df, "label", folds=2, seed=42).finalize("lr")
    kinds = {c["name"]: c["kind"] for c in pipe.podium_metadata_["input_schema"]}
    assert kinds["seen"] == "datetime"
    assert _build(pipe)[0] is None


def test_refuses_itself_when_a_probe_differs() -> None:
    pipe = setup(_table().drop(columns="amount"), "label", folds=2, seed=42).finalize("lr")
    meta = pipe.podium_metadata_
    schema = list(meta["input_schema"])

    def disagreeing(p: Any, columns: dict[str, Any]) -> Any:
        out = predictions._engine_predict(p, columns)
        out.loc[out.index[-1], "prediction"] = "not-a-class"
        return out

    assert scoring.FastScorer.build(pipe, schema, meta["task"], disagreeing) is None


def test_booleans_and_their_spellings_score_as_the_engine_does() -> None:
    """A Y/N column, a true/false column and a 0/1 column: the fast path is built (its probes
    include the booleans), and JSON booleans answer as the training spellings do."""
    df = _table().drop(columns="amount")
    df["air"] = np.where(df["size"].fillna(10) > 10, "Y", "N")
    df["promo"] = (df["weight"] > 50).astype(int)
    df["active"] = df["shape"] == "round"
    pipe = setup(df, "label", folds=2, seed=42).finalize("lr")
    fast, schema = _build(pipe)
    assert fast is not None
    rows = _rows(_table(20, seed=5).drop(columns=["label", "amount"]))
    for row in rows:
        row.update(air="Y", promo=1, active=True)
    spelled = [{**row, "air": True, "promo": True, "active": "TRUE"} for row in rows]
    expected = predictions._engine_predict(pipe, prepare_rows(rows, schema))
    assert fast.score(prepare_rows(spelled, schema)) == scoring.as_result(expected)


@pytest.mark.parametrize(
    ("task", "model", "keys"),
    [("clustering", "kmeans", {"cluster"}), ("anomaly", "iforest", {"score", "anomaly"})],
)
def test_a_tasks_predictions_take_its_output_shape(task: str, model: str, keys: set[str]) -> None:
    """Routed by the TaskDef's output: one object per row, the engine's answers, JSON types."""
    from podium.engine import predict
    from podium.engine.standalone import frame
    from podium.server.services import engine

    df = _table().drop(columns=["label", "amount"])
    pipe = setup(df, task=task, seed=0).finalize(model)
    meta = pipe.podium_metadata_
    output = engine.task_output(task)
    assert output == {"clustering": "cluster", "anomaly": "anomaly"}[task]
    loaded = predictions.Loaded(pipe, "sha", task, meta["input_schema"], None, output)
    columns = prepare_rows(_rows(df.head(5)), meta["input_schema"])
    got = predictions.predict_rows(loaded, columns, 5)
    assert got["probabilities"] is None
    assert [set(row) for row in got["predictions"]] == [keys] * 5
    expected = predict(pipe, frame(columns)).to_dict("records")
    assert got["predictions"] == expected
    assert all(type(v) in (int, float, bool) for row in got["predictions"] for v in row.values())


def test_rows_sent_to_a_forecasting_deployment_are_refused_with_the_way() -> None:
    from podium.server.errors import InvalidInput

    loaded = predictions.Loaded(object(), "sha", "forecasting", [], None, "forecast")
    with pytest.raises(InvalidInput, match=r"forecasts ahead .*/forecast with \{\"h\""):
        predictions.predict_rows(loaded, {}, 1)
