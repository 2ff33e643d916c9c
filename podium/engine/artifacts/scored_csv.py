"""A scored CSV: each row as sent, then its answers — one writer for every CSV path (the
server's CSV predict and ``podium predict``), so both give the same bytes for the same file.

A CSV is read in chunks (text columns as written, ``standalone.csv_dtypes``; its delimiter
sniffed as every table read is, ``prepare.data.sniff_csv``), every chunk checked and prepared
before anything is written (:func:`check`), then scored chunk by chunk. Whether the rows are
echoed as sent (:mod:`csv_echo`) or written from the parsed values is decided once per file
(:func:`can_echo` on every chunk): one file never mixes the two.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from podium.engine.artifacts import csv_echo
from podium.engine.artifacts.csv_echo import RecordReader, Records
from podium.engine.artifacts.pipeline import csv_answers, predict, scored_copy
from podium.engine.errors import NOT_UTF8_FIX, DataError
from podium.engine.standalone import InputError

CHUNK_ROWS = 20_000
RAGGED_FIRST_ROW = (
    "the CSV's first row has more fields than its header: fix that row (a value holding a "
    "comma must be quoted) or add the missing column names"
)

#: ``(chunk, prepared, first, sent)``: a checked chunk, as ``prepare_input`` prepared it,
#: whether it is the file's first, and its records as sent (None: written from the values)
Checked = tuple[Any, Any, bool, Records | None]


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` found: ``kept``: every checked chunk was given to ``keep`` (else the
    file is to be read again, :func:`read_chunks`); ``echo``: the rows are echoed as sent."""

    kept: bool
    echo: bool


def read_chunks(
    schema: list[dict[str, Any]], source: IO[bytes], rows: int = CHUNK_ROWS
) -> Iterator[tuple[Any, Records | None]]:
    """The CSV in chunks of ``rows``; with each, its records as sent when the delimiter is a
    comma and the split agrees with pandas so far, else None. DataError for a CSV pandas
    cannot read, one without rows, a first row with a value past the header, non-UTF-8."""
    import pandas as pd

    from podium.engine.prepare.data import SNIFF_BYTES, header_names, held_past_header, sniff_csv
    from podium.engine.standalone import csv_dtypes

    dialect = sniff_csv(source.read(SNIFF_BYTES).decode("utf-8-sig", errors="replace"))
    source.seek(0)
    names = header_names(source, dialect["sep"])
    try:
        # index_col=False: a first row with one field too many would otherwise become an
        # index and shift every column; pandas drops that field (and only warns when it
        # holds a value): read as a column of its own (header_names), refused when it does
        reader = pd.read_csv(
            source,
            chunksize=rows,
            index_col=False,
            header=0,
            names=names,
            dtype=csv_dtypes(schema),
            sep=dialect["sep"],
            decimal=dialect["decimal"],
        )
        chunk = next(reader)
    except StopIteration:
        raise DataError("the CSV has a header but no rows") from None
    except UnicodeDecodeError:
        raise not_utf8(source) from None
    except ValueError as exc:
        raise DataError(f"could not read the CSV: {exc}") from None
    if held_past_header(chunk):
        raise DataError(RAGGED_FIRST_ROW)
    if chunk.empty:
        raise DataError("the CSV has a header but no rows")
    sent = None
    if dialect["sep"] == ",":
        sent = RecordReader(source, len(chunk.columns), past_header=names is not None)
    yield chunk, sent.take(len(chunk)) if sent else None
    try:
        for chunk in reader:
            held_past_header(chunk)  # later chunks: dropped, as pandas did (it only warned)
            yield chunk, sent.take(len(chunk)) if sent else None
    except UnicodeDecodeError:
        raise not_utf8(source) from None
    except ValueError as exc:
        raise DataError(f"could not read the CSV: {exc}") from None


