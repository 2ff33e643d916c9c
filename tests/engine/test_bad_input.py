"""Every bad input of issue 3 is a clear DataError naming the column or id and what to do."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.engine import DataError, read_table, setup
from podium.engine.prepare import params
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


def test_blank_column_names_are_named_as_blank(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("a,,y,\n1,2,0,5\n4,5,1,6\n")
    with pytest.raises(DataError, match=r"^2 columns have no name \(a blank header\)"):
        read_table(tmp_path / "b.csv")


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


def test_a_class_of_one_row_is_not_told_to_lower_folds() -> None:
    """No folds setting can split one row (folds is at least 2): the advice is what can help."""
    df = make_table("binary")
    df.loc[0, "y"] = "lone"
    with pytest.raises(DataError) as refused:
        setup(df, "y", task="multiclass", folds=3)
    message = str(refused.value)
    assert "class 'lone' of target 'y' has 1 row(s) in the data" in message
    assert "lower folds" not in message
    assert "add rows of that class, or drop its rows" in message


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


def test_numbers_in_messages_are_plain_numbers() -> None:
    df = make_table("binary")
    df["y"] = 0
    with pytest.raises(DataError, match=r"every value is 0\)") as constant:
        setup(df, "y")
    df["y"] = [1] * 57 + [2] * 3
    with pytest.raises(DataError, match=r"class 2 of target 'y' has 3 row") as rare:
        setup(df, "y", folds=5)
    for exc in (constant, rare):
        assert "np." not in str(exc.value)


def test_imbalance_warning_shows_plain_labels() -> None:
    df = make_table("binary")
    df["y"] = [0] * 50 + [1] * 10
    exp = setup(df, "y", folds=2)
    message = next(f["message"] for f in exp.findings if f["code"] == "class_imbalance")
    assert re.search(r"smallest 1: \d+ rows, largest 0: \d+\)", message), message


def test_parquet_errors_name_the_file_not_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "secret-storage-root"
    folder.mkdir()
    (folder / "p.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(DataError, match=r"p\.parquet is not a readable Parquet file") as exc:
        read_table(folder / "p.parquet")
    assert "secret-storage-root" not in str(exc.value)
    with pytest.raises(DataError, match=r"^file not found: gone\.csv$"):
        read_table(folder / "gone.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n".encode("utf-16"), r"u\.csv is UTF-16 text, not UTF-8: re-save it as UTF-8"),
        (b"PK\x03\x04\x00\x00binary", r"u\.csv is not a text CSV file \(it holds binary data"),
        (b"a,b\n1,2,3\n4,5\n", r"u\.csv line 2 has 3 fields but the header has 2 columns"),
        (b"a,b\n1,2\n4,5,6\n", r"u\.csv line 3 has 3 fields but the header has 2 columns"),
        (b'a,b\n1,"x\n', r"u\.csv is not a well-formed CSV file: EOF inside string"),
    ],
)
def test_unreadable_csv_says_what_is_wrong(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "u.csv").write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_table(tmp_path / "u.csv")


def test_trailing_delimiters_do_not_shift_columns(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1,2,\n3,4,\n")
    df = read_table(tmp_path / "t.csv")
    assert df.to_dict("list") == {"a": [1, 3], "b": [2, 4]}


@pytest.mark.parametrize(
    "content",
    [
        b"a;b;name\n1.5;2;x\n3.25;4;y\n",
        b"a;b;name\n1,5;2;x\n3,25;4;y\n",  # decimal commas, as European spreadsheets write
        b"a\tb\tname\n1.5\t2\tx\n3.25\t4\ty\n",
        b"a|b|name\n1.5|2|x\n3.25|4|y\n",
    ],
)
def test_the_delimiter_is_sniffed(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "s.csv").write_bytes(content)
    df = read_table(tmp_path / "s.csv")
    assert df.to_dict("list") == {"a": [1.5, 3.25], "b": [2, 4], "name": ["x", "y"]}
    head, _, body = content.partition(b"\n")
    (tmp_path / "more.csv").write_bytes(head + b"\n" + body * 10)
    exp = setup(tmp_path / "more.csv", "name", folds=2)  # setup from a path, too
    assert [c["name"] for c in exp.schema] == ["a", "b", "name"]


@pytest.mark.parametrize("sep", [",", ";"])
def test_lines_ended_by_a_lone_carriage_return(tmp_path: Path, sep: str) -> None:
    (tmp_path / "mac.csv").write_bytes(f"a{sep}b\r1{sep}2\r3{sep}4\r".encode())
    assert read_table(tmp_path / "mac.csv").to_dict("list") == {"a": [1, 3], "b": [2, 4]}


def test_sniffing_text_that_is_not_csv_falls_back_to_commas() -> None:
    from podium.engine.prepare.data import sniff_csv

    assert sniff_csv('x\r\n--b\x00\rjunk"\ra;b') == {"sep": ",", "decimal": "."}


def test_commas_win_where_they_split_the_header(tmp_path: Path) -> None:
    """A comma CSV whose values hold semicolons stays a comma CSV; one column stays one."""
    (tmp_path / "c.csv").write_text("a,b\nx;y,1\nz;w,2\n")
    assert read_table(tmp_path / "c.csv").to_dict("list") == {"a": ["x;y", "z;w"], "b": [1, 2]}
    (tmp_path / "one.csv").write_text("only\n1\n2\n")
    assert list(read_table(tmp_path / "one.csv").columns) == ["only"]


def _bomb(path: Path, rows: int) -> None:
    """A small Parquet file that expands a lot: one long string, repeated (dictionary-encoded)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"x": pa.array(np.zeros(rows, dtype="int8")), "y": ["z" * 200] * rows})
    pq.write_table(table, path, compression="zstd")


