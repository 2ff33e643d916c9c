"""Generated tables for the cross-path suite: every column kind Podium meets, seeded.

``table(kind, n, seed)`` builds a training table; ``rows(kind, seed)`` builds rows to score
with the same columns (no target) plus the awkward cases: a category unseen in training, a
row of nothing but missing values, unseen words, numbers at the edge.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

CITIES = ["oslo", "lima", "pune", "kyiv", "accra"]
ZONES = ["10", "20", "30", "K1", "K2"]
WORDS = ["great value", "poor fit", "fast delivery", "broken on arrival", "ok", "as described"]
#: columns whose values are two spellings of true/false, with their true spelling
BOOLEAN_SPELLINGS = {"member": "yes", "central_air": "Y", "active": True}
#: table kind → the columns it has (``full`` has every kind; ``lean`` converts to ONNX)
COLUMNS = {
    "full": [
        "amount",
        "rooms",
        "member",
        "central_air",
        "active",
        "promo",
        "signup",
        "review",
        "city",
        "zone",
        "street",
    ],
    "lean": ["amount", "rooms", "member", "central_air", "active", "promo", "city", "zone"],
}


def _features(n: int, rng: np.random.Generator) -> pd.DataFrame:
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    df = pd.DataFrame(
        {
            "amount": rng.normal(50, 15, n).round(2),
            "rooms": rng.integers(1, 7, n),  # integer codes
            "member": rng.choice(["yes", "no"], n),
            "central_air": rng.choice(["Y", "N"], n, p=[0.7, 0.3]),
            "active": rng.choice([True, False], n),
            "promo": rng.choice([0, 1], n),
            "signup": days.strftime("%Y-%m-%d"),
            "review": [
                f"{WORDS[int(a)]}, {WORDS[int(b)]} and more, order {int(c)}"
                for a, b, c in zip(
                    rng.integers(0, 6, n),
                    rng.integers(0, 6, n),
                    rng.integers(0, 10**6, n),
                    strict=True,
                )
            ],
            "city": rng.choice(CITIES, n),
            "zone": rng.choice(ZONES, n),  # codes, some of them digits only
            "street": [f"street {int(i)}" for i in rng.integers(0, 70, n)],  # high cardinality
        }
    )
    for name, share in (("amount", 0.08), ("member", 0.05), ("city", 0.08), ("signup", 0.04)):
        df.loc[rng.random(n) < share, name] = None
    return df


def _signal(df: pd.DataFrame) -> pd.Series:
    amount = df["amount"].fillna(50).astype(float)
    when = pd.to_datetime(df["signup"])
    return (
        (amount - 50) / 15
        + 0.4 * df["rooms"]
        + 1.2 * (df["member"] == "yes")
        - 1.5 * (df["central_air"] == "N")
        + 0.8 * df["active"].astype(float)
        + 0.9 * df["promo"]
        + 0.5 * (when.dt.month > 6)
        + 0.7 * df["city"].isin(["oslo", "pune"])
        + 0.6 * df["review"].str.contains("great")
        - 0.8 * (df["zone"] == "20")
    )


def table(kind: str, task: str, n: int = 160, seed: int = 7) -> tuple[pd.DataFrame, str]:
    """A training table of ``kind`` for ``task`` ("binary" or "regression"); its target."""
    rng = np.random.default_rng(seed)
    df = _features(n, rng)
    signal = _signal(df) + rng.normal(0, 0.5, n)
    frame = df[COLUMNS[kind]].copy()
    if task == "regression":
        frame["price"] = (100 + 20 * signal).round(2)
        return frame, "price"
    frame["label"] = np.where(signal > float(np.median(signal)), "high", "low")
    return frame, "label"


def rows(kind: str, n: int = 20, seed: int = 11) -> pd.DataFrame:
    """Rows to score: fresh ones, plus the edge cases at the top."""
    df = _features(n, np.random.default_rng(seed))[COLUMNS[kind]].copy()
    df = df.astype({c: object for c in df.columns if df[c].dtype != float})
    df.loc[0, "city"] = "atlantis"  # a category unseen in training
    if "street" in df:
        df.loc[0, "street"] = "no such street"
    df.loc[1, :] = None  # every value missing
    df.loc[2, "amount"] = 1e6
    if "review" in df:
        df.loc[2, "review"] = "zebra quantum xylophone"  # no known word
    return df


def json_value(value: Any) -> Any:
    """A frame value as a client would send it in JSON (NaN/None → null)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def json_rows(df: pd.DataFrame, booleans: bool = False) -> list[dict[str, Any]]:
    """The rows as JSON objects; with ``booleans``, two-valued columns as JSON true/false."""
    out = []
    for record in df.to_dict("records"):
        row = {str(k): json_value(v) for k, v in record.items()}
        if booleans:
            for name, truth in BOOLEAN_SPELLINGS.items():
                if name in row and row[name] is not None:
                    row[name] = row[name] == truth
        out.append(row)
    return out
