"""Reading tables and refusing bad ones with a message that says what to do."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from podium.engine.errors import NOT_UTF8_FIX, DataError, TableTooLarge, shown

_NUMERIC_SHARE_FOR_MIXED = 0.8
_PARQUET_BATCH_ROWS = 65_536
SNIFF_BYTES = 64 * 1024
_SNIFF_ROWS = 50
_OTHER_SEPARATORS = (";", "\t", "|")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^[-+]?\d*\.\d+$")


@dataclass(frozen=True)
class TableLimits:
    """Optional size limits for :func:`read_table` (``None``: no limit)."""

    rows: int | None = None
    columns: int | None = None
    memory: int | None = None

    def check(self, name: str, measure: str, value: int) -> None:
        """Raise TableTooLarge when ``value`` exceeds the limit of ``measure``.

        ``measure`` is ``rows``, ``columns`` or ``bytes`` (the decoded size in memory).
        """
        limit = {"rows": self.rows, "columns": self.columns, "bytes": self.memory}[measure]
        if limit is None or value <= limit:
            return
        if measure == "bytes":
            told = f"takes at least {value:,} bytes once read into memory"
        else:
            told = f"has {value:,} {measure}"
        raise TableTooLarge(
            f"{name} {told}, more than the limit of {limit:,} {measure}", measure, value, limit
        )


def read_table(
    path: str | Path,
    *,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_bytes: int | None = None,
    dtype: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Read a CSV or Parquet file into a DataFrame, refusing what cannot be used.

    Messages name the file, never its folder.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8) or ``.parquet`` file.
    max_rows, max_columns : int, optional
        Refuse tables with more rows / columns (Parquet: from its metadata, before decoding).
    max_bytes : int, optional
        Refuse tables larger than this once decoded into memory (Parquet: counted batch by
        batch while decoding, so a small file that expands hugely is stopped early).
    dtype : dict, optional
        ``pandas.read_csv``'s ``dtype`` for a CSV (e.g. a pipeline's
        ``standalone.csv_dtypes``, so codes are read as the text written).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        Missing or empty file, binary data, text that is not UTF-8, malformed CSV rows,
        duplicate column names. ``TableTooLarge`` (a DataError) past a limit.
    """
    p = Path(path)
    limits = TableLimits(max_rows, max_columns, max_bytes)
    if not p.is_file():
        raise DataError(f"file not found: {p.name}")
    if p.stat().st_size == 0:
        raise DataError(f"{p.name} is empty: give a file with a header row and at least one row")
    if p.suffix.lower() in {".parquet", ".pq"}:
        df = _read_parquet(p, limits)
    else:
        df = _read_csv(p, limits, dtype)
    check_columns(df)
    if len(df) == 0:
        raise DataError(f"{p.name} has a header but no rows: give at least one row of data")
    limits.check(p.name, "rows", len(df))
    limits.check(p.name, "columns", df.shape[1])
    return df


def _read_parquet(p: Path, limits: TableLimits) -> pd.DataFrame:
    """Check the metadata, then the decoded size batch by batch, then read with pandas."""
    import pyarrow.parquet as pq

    try:
        with pq.ParquetFile(p) as parquet:
            limits.check(p.name, "rows", parquet.metadata.num_rows)
            limits.check(p.name, "columns", parquet.metadata.num_columns)
            if limits.memory is not None:
                size = 0
                for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS):
                    size += batch.nbytes
                    limits.check(p.name, "bytes", size)
        return pd.read_parquet(p)
    except DataError:
        raise
    except Exception as exc:
        raise DataError(f"{p.name} is not a readable Parquet file: {_scrub(exc, p)}") from None


def _scrub(exc: Exception, p: Path) -> str:
    """A library's message without the file's folder (it is the server's storage path)."""
    return str(exc).replace(str(p), p.name).replace(str(p.parent), "").strip()


#: The name a field past the header is read under (:func:`header_names`).
PAST_HEADER = "\0a field past the header"


