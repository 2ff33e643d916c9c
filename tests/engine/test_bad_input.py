"""Every bad input of issue 3 is a clear DataError naming the column or id and what to do."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.engine import DataError, params, read_table, setup
from tests.engine.conftest import make_table


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(DataError, match=r"e\.csv is empty"):
        read_table(tmp_path / "e.csv")


def test_header_only_file(tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text("a,b\n")
    with pytest.raises(DataError, match="no rows"):
        read_table(tmp_path / "h.csv")


def test_empty_frame() -> None:
    with pytest.raises(DataError, match="no rows"):
        setup(pd.DataFrame({"a": [], "y": []}), "y")


def test_one_column() -> None:
    with pytest.raises(DataError, match=r"single column \('y'\): add at least one feature"):
        setup(pd.DataFrame({"y": [1, 2, 3, 4]}), "y")


def test_unknown_target() -> None:
    with pytest.raises(DataError, match=r"unknown target column 'nope': the columns are 'x1'"):
        setup(make_table("binary"), "nope")


def test_target_all_missing() -> None:
    df = make_table("binary")
    df["y"] = np.nan
    with pytest.raises(DataError, match=r"target 'y' is empty \(every value is missing\)"):
        setup(df, "y")


def test_target_constant() -> None:
    df = make_table("binary")
    df["y"] = "same"
    with pytest.raises(DataError, match=r"target 'y' is constant"):
        setup(df, "y")


def test_non_utf8_text(tmp_path: Path) -> None:
    (tmp_path / "latin.csv").write_bytes("name,y\ncaf\xe9,1\nthé,0\n".encode("latin-1"))
    with pytest.raises(
        DataError, match=r"latin.csv is not UTF-8 text .*line 2.*re-save it as UTF-8"
    ):
        read_table(tmp_path / "latin.csv")


def test_mixed_types_in_a_frame() -> None:
    df = make_table("binary")
    df["mixed"] = pd.Series([1, "a", 2.5] * 20, dtype=object)
    with pytest.raises(DataError, match=r"column 'mixed' mixes types \(number, text\)"):
        setup(df, "y")


def test_mixed_numbers_and_text_in_a_csv(tmp_path: Path) -> None:
    df = make_table("binary")
    df["amount"] = [str(i) for i in range(59)] + ["n/a!"]
    df.to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(DataError, match=r"column 'amount' mixes numbers and text .*'n/a!'"):
        setup(read_table(tmp_path / "m.csv"), "y")


def test_duplicate_column_names_in_a_csv(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,b,a,y\n1,2,3,0\n4,5,6,1\n")
    with pytest.raises(DataError, match=r"duplicate column name 'a'"):
        read_table(tmp_path / "d.csv")


def test_duplicate_column_names_in_a_frame() -> None:
    df = pd.DataFrame([[1, 2, 0], [3, 4, 1]], columns=["a", "a", "y"])
    with pytest.raises(DataError, match=r"duplicate column name 'a'"):
        setup(df, "y")


def test_infinite_values() -> None:
    df = make_table("regression")
    df.loc[3, "x1"] = np.inf
    with pytest.raises(DataError, match=r"column 'x1' has 1 infinite value"):
        setup(df, "y")


@pytest.mark.parametrize("model_id", ["nope", "lasso"])
def test_unknown_model_id(model_id: str) -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    with pytest.raises(
        DataError, match=rf"unknown model id '{model_id}' for task 'binary': use one of lr"
    ):
        exp.compare(models=[model_id])
    with pytest.raises(DataError, match=rf"unknown model id '{model_id}'"):
        exp.create(model_id)


def test_class_with_fewer_rows_than_folds() -> None:
    df = make_table("binary")
    df.loc[:2, "y"] = "rare"
    msg = r"class 'rare' of target 'y' has 3 row\(s\) in the data, fewer than folds=5: lower"
    with pytest.raises(DataError, match=msg):
        setup(df, "y", folds=5)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"nope": 1}, r"unknown setup parameter 'nope'"),
        ({"normalize": "yes"}, r"'normalize' must be true or false"),
        ({"numeric_imputation": "magic"}, r"'numeric_imputation' must be one of"),
        ({"folds": 1}, r"'folds' must be between 2 and 20"),
        ({"ignore_features": ["ghost"]}, r"'ignore_features': unknown column 'ghost'"),
        ({"stratify": True, "task": "regression"}, r"unknown setup parameter 'stratify'"),
        ({"ignore_features": ["y"]}, r"'ignore_features': 'y' is the target"),
        ({"ignore_features": 5}, r"'ignore_features' takes a column name or a list of them"),
        ({"ignore_features": {"x1": 1}}, r"'ignore_features' takes a column name or a list"),
        ({"ignore_features": [1]}, r"'ignore_features' takes column names, got 1"),
        ({"train_size": float("nan")}, r"'train_size' must be a finite number, got nan"),
        ({"normalize": None}, r"'normalize' must be true or false, got None"),
        ({"seed": 10**400}, r"'seed' must be between 0 and 2147483647"),
        ({"folds": 2.5}, r"'folds' must be an integer, got 2.5"),
    ],
)
def test_bad_settings_name_the_parameter(settings: dict[str, object], message: str) -> None:
    with pytest.raises(DataError, match=message):
        setup(make_table("regression"), "y", **settings)  # type: ignore[arg-type]


def test_regression_on_text_target() -> None:
    with pytest.raises(DataError, match=r"task 'regression' needs a numeric target"):
        setup(make_table("binary"), "y", task="regression")


def test_unknown_sort_metric() -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    with pytest.raises(ValueError, match=r"unknown sort metric 'R2' for task 'binary'"):
        exp.compare(models=["dt"], sort="R2")


def test_only_id_columns_left() -> None:
    df = pd.DataFrame({"id": range(40), "y": [0, 1] * 20})
    with pytest.raises(DataError, match=r"no feature column to learn 'y' from: .*'id'"):
        setup(df, "y")


def test_check_params_is_the_one_rule() -> None:
    """What the server stores: the given parameters checked and normalised, no defaults added."""
    columns = ["x1", "x2", "y"]
    given = {"folds": 3.0, "ignore_features": "x2", "normalize": True}
    out = params.check_params("binary", given, columns, target="y")
    assert out == {"folds": 3, "ignore_features": ["x2"], "normalize": True}
    assert isinstance(out["folds"], int)
    for name in ("target", "task"):
        with pytest.raises(DataError, match=rf"'{name}' is given on its own, not as a setup"):
            params.check_params("binary", {name: "y"}, columns, target="y")
    with pytest.raises(DataError, match=r"unknown setup parameter 'wat' for task 'binary'"):
        params.check_params("binary", {"wat": 1}, columns, target="y")