def test_parquet_row_and_column_limits_from_the_metadata(tmp_path: Path) -> None:
    from podium.engine.errors import TableTooLarge

    _bomb(tmp_path / "b.parquet", 50_000)
    assert (tmp_path / "b.parquet").stat().st_size < 20_000
    with pytest.raises(
        TableTooLarge, match=r"b\.parquet has 50,000 rows, more than the limit of 10,000 rows"
    ) as rows:
        read_table(tmp_path / "b.parquet", max_rows=10_000)
    assert (rows.value.measure, rows.value.value, rows.value.limit) == ("rows", 50_000, 10_000)
    with pytest.raises(TableTooLarge, match=r"has 2 columns, more than the limit of 1 columns"):
        read_table(tmp_path / "b.parquet", max_columns=1)
    assert len(read_table(tmp_path / "b.parquet", max_rows=50_000, max_columns=2)) == 50_000


def test_parquet_expanded_size_is_counted_while_decoding(tmp_path: Path) -> None:
    from podium.engine.errors import TableTooLarge

    _bomb(tmp_path / "b.parquet", 50_000)  # ~10 MB once decoded
    with pytest.raises(
        TableTooLarge,
        match=r"at least [\d,]+ bytes once read into memory, more than the limit of 1,000,000",
    ) as exc:
        read_table(tmp_path / "b.parquet", max_bytes=1_000_000)
    assert exc.value.measure == "bytes"
    assert exc.value.value < 1_000_000 + 2 * 65_536 * 220  # stopped within a batch of the limit


def test_csv_limits(tmp_path: Path) -> None:
    from podium.engine.errors import TableTooLarge

    path = tmp_path / "w.csv"
    path.write_text(",".join(f"c{i}" for i in range(50)) + "\n" + ",".join("1" * 50) + "\n")
    with pytest.raises(TableTooLarge, match=r"w\.csv has 50 columns, more than the limit of 10"):
        read_table(path, max_columns=10)
    path.write_text("a,b\n" + "1,2\n" * 100)
    with pytest.raises(TableTooLarge, match=r"has 100 rows, more than the limit of 99 rows"):
        read_table(path, max_rows=99)
    with pytest.raises(TableTooLarge, match=r"bytes once read into memory"):
        read_table(path, max_bytes=100)
    assert len(read_table(path, max_rows=100, max_columns=2, max_bytes=10_000)) == 100


def test_infinite_values_are_not_whole_numbers_when_suggesting_tasks() -> None:
    from podium.engine.prepare.schema import infer_schema, suggest_tasks

    df = pd.DataFrame({"x": [1.0, 2.0, np.inf, -np.inf], "y": [0, 1, 0, 1]})
    suggested = suggest_tasks(df, infer_schema(df))
    assert suggested[0] is not None
    assert suggested[0]["task"] == "regression"
