"""A corpus of bad input, generated (seeded) rather than committed: the files and payloads a
user might send by mistake or on purpose. ``tests/server/api/test_bad_input_corpus.py`` sends
each through the routes it can reach and expects a 4xx with a message, or a run that ends
``failed`` with one — never a 5xx."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SEED = 11
# the corpus's limits (small, so the bombs stay small); the defaults are in the README
LIMITS = {
    "max_upload_bytes": 4 * 1024 * 1024,
    "max_upload_rows": 100_000,
    "max_upload_expanded_bytes": 64 * 1024 * 1024,
    "max_predict_bytes": 64 * 1024,
}


@dataclass(frozen=True)
class Table:
    """A file to upload and what to ask of it. ``at_upload``: must be refused by the upload."""

    id: str
    filename: str
    content: bytes
    at_upload: bool = False
    target: str = "y"
    task: str = "binary"
    setup_params: dict[str, Any] = field(default_factory=dict)


def _rng() -> np.random.Generator:
    return np.random.default_rng(SEED)


def _good(n: int = 60, seed: int = SEED) -> pd.DataFrame:
    """A learnable binary table: two numbers, a category, a yes/no target."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    color = rng.choice(["red", "green", "blue"], size=n)
    y = np.where(x1 + x2 + rng.normal(scale=0.5, size=n) > 0, "yes", "no")
    return pd.DataFrame({"x1": x1.round(3), "x2": x2.round(3), "color": color, "y": y})


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


def _parquet(table: pa.Table, compression: str = "zstd") -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression=compression)
    return buffer.getvalue()


