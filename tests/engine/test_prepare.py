"""The one input preparation (``standalone.prepare_input`` / ``prepare_rows``): values taken as
they appeared in training, any spelling of true/false mapped to the learned one, bad values
named by row and column, and pipelines saved before the manifest recorded training values."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from podium.engine import DataError, load_pipeline, predict, save_pipeline, setup
from podium.engine.standalone import (
    InputError,
    describe_values,
    frame,
    prepare_input,
    prepare_rows,
    read_csv,
)

SCHEMA: list[dict[str, Any]] = [
    {"name": "size", "kind": "numeric", **describe_values([1.5, 2.0])},
    {"name": "promo", "kind": "numeric", **describe_values([0, 1, 1])},
    {"name": "air", "kind": "boolean", **describe_values(["Y", "N", None])},
    {"name": "member", "kind": "boolean", **describe_values(["yes", "no"])},
    {"name": "active", "kind": "boolean", **describe_values(np.array([True, False]))},
    {"name": "zone", "kind": "categorical", **describe_values(["10", "K1", "007"])},
    {"name": "seen", "kind": "datetime"},
]


def test_training_values_are_described() -> None:
    holds = {c["name"]: c.get("holds") for c in SCHEMA}
    assert holds == {
        "size": "numbers",
        "promo": "numbers",
        "air": "text",
        "member": "text",
        "active": "booleans",
        "zone": "text",
        "seen": None,
    }
    spelled = {c["name"]: c.get("boolean_values") for c in SCHEMA}
    assert spelled["promo"] == {"true": 1, "false": 0}
    assert spelled["air"] == {"true": "Y", "false": "N"}
    assert spelled["member"] == {"true": "yes", "false": "no"}
    assert spelled["active"] == {"true": True, "false": False}
    assert spelled["size"] is None
    assert spelled["zone"] is None
    assert "boolean_values" not in describe_values(["t", "y"])  # both spell true
    assert describe_values(["a", 1])["holds"] == "mixed"


def test_every_spelling_becomes_the_learned_value() -> None:
    rows = [
        {"size": 1, "promo": True, "air": True, "member": "YES", "active": "True", "zone": 10},
        {"size": "2.5", "promo": "0", "air": "n", "member": False, "active": 0, "zone": "007"},
        {"size": " 3 ", "promo": "yes", "air": "Y", "member": "no", "active": "f", "zone": 7.0},
        {"size": None, "promo": None, "air": "", "member": "NA", "active": None, "zone": None},
    ]
    rows[0]["seen"], rows[1]["seen"] = "2024-03-05", "2024-03-05T17:30"
    out = frame(prepare_rows(rows, SCHEMA))
    assert out["size"].tolist()[:3] == [1.0, 2.5, 3.0]
    assert out["promo"].tolist()[:3] == [1.0, 0.0, 1.0]
    assert out["air"].tolist()[:3] == ["Y", "N", "Y"]
    assert out["member"].tolist()[:3] == ["yes", "no", "no"]
    assert out["active"].tolist()[:3] == [True, False, False]
    assert out["zone"].tolist()[:3] == ["10", "007", "7"]
    assert list(out["seen"].astype(str)[:2]) == ["2024-03-05 00:00:00", "2024-03-05 17:30:00"]
    assert out.iloc[3].isna().all()  # null, empty text and "NA" are missing, as in a CSV
    assert [str(t) for t in out.dtypes] == ["float64"] * 2 + ["object"] * 4 + ["datetime64[ns]"]
    again = prepare_input(out, SCHEMA)  # preparing prepared values changes nothing
    pd.testing.assert_frame_equal(again, out)


def test_bad_values_are_named_by_row_and_column() -> None:
    good = {"size": 1, "promo": 1, "air": "Y", "member": "no", "active": True, "zone": "K1"}
    good["seen"] = "2024-01-01"
    rows = [dict(good) for _ in range(5)]
    rows[1]["size"] = "abc"
    rows[3]["size"] = float("inf")
    rows[2]["air"] = "maybe"
    rows[4]["active"] = 3
    rows[0]["zone"] = [1]
    rows[2]["seen"] = "yesterday"
    with pytest.raises(InputError) as err:
        prepare_rows(rows, SCHEMA)
    problems = {p[0]: p[1:] for p in err.value.problems}
    assert problems == {
        "size": (1, "abc", "a number (finite; null or empty when missing)", 2),
        "air": (2, "maybe", "'N' or 'Y' (or true/false)", 1),
        "active": (4, 3, "true or false", 1),
        "zone": (0, [1], "a single value (text or a number)", 1),
        "seen": (2, "yesterday", "a date such as 2024-03-05 or 2024-03-05T17:30", 1),
    }
    message = str(err.value)
    assert message.startswith("input does not fit the pipeline: column 'size' must be a number")
    assert "row 1 has 'abc' (and 1 more row)" in message
    assert "column 'air' must be 'N' or 'Y' (or true/false), row 2 has 'maybe'" in message
    assert "line 4 has 'maybe'" in err.value.describe(lambda i: f"line {i + 2}")
    coerced = prepare_input(frame_of(rows), SCHEMA, errors="coerce")
    assert coerced["size"].isna().tolist() == [False, True, False, True, False]
    assert coerced["air"].tolist()[2] is np.nan


def frame_of(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([r[k] for r in rows], dtype=object) for k in rows[0]})


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InputError, match="column 'zone' is missing; column 'seen' is missing"):
        prepare_input(pd.DataFrame({c["name"]: [None] for c in SCHEMA[:5]}), SCHEMA)


def test_read_csv_keeps_codes_as_written() -> None:
    text = "size,zone,air\n1.5,007,Y\n2,10,N\n"
    plain = pd.read_csv(io.StringIO(text))
    assert plain["zone"].tolist() == [7, 10]  # pandas alone reads the codes as numbers
    typed = read_csv(io.StringIO(text), SCHEMA)
    assert typed["zone"].tolist() == ["007", "10"]
    assert typed["size"].tolist() == [1.5, 2.0]


def _yes_no_table(n: int = 120, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "area": rng.normal(100, 20, n).round(1),
            "central_air": rng.choice(["Y", "N"], n),
            "records": rng.choice(["yes", "no"], n),
        }
    )
    df["price"] = df["area"] * 2 + 40 * (df["central_air"] == "Y") + 25 * (df["records"] == "yes")
    return df


def test_json_booleans_answer_as_the_training_spellings() -> None:
    """The issue's case: Y/N and yes/no columns; true/false must mean Y/yes, not 'unknown'."""
    df = _yes_no_table()
    pipe = setup(df, "price", folds=2, seed=1).finalize("lr")
    kinds = {c["name"]: c["kind"] for c in pipe.podium_metadata_["input_schema"]}
    assert kinds == {"area": "numeric", "central_air": "boolean", "records": "boolean"}
    X = df.drop(columns="price").head(20)
    spelled = X.assign(central_air=X["central_air"] == "Y", records=X["records"] == "yes")
    expected = predict(pipe, X)["prediction"].to_numpy()
    np.testing.assert_array_equal(predict(pipe, spelled)["prediction"].to_numpy(), expected)
    flipped = X.assign(central_air=X["central_air"] != "Y")
    assert (predict(pipe, flipped)["prediction"].to_numpy() != expected).all()
    with pytest.raises(DataError, match=r"column 'records' must be 'no' or 'yes'.*row 0"):
        predict(pipe, X.assign(records="maybe"))