def header_names(source: IO[bytes], sep: str) -> list[str] | None:
    """The header's names as pandas reads them plus :data:`PAST_HEADER` when the first row
    after the header has one field more (a trailing delimiter, or a value too many); else None.

    Read with ``header=0, names=`` these, that field gets a column of its own, which
    :func:`held_past_header` drops and judges: ``read_csv(index_col=False)`` would drop it
    itself and only warn (a ParserWarning) when it holds a value, and turning that warning
    into an error takes a warnings filter, which is the whole process's (``catch_warnings``
    races between threads). Reads the first rows only; ``source`` is left where it stood.
    """
    start = source.tell()
    try:
        pd.read_csv(source, header=None, nrows=2, dtype=str, sep=sep, encoding="utf-8-sig")
        return None
    except pd.errors.ParserError:  # "Expected n fields in line 2, saw n+1"
        source.seek(start)
        names = pd.read_csv(source, nrows=0, index_col=False, sep=sep, encoding="utf-8-sig")
        return [*map(str, names.columns), PAST_HEADER]
    except (ValueError, UnicodeDecodeError):  # the caller's own read says what is wrong
        return None
    finally:
        source.seek(start)


def held_past_header(frame: pd.DataFrame) -> bool:
    """Drop the :data:`PAST_HEADER` column, if any, from ``frame``; whether it held a value
    (pandas' own test: a field neither empty nor missing)."""
    if PAST_HEADER not in frame.columns:
        return False
    extra = frame.pop(PAST_HEADER)
    return not bool((extra.isna() | extra.eq("")).all())


def sniff_csv(text: str) -> dict[str, str]:
    """How to read a CSV from its start: pandas' ``sep`` and ``decimal``.

    A comma, unless the header holds none and another of ``;``, tab or ``|`` splits it
    (the one splitting it most). With ``;``, numbers are read with decimal commas when the
    first rows write some (``1,5``) and none with a point (European spreadsheets' export).
    """
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]  # whole lines only

    def rows(sep: str) -> list[list[str]]:
        lines = io.StringIO(sample, newline="")  # \n, \r\n and \r end a line
        try:
            return list(itertools.islice(csv.reader(lines, delimiter=sep), _SNIFF_ROWS))
        except csv.Error:  # not CSV text (binary, a stray quote): pandas will say what
            return []

    sep, width = ",", len(next(iter(rows(",")), []))
    if width <= 1:
        for other in _OTHER_SEPARATORS:
            fields = len(next(iter(rows(other)), []))
            if fields > width:
                sep, width = other, fields
    decimal = "."
    if sep == ";":
        values = [v.strip() for row in rows(sep)[1:] for v in row]
        if any(_DECIMAL_COMMA.match(v) for v in values) and not any(
            _DECIMAL_POINT.match(v) for v in values
        ):
            decimal = ","
    return {"sep": sep, "decimal": decimal}


