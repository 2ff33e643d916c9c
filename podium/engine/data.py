"""Reading tables and refusing bad ones with a message that says what to do."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from podium.engine.errors import DataError

_NUMERIC_SHARE_FOR_MIXED = 0.8


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet file into a DataFrame, refusing what cannot be used.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (UTF-8) or ``.parquet`` file.

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        Missing or empty file, text that is not UTF-8, duplicate column names.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"file not found: {p}")
    if p.stat().st_size == 0:
        raise DataError(f"{p.name} is empty: give a file with a header row and at least one row")
    if p.suffix.lower() in {".parquet", ".pq"}:
        try:
            df = pd.read_parquet(p)
        except Exception as exc:
            raise DataError(f"{p.name} is not a readable Parquet file: {exc}") from None
    else:
        df = _read_csv(p)
    check_columns(df)
    if len(df) == 0:
        raise DataError(f"{p.name} has a header but no rows: give at least one row of data")
    return df


def _read_csv(p: Path) -> pd.DataFrame:
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{p.name} is not UTF-8 text (byte {exc.start}, line {line}): "
            "re-save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet) and try again"
        ) from None
    if not text.strip():
        raise DataError(f"{p.name} is empty: give a file with a header row and at least one row")
    header = next(csv.reader(io.StringIO(text)), [])
    _check_duplicate_names([h.strip() for h in header])
    try:
        return pd.read_csv(io.StringIO(text), low_memory=False)
    except pd.errors.ParserError as exc:
        raise DataError(f"{p.name} is not a well-formed CSV file: {exc}") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{p.name} has no columns: give a header row") from None


def _check_duplicate_names(names: list[str]) -> None:
    seen: set[str] = set()
    dups = [n for n in names if n in seen or seen.add(n)]  # type: ignore[func-returns-value]
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
                f"column {name!r} mixes numbers and text ({share:.0%} numeric, e.g. {bad!r}): "
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
