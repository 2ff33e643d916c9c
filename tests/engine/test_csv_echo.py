"""A CSV's records as sent: split as pandas' C parser splits them (the reader that decides the
rows), on every form of CSV it accepts, across block boundaries, by both splitters."""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from podium.engine.artifacts import csv_echo
from podium.engine.artifacts.csv_echo import RecordReader, Records
from podium.engine.prepare.data import PAST_HEADER, header_names


def _pandas(data: bytes) -> tuple[list[str], list[list[str]], bool]:
    """The columns and rows as the server's reader reads them (all as text), and whether it
    read a field past the header. ParserWarning: pandas dropped fields past its names (the
    server refuses that in a first chunk, see ``scored_csv.read_chunks``)."""
    names = header_names(io.BytesIO(data), ",")
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        frame = pd.read_csv(
            io.BytesIO(data),
            index_col=False,
            header=0,
            names=names,
            dtype=str,
            keep_default_na=False,
        )
    past = names is not None
    if past and frame.pop(PAST_HEADER).iloc[0] != "":
        # refused in a first chunk (here of one row); dropped in a later one
        raise pd.errors.ParserError("a first row with a value past the header")
    return [str(c) for c in frame.columns], frame.to_numpy().tolist(), past


def _sent(records: Records) -> list[bytes]:
    pads = records.pads if records.pads is not None else [0] * len(records)
    return [
        records.data[s:e] + b"," * int(p)
        for s, e, p in zip(records.starts.tolist(), records.ends.tolist(), pads, strict=True)
    ]


def _records(data: bytes, chunk: int = 2) -> list[bytes] | None:
    """Every record as the reader echoes it, taken ``chunk`` at a time as pandas reads them."""
    columns, rows, past = _pandas(data)
    reader = RecordReader(io.BytesIO(data), len(columns), past_header=past)
    out: list[bytes] = []
    for at in range(0, len(rows), chunk):
        taken = reader.take(len(rows[at : at + chunk]))
        if taken is None:
            return None
        out += _sent(taken)
    return out


def _agrees(data: bytes, chunk: int = 2) -> None:
    """Each echoed record, read under the header on its own, is the row pandas read."""
    columns, rows, _past = _pandas(data)
    echoed = _records(data, chunk)
    assert echoed is not None, data
    assert len(echoed) == len(rows), (data, echoed)
    header = data.removeprefix(csv_echo.BOM).lstrip(b"\r\n \t")
    names = ",".join(f"c{i}" for i in range(len(columns))).encode() + b",answer\n"
    for record, row in zip(echoed, rows, strict=True):
        alone = pd.read_csv(  # as the answer has it: the record, a comma, the answers
            io.BytesIO(names + record + b",yes\n"),
            dtype=str,
            keep_default_na=False,
            index_col=False,
        )
        assert alone.to_numpy().tolist() == [[*row, "yes"]], (data, header[:40], record, row)


