"""Artifacts load and predict outside Podium: scikit-learn, skops and pandas only.

The standalone check runs ``load_pipeline.py`` (saved beside every artifact) in a fresh
interpreter where importing ``podium`` fails, and compares its predictions with the engine's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.engine import describe, predict, save_pipeline, setup, standalone
from podium.engine.prepare.preprocessing import build_preprocessor, normalize_frame
from podium.engine.prepare.schema import infer_schema

_OUTSIDE = """
import importlib.abc, json, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"podium", "fastapi", "sqlalchemy"}:
            raise ImportError(f"{name} is not installed here")
sys.meta_path.insert(0, Block())
folder, data = sys.argv[1], sys.argv[2]
sys.path.insert(0, folder)
import pandas as pd
from load_pipeline import load_pipeline, prepare_input, read_csv
pipe, manifest = load_pipeline(folder)
X = prepare_input(read_csv(data, manifest), manifest)
out = {"prediction": [str(v) for v in pipe.predict(X)]}
if hasattr(pipe, "predict_proba"):
    out["proba"] = pipe.predict_proba(X).tolist()
out["podium_loaded"] = any(m.split(".")[0] == "podium" for m in sys.modules)
print(json.dumps(out))
"""


def rich_table(n: int = 120, seed: int = 3) -> pd.DataFrame:
    """Every column kind the preprocessing handles, with missing values, and string labels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    words = np.array(["great value", "poor fit", "fast delivery", "broken on arrival", "ok"])
    df = pd.DataFrame(
        {
            "x": x,
            "city": rng.choice(["oslo", "lima", "pune", "kyiv"], size=n),
            "member": rng.choice(["yes", "no"], size=n),
            "signup": days.strftime("%Y-%m-%d"),
            "review": [
                f"{words[i % 5]}, {words[(i * 7) % 5]} and more, order {i}" for i in range(n)
            ],
        }
    )
    signal = x + (df["city"] == "oslo") + (days.month > 6)
    df["y"] = np.select([signal < 0, signal < 1], ["low", "mid"], "high")
    df.loc[[3, 9], "x"] = np.nan
    df.loc[[4], "city"] = None
    df.loc[[5], "signup"] = None
    df.loc[[6], "review"] = None
    return df


@pytest.mark.parametrize("model_id", ["lr", "xgboost", "ridge"])
def test_artifact_predicts_outside_podium(tmp_path: Path, model_id: str) -> None:
    available = {m["id"]: m["is_available"] for m in describe.models("multiclass")}
    if not available.get(model_id):
        pytest.skip(f"{model_id} is not installed in this environment")
    df = rich_table()
    exp = setup(df, "y", folds=2, seed=1)
    kinds = {c["name"]: c["kind"] for c in exp.schema}
    assert kinds == {
        "x": "numeric",
        "city": "categorical",
        "member": "boolean",
        "signup": "datetime",
        "review": "text",
        "y": "categorical",
    }
    save_pipeline(exp.finalize(model_id), tmp_path / "p")
    assert (tmp_path / "p" / "load_pipeline.py").is_file()
    new = rich_table(n=30, seed=9).drop(columns="y")
    new.to_csv(tmp_path / "new.csv", index=False)

    ran = subprocess.run(
        [sys.executable, "-I", "-c", _OUTSIDE, str(tmp_path / "p"), str(tmp_path / "new.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    outside = json.loads(ran.stdout.strip().splitlines()[-1])
    assert outside["podium_loaded"] is False

    from podium.engine import load_pipeline

    inside = predict(load_pipeline(tmp_path / "p"), pd.read_csv(tmp_path / "new.csv"))
    assert outside["prediction"] == [str(v) for v in inside["prediction"]]
    assert set(outside["prediction"]) <= {"low", "mid", "high"}
    if "proba" in outside:
        np.testing.assert_allclose(outside["proba"], inside.filter(like="proba_").to_numpy())


def test_date_parts_are_calendar_fields() -> None:
    df = pd.DataFrame({"when": ["2024-03-05 17:30", None, "2023-12-31T08:00", "2024-03-05 17:05"]})
    schema = [{"name": "when", "kind": "datetime", "role": "feature", "unique": 3}]
    pre = build_preprocessor(schema, {}, "regression", 0)
    out = pre.fit_transform(normalize_frame(df, schema), np.zeros(4))
    year, month, day, hour, *weekdays = out[0]
    assert (year, month, day, hour) == (2024, 3, 5, 17)
    assert weekdays == [0, 1, 0, 0, 0, 0, 0]  # a Tuesday
    assert list(out[2][:4]) == [2023, 12, 31, 8]
    assert out[2][4:].tolist() == [0, 0, 0, 0, 0, 0, 1]  # a Sunday
    assert out[3].tolist() == out[0].tolist()  # whole hours
    assert out[1].tolist() == out[0].tolist()  # missing → the most frequent timestamp


def test_text_columns_become_tfidf_weights() -> None:
    df = pd.DataFrame({"note": ["red apple pie", "green apple", None, "red wine", "pie"] * 4})
    schema = infer_schema(df)
    schema[0].update(kind="text", role="feature")
    pre = build_preprocessor(schema, {"text_max_features": 3}, "regression", 0)
    out = pre.fit_transform(normalize_frame(df, schema), np.zeros(len(df)))
    assert out.shape == (20, 3)
    assert list(pre.get_feature_names_out()) == ["apple", "pie", "red"]
    assert out[2].tolist() == [0.0, 0.0, 0.0]  # missing text has no words
    assert out[0].min() > 0


def test_quiet_in_a_serving_process_still_hides_what_serving_does_not() -> None:
    """The serving filters cover UserWarning and FutureWarning; engine code run in a serving
    process (an analysis job of a worker inside the API process) that hides other warnings
    must still hide them (before: quiet() did nothing there, and a learning curve's
    FitFailedWarning failed the analysis under an "error" filter)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        standalone.serve()
        with standalone.quiet():
            warnings.warn("5 fits failed", RuntimeWarning, stacklevel=1)
        with standalone.quiet(UserWarning):
            warnings.warn("X has no feature names", UserWarning, stacklevel=1)
        assert standalone.serving()
        with pytest.raises(RuntimeWarning):
            warnings.warn("outside any quiet block", RuntimeWarning, stacklevel=1)
