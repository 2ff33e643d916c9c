"""The scored CSV every path writes (``engine/artifacts/scored_csv.py``): the rows as sent, or
every row written from its values, decided once per file, whatever the chunk size."""

from __future__ import annotations

import io
from typing import Any

import pytest

from podium.engine import DataError, setup
from podium.engine.artifacts.scored_csv import score_csv
from tests.engine.conftest import make_table


@pytest.fixture(scope="module")
def pipe() -> Any:
    return setup(make_table("binary"), "y", folds=2, seed=0).finalize("lr")


def _scored(pipe: Any, body: str, rows: int) -> str:
    return b"".join(part for _n, part in score_csv(pipe, io.BytesIO(body.encode()), rows)).decode()


def test_rows_come_back_as_sent_in_every_chunk(pipe: Any) -> None:
    lines = [f"00{i},{i / 10:.2f},NA,red,0.50" for i in range(7)]
    body = "id,x1,x2,color,noise\n" + "\n".join(lines) + "\n"
    for rows in (2, 100):
        out = _scored(pipe, body, rows).splitlines()
        assert out[0].startswith('"id","x1","x2","color","noise","prediction"')
        assert [line.split(",")[:5] for line in out[1:]] == [line.split(",") for line in lines]


def test_a_file_is_echoed_whole_or_not_at_all(pipe: Any) -> None:
    """A column pandas types ``bool`` in the first chunk and mixes with blanks in the second
    (a text column Arrow's writer could take in one chunk only): every row is written from its
    values (``007`` → ``7``), never the first chunk echoed and the second re-written."""
    flags = ["True", "False", "True", "False", "True", "", "False", ""]
    lines = [f"00{i},0.1,0.2,red,0.5,{flag}" for i, flag in enumerate(flags)]
    body = "id,x1,x2,color,noise,flag\n" + "\n".join(lines) + "\n"
    for rows in (4, 100):
        ids = [line.split(",", 1)[0] for line in _scored(pipe, body, rows).splitlines()[1:]]
        assert ids == [str(i) for i in range(len(flags))], rows


def test_a_bad_value_anywhere_is_refused_before_the_first_byte(pipe: Any) -> None:
    lines = [f"{i},0.1,0.2,red,0.5" for i in range(9)] + ["9,oops,0.2,red,0.5"]
    body = "id,x1,x2,color,noise\n" + "\n".join(lines) + "\n"
    with pytest.raises(DataError, match="row 10"):
        next(score_csv(pipe, io.BytesIO(body.encode()), 3))
