"""Scoring on threads leaves the process's warning filters as they were.

``warnings.catch_warnings`` saves and restores the process-wide filter list (Python 3.11): two
scoring threads inside it at once (A enters, B enters, A leaves, B leaves) used to leave A's
filter behind for the life of the process — an ``error`` on pandas' ParserWarning, a lost
one, or an ``ignore`` that hides every later warning. The interleaving is forced here with a
gate inside each scoring step (a barrier, then B waits until A has finished)."""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

import podium.engine
from podium.engine import setup
from podium.engine.standalone import prepare_rows
from podium.server.app import create_app
from podium.server.config import Settings
from podium.server.errors import InvalidInput
from podium.server.services import csv_predictions, predictions, scoring

WAIT_S = 30  # a safety net against a hang, never a pace


def _table(n: int = 80) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    df = pd.DataFrame(
        {
            "size": rng.normal(10, 3, n).round(3),
            "colour": rng.choice(["red", "green", "blue"], n),
        }
    )
    df["label"] = np.where(df["size"] + (df["colour"] == "red") * 3 > 11, "yes", "no")
    return df


@pytest.fixture(scope="module")
def loaded() -> predictions.Loaded:
    pipe = setup(_table(), "label", folds=2, seed=42).finalize("lr")
    meta = pipe.podium_metadata_
    schema = list(meta["input_schema"])
    fast = scoring.FastScorer.build(pipe, schema, meta["task"], predictions._engine_predict)
    assert fast is not None
    return predictions.Loaded(pipe, "sha", meta["task"], schema, fast=fast)


class Gate:
    """Wraps a step so that its first call in each of two threads meets the other's (both
    inside their scoring call), then the second thread waits until the first has finished."""

    def __init__(self, step: Callable[..., Any]) -> None:
        self.step = step
        self.barrier = threading.Barrier(2)
        self.first_done = threading.Event()
        self.met: set[int] = set()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        me = threading.get_ident()
        if me not in self.met:
            self.met.add(me)
            self.barrier.wait(WAIT_S)
            if threading.current_thread().name == "second":
                assert self.first_done.wait(WAIT_S)
        return self.step(*args, **kwargs)

    def run(self, call: Callable[[], Any]) -> None:
        errors: list[BaseException] = []

        def first() -> None:
            try:
                call()
            except BaseException as exc:
                errors.append(exc)
            finally:
                self.first_done.set()

        def second() -> None:
            try:
                call()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=first), threading.Thread(target=second, name="second")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT_S)
        assert not errors, errors


CSV = "size,colour\n" + "".join(f"{i % 13},{['red', 'blue'][i % 2]}\n" for i in range(40))
RAGGED = "size,colour\n1,red,extra\n2,blue\n"


def _csv(loaded: predictions.Loaded) -> None:
    ahead, first = csv_predictions.first_chunk(loaded, io.BytesIO(CSV.encode()))
    assert b"prediction" in first.split(b"\n")[0]
    assert len(list(ahead)) == 0


def _rows(loaded: predictions.Loaded) -> Callable[[], None]:
    rows = [{"size": 3.0, "colour": "purple"}, {"size": 12.0, "colour": "red"}]  # purple: unseen
    columns = prepare_rows(rows, loaded.schema)
    return lambda: None if loaded.fast is None else loaded.fast.score(columns)


@pytest.mark.parametrize("path", ["csv chunks", "fast scorer", "engine predict"])
def test_concurrent_scoring_leaves_the_filters_and_the_csv_refusal_as_they_were(
    path: str, loaded: predictions.Loaded, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_app(settings)  # whatever filters the serving process installs, installed here
    before = list(warnings.filters)
    if path == "csv chunks":
        gate = Gate(pd.read_csv)
        monkeypatch.setattr(pd, "read_csv", gate)
        gate.run(lambda: _csv(loaded))
    elif path == "fast scorer":
        assert loaded.fast is not None
        gate = Gate(loaded.fast._transform)
        monkeypatch.setattr(loaded.fast, "_transform", gate)
        gate.run(_rows(loaded))
    else:
        gate = Gate(podium.engine.predict)
        monkeypatch.setattr(podium.engine, "predict", gate)
        columns = prepare_rows([{"size": 3.0, "colour": "purple"}], loaded.schema)
        gate.run(lambda: predictions._engine_predict(loaded.pipe, columns))
    monkeypatch.undo()
    assert list(warnings.filters) == before

    # refused however the process's filters stand (even were every warning ignored)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InvalidInput, match="first row has more fields than its header"):
            csv_predictions.first_chunk(loaded, io.BytesIO(RAGGED.encode()))