CASES = {
    "plain": b"a,b\n1,2\n3,4\n",
    "no final newline": b"a,b\n1,2\n3,4",
    "crlf": b"a,b\r\n1,2\r\n3,4\r\n",
    "lone cr": b"a,b\r1,2\r3,4\r",
    "mixed line ends": b"a,b\r1,2\r\n3,4\n5,6\r7,8",
    "bom": b"\xef\xbb\xbfa,b\n1,2\n",
    "bom and quoted header": b'\xef\xbb\xbf"a",b\n1,2\n',
    "blank lines": b"\n\na,b\n\n1,2\n\n\n3,4\n\n",
    "blank crlf lines": b"a,b\r\n\r\n1,2\r\n\r\n3,4\r\n\r\n",
    "lines of blanks": b"  \na,b\n1,2\n \t \n3,4\n  ",
    "leading blanks in a row": b"a,b\n  1,2\n\t,4\n",
    "quoted comma": b'a,b\n1,"x,y"\n3,4\n',
    "quoted line ends": b'a,b\n1,"x\ny"\n3,"p\r\nq"\n5,"r\rs"\n',
    "escaped quotes": b'a,b\n1,"say ""hi"""\n"""",4\n',
    "quote inside a field": b'a,b\n1,x"y\n3,4\n',
    "text after a closing quote": b'a,b\n1,"x"y\n3,4\n',
    "blanks then a quote": b'a,b\n  "x",1\n',
    "empty quoted": b'a,b\n""\n3,""\n',
    "quoted blank line": b'a,b\n" "\n3,4\n',
    "short rows": b"a,b,c\n1\n2,3\n4,5,6\n",
    "empty fields": b"a,b\n,\n3,\n,4\n",
    "trailing comma on every row": b"a,b\n1,2,\n3,4,\n",
    "a field past the header, then values": b"a,b\n1,2,\n3,4,5\n6,7\n",
    "quoted field past the header": b'a,b\n1,"2,x",\n3,4,"y,\n"\n',
    "one column": b"a\n1\n\n2\n  \n3\n",
    "nul byte": b"a,b\n1,2\x00\n3,4\n",
    "utf-8": "a,b\n1,caf\u00e9\n\u00e9\u00e9,\u2028\n".encode(),
    "duplicate names": b"a,a\n1,2\n",
    "unnamed column": b"a,,c\n1,2,3\n",
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("block", [1 << 20, 3])
def test_each_record_is_the_row_pandas_read(
    name: str, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_echo, "BLOCK_BYTES", block)  # 3: every record spans blocks
    _agrees(CASES[name])
    _agrees(CASES[name], chunk=1)


def test_records_are_the_bytes_sent() -> None:
    data = b'\xef\xbb\xbfid,x,note\r\n02134,5.10,NA\r\n\r\n7,"1e1","x,\r\ny"\r\n8,,\r\n9'
    assert _records(data) == [b"02134,5.10,NA", b'7,"1e1","x,\r\ny"', b"8,,", b"9,,"]


@pytest.mark.parametrize("name", list(CASES))
def test_both_splitters_give_the_same_records(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks whose quotes all open, close or double one are split with numpy; the ``csv``
    splitter gives the same records."""
    plain = _records(CASES[name])
    monkeypatch.setattr(
        csv_echo, "split", lambda data, lo, final, width: csv_echo._split_quoted(data, lo, final)
    )
    assert _records(CASES[name]) == plain


def test_generated_files_split_as_pandas_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random files over the bytes that matter (seeded), read in random blocks and chunks:
    every one pandas reads agrees, or is one where pandas moves a row's fields."""
    rng = np.random.default_rng(11)
    alphabet = [b"a", b"1", b",", b'"', b"\n", b"\r", b"\r\n", b" ", b"\t", b"\xc3\xa9", b'""']
    weights = np.array([8, 8, 4, 2, 3, 1, 2, 1, 1, 1, 1], float) / 32
    heads = [b"h1,h2,h3\n", b"h1\n", b"h1,h2\r\n", b'"h,1",h2\r']
    read = 0
    for _ in range(800):
        size = int(rng.integers(1, 50))
        data = heads[int(rng.integers(0, 4))] + b"".join(rng.choice(alphabet, size, p=weights))
        try:
            _pandas(data)
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
            continue  # refused by the server (EmptyDataError is a ValueError)
        monkeypatch.setattr(csv_echo, "BLOCK_BYTES", int(rng.integers(2, 64)))
        chunk = int(rng.integers(1, 4))
        if _records(data, chunk) is None:  # only where pandas moves a row's fields
            assert MOVED.search(data), data
            continue
        _agrees(data, chunk)
        read += 1
    assert read > 150


def test_generated_quoted_files_split_as_pandas_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random files of quoted fields (commas, line ends and doubled quotes inside), short and
    long rows, blank lines, every line end, read in random blocks: numpy's split agrees."""
    rng = np.random.default_rng(23)
    inner = [b"a", b",", b"\n", b"\r\n", b"\r", b'""', b" ", b"1"]

    def field() -> bytes:
        if rng.random() < 0.4:
            return b"".join(rng.choice([b"a", b"1", b" ", b"\xc3\xa9"], int(rng.integers(0, 4))))
        return b'"' + b"".join(rng.choice(inner, int(rng.integers(0, 6)))) + b'"'

    split = csv_echo._paired_quotes
    paired = []
    monkeypatch.setattr(csv_echo, "_paired_quotes", lambda d, lo: paired.append(1) or split(d, lo))
    read = 0
    for _ in range(500):
        width = int(rng.integers(1, 4))
        lines = [b",".join(b"h%d" % i for i in range(width))]
        for _ in range(int(rng.integers(1, 8))):
            n = int(rng.integers(1, width + 2)) if rng.random() < 0.3 else width
            lines.append(b"" if rng.random() < 0.1 else b",".join(field() for _ in range(n)))
        data = b"".join(line + [b"\n", b"\r\n", b"\r"][int(rng.integers(0, 3))] for line in lines)
        try:
            _pandas(data)
        except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
            continue
        monkeypatch.setattr(csv_echo, "BLOCK_BYTES", int(rng.integers(2, 80)))
        chunk = int(rng.integers(1, 4))
        if _records(data, chunk) is None:
            assert MOVED.search(data), data
            continue
        _agrees(data, chunk)
        read += 1
    assert read > 200
    assert len(paired) > 1000


MOVED = re.compile(rb"[\r\n][ \t]*\r,")  # a blank line ended by a lone CR, then a comma


def test_a_disagreement_gives_none_from_then_on() -> None:
    """A header of another width than pandas read, or more rows than records: None."""
    data = b"a,b\n1,2\n3,4\n"
    assert RecordReader(io.BytesIO(data), 3).take(1) is None
    reader = RecordReader(io.BytesIO(data), 2)
    assert reader.take(3) is None
    assert reader.take(1) is None
    # a first row of more fields than the header's and pandas' names: pandas drops the
    # ones past its names (it warns); those rows are written as pandas read them
    wide = RecordReader(io.BytesIO(b"a,b\n1,2,,5\n3,4\n"), 2, past_header=True)
    assert wide.take(2) is None
    # pandas drops the comma after a blank line ended by a lone CR ("1,2\r\r,x" reads
    # x under a): those rows are written as pandas read them
    moved = b"a,b\n1,2\r\r,x\n"
    assert _pandas(moved)[1] == [["1", "2"], ["x", ""]]
    assert RecordReader(io.BytesIO(moved), 2).take(2) is None
    quoted = b'a,b\n1,"2"\r\r,x\n'
    assert RecordReader(io.BytesIO(quoted), 2).take(2) is None


def test_the_source_position_is_left_as_it_stood() -> None:
    source = io.BytesIO(b"a,b\n1,2\n3,4\n")
    source.seek(5)
    assert len(RecordReader(source, 2).take(2) or []) == 2
    assert source.tell() == 5


def test_echo_joins_each_record_to_its_answers() -> None:
    data = b"a,b\r\n1,2\r\n\r\n3,4\n5,6"
    records = RecordReader(io.BytesIO(data), 2).take(3)
    assert records is not None
    assert records.plain
    answers = b'"yes",0.5\n"no",0.25\n"no",1\n'
    assert csv_echo.echo(records, answers) == b'1,2,"yes",0.5\n3,4,"no",0.25\n5,6,"no",1\n'
    multiline = b'"yes",0.5\n"no",0.25\n"a\nb",1\n'  # a label holding a line end
    assert csv_echo.echo(records, multiline) == (b'1,2,"yes",0.5\n3,4,"no",0.25\n5,6,"a\nb",1\n')
    short = RecordReader(io.BytesIO(b"a,b\n1\n  \n3,4\n"), 2).take(2)
    assert short is not None
    assert not short.plain
    assert csv_echo.echo(short, b"x\ny\n") == b"1,,x\n3,4,y\n"


def test_past_header_column_name_is_the_engines() -> None:
    assert PAST_HEADER not in _pandas(CASES["trailing comma on every row"])[0]