def as_saved_before_format_2(folder: Path) -> None:
    """Rewrite a saved pipeline as format 1 saved it: no training values, examples or files."""
    blob = (folder / "pipeline.skops").read_bytes()
    pipe = sio.loads(blob, trusted=sio.get_untrusted_types(data=blob))
    meta = pipe.podium_metadata_
    meta["input_schema"] = [
        {k: c[k] for k in ("name", "kind", "dtype")} for c in meta["input_schema"]
    ]
    meta.pop("examples")
    blob = sio.dumps(pipe)
    (folder / "pipeline.skops").write_bytes(blob)
    manifest = json.loads((folder / "manifest.json").read_text())
    for key in ("examples", "files"):
        manifest.pop(key)
    manifest.update(
        sha256=hashlib.sha256(blob).hexdigest(),
        format_version=1,
        input_schema=meta["input_schema"],
    )
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_a_pipeline_saved_before_format_2_reads_booleans_from_its_encoder(
    tmp_path: Path,
) -> None:
    df = _yes_no_table()
    save_pipeline(setup(df, "price", folds=2, seed=1).finalize("lr"), tmp_path / "p")
    as_saved_before_format_2(tmp_path / "p")
    pipe = load_pipeline(tmp_path / "p")
    schema = {c["name"]: c for c in pipe.podium_metadata_["input_schema"]}
    assert schema["central_air"]["boolean_values"] == {"true": "Y", "false": "N"}
    assert schema["records"]["boolean_values"] == {"true": "yes", "false": "no"}
    X = df.drop(columns="price").head(10)
    spelled = X.assign(central_air=X["central_air"] == "Y", records=X["records"] == "yes")
    np.testing.assert_array_equal(
        predict(pipe, spelled)["prediction"].to_numpy(), predict(pipe, X)["prediction"].to_numpy()
    )


def test_long_text_columns_prepare_as_short_ones() -> None:
    """Long all-text columns convert each distinct value once; the answer is the same."""
    values = ["Y", "n", " NA ", "yes", "", "N", "true"] * 60
    rows = [{**{c["name"]: None for c in SCHEMA}, "air": v, "zone": v} for v in values]
    rows[3]["zone"] = None
    long = frame(prepare_rows(rows, SCHEMA))
    for i in range(0, len(rows), 7):
        short = frame(prepare_rows(rows[i : i + 7], SCHEMA))
        pd.testing.assert_frame_equal(long.iloc[i : i + 7].reset_index(drop=True), short)
    with pytest.raises(InputError) as err:
        prepare_rows([*rows, {**rows[0], "air": "maybe"}], SCHEMA)
    assert err.value.problems[0][:3] == ("air", len(rows), "maybe")


@pytest.mark.parametrize(
    "sizes",
    [
        [1.5, 2, None, float("nan"), np.float32(0.25), np.int64(-3)],  # converted at once
        [1.5, True, None],  # a boolean: per value, refused
        [1.5, float("-inf"), 2.0],  # infinite: per value, refused
        [1.5, "2.5", None],  # text: per value, parsed
        [1.0, 10**400],  # beyond float64: per value, refused
    ],
)
def test_json_numbers_prepare_as_value_by_value(sizes: list[Any]) -> None:
    """JSON rows' plain numbers are converted a column block at once; the answer (and any
    refusal) is what the value-by-value preparation of the same object column gives."""
    base = {"promo": 1, "air": "Y", "member": "no", "active": True, "zone": "K1", "seen": None}
    rows = [{**base, "size": size} for size in sizes]
    want: Any = None
    try:
        want = prepare_input(frame_of(rows), SCHEMA)
    except InputError as exc:
        want = exc.problems
    try:
        got: Any = frame(prepare_rows(rows, SCHEMA))
    except InputError as exc:
        got = exc.problems
    if isinstance(want, list):
        assert got == want
    else:
        assert list(got.columns) == [c["name"] for c in SCHEMA]
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True))
