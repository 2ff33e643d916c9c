"""Scored CSV bytes: Arrow's writer, read back to the same table; pandas for what Arrow refuses."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from podium.engine.artifacts.scored_csv import csv_bytes


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [7, 8, 9],
            "x": [1.5, np.nan, 0.1 + 0.2],
            "note": ["a, b", None, 'say "hi"'],
            "flag": [True, False, True],
            "prediction": ["yes", "no", "yes"],
            "proba_yes": [0.9, 0.2, 0.55],
        }
    )


def test_round_trips_through_a_csv_reader() -> None:
    frame = _frame()
    back = pd.read_csv(io.BytesIO(csv_bytes(frame, header=True)))
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert b"True" in csv_bytes(frame, header=True)  # booleans as pandas writes them


def test_chunks_after_the_first_have_no_header() -> None:
    first, rest = csv_bytes(_frame(), header=True), csv_bytes(_frame(), header=False)
    assert first.count(b"\n") == rest.count(b"\n") + 1
    assert first.endswith(rest)


def test_a_column_mixing_numbers_and_text_falls_back_to_pandas() -> None:
    frame = _frame().assign(mixed=[1, "a", 2.5])
    assert csv_bytes(frame, header=True).decode().splitlines()[2].endswith(",a")