def unreadable_files() -> list[Table]:
    """Files no table can be read from, or over a limit: refused by the upload itself."""
    rng = _rng()
    good = _csv(_good())
    junk = rng.integers(0, 256, size=2048, dtype=np.uint8).tobytes()
    lines = good.decode().splitlines(keepends=True)
    ragged_later = "".join([*lines[:30], lines[30].rstrip("\n") + ",extra\n", *lines[31:]])
    wide = pd.DataFrame(
        rng.integers(0, 9, size=(3, 10_000)), columns=[f"c{i}" for i in range(10_000)]
    )
    valid_parquet = _parquet(pa.Table.from_pandas(_good(), preserve_index=False))
    rows_bomb = pa.table(
        {"x": np.zeros(1_000_000, dtype="int8"), "y": np.zeros(1_000_000, dtype="int8")}
    )
    n = 400_000
    text_bomb = pa.table(
        {
            "x": np.zeros(n, dtype="int8"),
            "y": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype="int32")), pa.array(["z" * 200])
            ),
        }
    )
    return [
        Table("empty", "empty.csv", b"", True),
        Table("header-only", "header.csv", b"x1,x2,y\n", True),
        Table("blank-lines", "blank.csv", b"\n\n  \n\n", True),
        Table("binary", "binary.csv", junk, True),
        Table("png-named-csv", "picture.csv", b"\x89PNG\r\n\x1a\n" + junk, True),
        Table("utf-16", "utf16.csv", good.decode().encode("utf-16"), True),
        Table("utf-16-no-bom", "utf16le.csv", good.decode().encode("utf-16-le"), True),
        Table("latin-1", "latin1.csv", "x,y\ncafé,1\nthé,0\n".encode("latin-1"), True),
        Table("nul-in-a-row", "nul.csv", good[:200] + b"\x00" + good[200:], True),
        Table("duplicate-headers", "dups.csv", b"x1,x1,y\n1,2,yes\n3,4,no\n", True),
        Table("ragged-first-row", "ragged.csv", b"x1,y\n1,2,yes\n3,no\n", True),
        Table("ragged-later-row", "ragged2.csv", ragged_later.encode(), True),
        Table("unterminated-quote", "quote.csv", b'x1,y\n1,"yes\n2,no\n', True),
        Table("10k-columns", "wide.csv", _csv(wide), True),
        Table("json-as-csv", "data.csv", b'{"x1": 1, "y": "yes"}', True),
        Table("garbage-parquet", "garbage.parquet", junk, True),
        Table("truncated-parquet", "cut.parquet", valid_parquet[: len(valid_parquet) // 2], True),
        Table("parquet-1m-rows", "rows.parquet", _parquet(rows_bomb), True),
        Table("parquet-expands-80mb", "text.parquet", _parquet(text_bomb), True),
        Table("excel", "data.xlsx", b"PK\x03\x04" + junk, True),
        Table("no-extension", "data", good, True),
        Table("empty-filename", "", good, True),
        Table("5000-char-filename", "x" * 4996 + ".csv", good, True),
        Table("over-the-cap", "big.csv", b"x1,y\n" + b"1.2345,yes\n" * 400_000, True),
    ]


def unlearnable_tables() -> list[Table]:
    """Tables that upload fine but cannot be learned as asked: refused by the experiment or
    the run (which must then end ``failed`` with a message)."""
    good = _good()
    rows: list[Table] = []

    def add(id_: str, frame: pd.DataFrame, **ask: Any) -> None:
        rows.append(Table(id_, f"{id_}.csv", _csv(frame), **ask))

    add("one-class-target", good.assign(y="yes"))
    add("one-class-integer-target", good.assign(y=0))
    add("all-missing-target", good.assign(y=np.nan))
    add("empty-cells-only", pd.DataFrame({"x1": [None] * 5, "y": [None] * 5}))
    add("one-row", good.head(1))
    add("target-only", good[["y"]])
    add("id-column-only", pd.DataFrame({"id": range(40), "y": ["a", "b"] * 20}))
    add("constant-features", good.assign(x1=1, x2=1, color="red"))
    add("mixed-numbers-and-text", good.assign(x1=[*good["x1"][:55], "n/a", "?", "-", "x", "y"]))
    add("infinite-values", good.assign(x2=[*good["x2"][:58], np.inf, -np.inf]))
    add("rare-class", good.assign(y=["no"] * 58 + ["yes"] * 2), setup_params={"folds": 5})
    add("regression-on-text", good, task="regression")
    add("binary-with-3-classes", good.assign(y=["a", "b", "c"] * 20))
    add(
        "500-classes",
        pd.concat([good] * 10).assign(y=[f"c{i}" for i in range(600)]),
        task="multiclass",
    )
    add("unknown-target", good, target="nope")
    add("ignored-target", good, setup_params={"ignore_features": ["y"]})
    add("one-fold", good, setup_params={"folds": 1})
    add("unknown-setting", good, setup_params={"wat": True})
    return rows


@dataclass(frozen=True)
class Request:
    """A raw request to a route: body bytes and headers (``ctype`` may be None: no header)."""

    id: str
    body: bytes
    ctype: str | None


def _form(*parts: tuple[str, str | None, bytes], boundary: str = "b0undary") -> bytes:
    out = b""
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


MULTIPART = "multipart/form-data; boundary=b0undary"


def upload_requests() -> list[Request]:
    """Malformed upload requests (the file itself is fine)."""
    good = _csv(_good())
    return [
        Request("no-file-field", _form(("name", None, b"n")), MULTIPART),
        Request("two-files", _form(("file", "a.csv", good), ("file", "b.csv", good)), MULTIPART),
        Request("file-as-a-text-field", _form(("file", None, good)), MULTIPART),
        Request("file-under-another-name", _form(("data", "a.csv", good)), MULTIPART),
        Request(
            "name-too-long", _form(("file", "a.csv", good), ("name", None, b"n" * 201)), MULTIPART
        ),
        Request(
            "description-too-long",
            _form(("file", "a.csv", good), ("description", None, b"d" * 10_001)),
            MULTIPART,
        ),
        Request(
            "name-not-utf8", _form(("file", "a.csv", good), ("name", None, b"\xff\xfe")), MULTIPART
        ),
        Request("json-body", b'{"file": "x1,y"}', "application/json"),
        Request("raw-csv-body", good, "text/csv"),
        Request("no-content-type", good, None),
        Request("no-boundary", _form(("file", "a.csv", good)), "multipart/form-data"),
        Request("garbage-multipart", b"this is not a form", MULTIPART),
        Request("truncated-multipart", _form(("file", "a.csv", good))[:-40], MULTIPART),
        Request(
            "part-without-disposition",
            b"--b0undary\r\nContent-Type: text/csv\r\n\r\nx\r\n--b0undary--\r\n",
            MULTIPART,
        ),
    ]


FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
ROW = dict(zip(FEATURES, [5.1, 3.5, 1.4, 0.2], strict=True))


def json_predictions() -> list[Request]:
    """Bad JSON predict bodies for an iris pipeline."""
    row = ROW

    def body(value: Any) -> bytes:
        return json.dumps(value).encode()

    big = {"rows": [row] * 2_000}
    return [
        Request("not-json", b"rows=1", "application/json"),
        Request("top-level-array", body([row]), "application/json"),
        Request("no-rows-key", body({}), "application/json"),
        Request("rows-not-a-list", body({"rows": "x"}), "application/json"),
        Request("no-rows", body({"rows": []}), "application/json"),
        Request("row-not-an-object", body({"rows": [1, 2]}), "application/json"),
        Request("null-row", body({"rows": [None]}), "application/json"),
        Request(
            "missing-column",
            body({"rows": [{k: row[k] for k in FEATURES[:3]}]}),
            "application/json",
        ),
        # an extra column is ignored, as CSV scoring ignores it (test_predict checks it)
        Request(
            "text-for-a-number", body({"rows": [row | {FEATURES[0]: "five"}]}), "application/json"
        ),
        Request(
            "nested-value", body({"rows": [row | {FEATURES[0]: {"v": 1}}]}), "application/json"
        ),
        Request("nan", body({"rows": [row]}).replace(b"5.1", b"NaN"), "application/json"),
        Request("infinity", body({"rows": [row]}).replace(b"5.1", b"Infinity"), "application/json"),
        Request(
            "beyond-float", body({"rows": [row]}).replace(b"5.1", b"1e400"), "application/json"
        ),
        Request("over-the-cap", body(big), "application/json"),
    ]


def csv_predictions() -> list[Request]:
    """Bad CSV predict bodies (raw and multipart) for an iris pipeline."""
    header = ",".join(FEATURES).encode() + b"\n"
    good = header + b"5.1,3.5,1.4,0.2\n" * 3
    junk = _rng().integers(0, 256, size=2048, dtype=np.uint8).tobytes()
    return [
        Request("empty", b"", "text/csv"),
        Request("header-only", header, "text/csv"),
        Request("binary", junk, "text/csv"),
        Request("utf-16", good.decode().encode("utf-16"), "text/csv"),
        Request("missing-column", b"sepal length (cm)\n5.1\n", "text/csv"),
        Request(
            "duplicate-headers",
            header.replace(b"petal width", b"petal length") + b"1,2,3,4\n",
            "text/csv",
        ),
        Request("ragged", header + b"5.1,3.5,1.4,0.2,9\n5,3,1,0\n", "text/csv"),
        Request("text-for-a-number", header + b"five,3.5,1.4,0.2\n", "text/csv"),
        Request("multipart-no-file", _form(("name", None, b"x")), MULTIPART),
        Request(
            "multipart-two-files",
            _form(("file", "a.csv", good), ("file", "b.csv", good)),
            MULTIPART,
        ),
        Request("multipart-long-filename", _form(("file", "x" * 5000 + ".csv", good)), MULTIPART),
        Request("multipart-truncated", _form(("file", "a.csv", good))[:-30], MULTIPART),
        Request("over-the-cap", header + b"5.1,3.5,1.4,0.2\n" * 300_000, "text/csv"),
    ]