def not_utf8(source: IO[bytes]) -> DataError:
    """Which line of the CSV is not UTF-8 (read again from the start; no UTF-8 sequence spans
    a newline, so line by line is exact), and how to fix it."""
    try:
        source.seek(0)
        for number, line in enumerate(source, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return DataError(f"the CSV is not UTF-8 text (line {number}): {NOT_UTF8_FIX}")
    except (OSError, ValueError):  # not seekable: say it without the line
        pass
    return DataError(f"the CSV is not UTF-8 text: {NOT_UTF8_FIX}")


def check(
    schema: list[dict[str, Any]],
    source: IO[bytes],
    keep: Callable[[Checked], None],
    rows: int = CHUNK_ROWS,
    keep_rows: int = 0,
) -> Verdict:
    """Read and prepare every chunk; DataError naming the first bad rows and columns (counted
    from 1, the header not included), before anything is written.

    While the file has at most ``keep_rows`` rows, each chunk is given to ``keep`` as soon as
    it is prepared, with its records when the file is echoed so far. A chunk that cannot be
    echoed (:func:`can_echo`) after one that was given with its records stops the keeping:
    the file is then read again and written from the values throughout.
    """
    from podium.engine.artifacts.pipeline import validate_input
    from podium.engine.standalone import prepare_input

    start, kept, echo = 0, True, True
    for chunk, sent in read_chunks(schema, source, rows):
        if not start:
            validate_input(schema, chunk.head(0))  # missing columns, said as the engine says
        try:
            prepared = prepare_input(chunk, schema)
        except InputError as exc:
            where = exc.describe(_csv_rows(start))
            raise DataError(f"{where} (rows count from 1 after the header)") from None
        if echo and not can_echo(chunk, sent):
            echo, kept = False, kept and not start  # rows already given echoed: read again
        first, start = not start, start + len(chunk)
        kept = kept and start <= keep_rows  # too large to keep: scored from a second read
        if kept:
            keep((chunk, prepared, first, sent if echo else None))
    return Verdict(kept, echo)


def _csv_rows(start: int) -> Callable[[int], str]:
    """Names a row of a chunk starting at data row ``start`` (from 0) by its number from 1."""
    return lambda i: f"row {start + i + 1}"


def can_echo(chunk: Any, sent: Records | None) -> bool:
    """Whether a chunk's rows can be echoed as sent: one record per row, and every text
    column one Arrow's writer takes (else the file is written from its values, by pandas
    where Arrow cannot type a chunk, as it always was)."""
    from pandas.api.types import infer_dtype

    return (
        sent is not None
        and len(sent) == len(chunk)
        and all(
            infer_dtype(chunk[c], skipna=True) in ("string", "empty")
            for c in chunk.columns
            if chunk[c].dtype == object
        )
    )


def scored_bytes(chunk: Any, scored: Any, header: bool, sent: Records | None) -> bytes:
    """One chunk with its answers (``predict``'s frame, ``scored``) appended, as CSV bytes.

    Extra columns (ids, even the target) are kept and ignored by the model. ``sent``: the
    chunk's records, when the file is echoed; each row is then echoed as sent, unless a sent
    column is named like an answer (it gives way to it, the same for every chunk of a file),
    else written from the parsed values. The answers are spelled as the JSON answer spells
    them (``csv_answers``), by the same writer either way; so is the header.
    """
    if sent is None or any(c in chunk.columns for c in scored.columns):
        return csv_bytes(scored_copy(chunk, scored), header)
    head = csv_bytes(scored_copy(chunk.head(0), scored.head(0)), True) if header else b""
    return head + csv_echo.echo(sent, csv_bytes(csv_answers(scored), header=False))


def csv_bytes(frame: Any, header: bool) -> bytes:
    """``frame`` as CSV: Arrow's writer (about 9x faster than pandas on wide float tables).

    Booleans are written ``True``/``False`` as pandas writes them; a frame Arrow cannot type
    (an object column mixing numbers and text) falls back to pandas.
    """
    import pyarrow as pa
    from pyarrow import csv as pa_csv

    flags = [c for c in frame.columns if str(frame[c].dtype) in ("bool", "boolean")]
    if flags:
        frame = frame.astype({c: "string" for c in flags})
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return str(frame.to_csv(index=False, header=header)).encode()
    buffer = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=header, quoting_style="needed")
    pa_csv.write_csv(table, buffer, options)
    return buffer.getvalue()


def score_csv(
    pipe: Any,
    source: IO[bytes],
    rows: int = CHUNK_ROWS,
    answers: Callable[[Any], Any] | None = None,
) -> Iterator[tuple[int, bytes]]:
    """The scored CSV of a seekable ``source`` as ``(rows, bytes)`` chunk by chunk: every row
    checked first (:func:`check`; DataError before the first byte), then read again and
    scored — the bytes the server's CSV predict answers for the same file when ``answers``
    (a chunk's answers frame) scores as it does (``podium predict`` passes the server's;
    default: the engine's ``predict`` of the pipeline)."""
    schema = list(pipe.podium_metadata_["input_schema"])
    verdict = check(schema, source, lambda _item: None, rows)
    source.seek(0)
    for i, (chunk, sent) in enumerate(read_chunks(schema, source, rows)):
        scored = predict(pipe, chunk) if answers is None else answers(chunk)
        yield len(chunk), scored_bytes(chunk, scored, i == 0, sent if verdict.echo else None)