def _read_csv(p: Path, limits: TableLimits, dtype: dict[str, Any] | None = None) -> pd.DataFrame:
    raw = p.read_bytes()
    text = _decode(p, raw)
    if not text or text.isspace():
        raise DataError(f"{p.name} is empty: give a file with a header row and at least one row")
    dialect = sniff_csv(text)
    try:
        header = next(csv.reader(_lines(text), delimiter=dialect["sep"]), [])
    except csv.Error:  # a lone \r ends its lines: the first line up to it
        header = text.split("\r", 1)[0].split(dialect["sep"])
    del text  # pandas parses the bytes: no second copy of a large file in memory
    limits.check(p.name, "columns", len(header))
    _check_duplicate_names([h.strip() for h in header])
    try:
        df = pd.read_csv(
            io.BytesIO(raw),
            encoding="utf-8-sig",
            low_memory=False,
            index_col=False,
            header=0,
            names=header_names(io.BytesIO(raw), dialect["sep"]),
            dtype=dtype,
            sep=dialect["sep"],
            decimal=dialect["decimal"],
        )
        if held_past_header(df):
            raise pd.errors.ParserError("a row has more fields than the header")
    except pd.errors.ParserError as exc:
        raise DataError(_malformed(p.name, raw, len(header), exc, dialect["sep"])) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{p.name} has no columns: give a header row") from None
    if limits.memory is not None:
        limits.check(p.name, "bytes", int(df.memory_usage(deep=True).sum()))
    return df


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one by one (``io.StringIO`` would copy it whole first)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _decode(p: Path, raw: bytes) -> str:
    """UTF-8 text, or a DataError saying what the bytes are instead."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(
            f"{p.name} is UTF-16 text, not UTF-8: re-save it as UTF-8 "
            "(e.g. 'CSV UTF-8' in a spreadsheet) and try again"
        )
    nul = raw.find(b"\0", 0, SNIFF_BYTES)
    if nul >= 0:
        raise DataError(
            f"{p.name} is not a text CSV file (it holds binary data: a NUL byte at byte {nul}): "
            "upload a CSV saved as UTF-8 text, or a Parquet file named .parquet"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{p.name} is not UTF-8 text (byte {exc.start}, line {line}): {NOT_UTF8_FIX}"
        ) from None


def _malformed(name: str, raw: bytes, width: int, exc: Exception, sep: str = ",") -> str:
    """Which line has more fields than the header (the parser's own words otherwise)."""
    reader = csv.reader(_lines(raw.decode("utf-8-sig")), delimiter=sep)
    for row in reader:
        if len(row) > width:
            return (
                f"{name} line {reader.line_num} has {len(row)} fields but the header has "
                f"{width} columns: fix that row (a value holding a comma must be quoted) "
                "or add the missing column names"
            )
    detail = str(exc).replace("Error tokenizing data. C error: ", "").strip()
    return f"{name} is not a well-formed CSV file: {detail}"


def _check_duplicate_names(names: list[str]) -> None:
    seen: set[str] = set()
    dups = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
    blank = [n for n in names if not n.strip()]
    if len(blank) > 1:
        raise DataError(
            f"{len(blank)} columns have no name (a blank header): every column needs a unique "
            "name; give each a name in the header row, or delete the empty columns"
        )
    if dups:
        raise DataError(
            f"duplicate column name {dups[0]!r}: every column needs a unique name; rename one"
        )


def check_columns(df: pd.DataFrame) -> None:
    """Refuse a frame with no columns or duplicate column names."""
    if df.shape[1] == 0:
        raise DataError("the table has no columns: give a header row and data")
    _check_duplicate_names([str(c) for c in df.columns])


def check_values(df: pd.DataFrame) -> None:
    """Refuse infinite values and columns mixing numbers and text.

    Raises
    ------
    DataError
        Naming the column, how many values are wrong and what to do.
    """
    for name in df.columns:
        col = df[name]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            values = col.to_numpy(dtype="float64", na_value=np.nan)
            n_inf = int(np.isinf(values).sum())
            if n_inf:
                raise DataError(
                    f"column {name!r} has {n_inf} infinite value(s): replace them with a number "
                    "or leave them empty (missing)"
                )
        elif col.dtype == object or pd.api.types.is_string_dtype(col):
            _check_mixed(str(name), col)


def _check_mixed(name: str, col: pd.Series) -> None:
    values = col.dropna()
    if values.empty:
        return
    kinds = {_kind_of(v) for v in values.head(10_000)}
    if len(kinds) > 1 and "other" not in kinds:
        raise DataError(
            f"column {name!r} mixes types ({', '.join(sorted(kinds))}): make it all numbers or "
            "all text (cast it) before training"
        )
    if kinds == {"text"}:
        parsed = pd.to_numeric(values.astype(str), errors="coerce")
        share = float(parsed.notna().mean())
        if _NUMERIC_SHARE_FOR_MIXED <= share < 1.0:
            bad = values[parsed.isna()].iloc[0]
            raise DataError(
                f"column {name!r} mixes numbers and text ({share:.0%} numeric, e.g. {shown(bad)}): "
                "clean the text values or leave them empty so the column is numeric"
            )


def _kind_of(value: object) -> str:
    if isinstance(value, bool | np.bool_):
        return "boolean"
    if isinstance(value, int | float | np.integer | np.floating):
        return "number"
    if isinstance(value, str):
        return "text"
    return "other"
