"""A CSV batch's records as sent: what its scored answer echoes ahead of the answers.

A scored CSV gives each row back as the caller wrote it (``02134``, ``5.10`` and ``NA`` come
back so, not re-spelt by a parse and a re-write), then the answer columns. The rows are the
ones pandas' C parser reads (it decides them, and refuses what it refuses); this module splits
the same bytes into the same records, by the rules that parser follows for ``read_csv`` with a
comma and its defaults:

- a record ends at ``\\n``, ``\\r\\n`` or a lone ``\\r`` outside quotes; the last one may lack it;
- a field opening with ``"`` is quoted: delimiters and line ends inside it belong to it, ``""``
  is a quote, and what follows the closing quote up to the next delimiter stays in the field;
  a quote anywhere else is a plain character;
- a line that is empty, or holds only spaces and tabs, is no record (``skip_blank_lines``);
- a UTF-8 byte order mark before the header is not part of it; the header is the first record.

A record with fewer fields than the header is echoed with empty fields after it (pandas reads
them as missing); one with a field past the header's (allowed only when the first row has one,
see ``prepare.data.header_names``) is echoed without it, as pandas drops it.

Blocks are split with numpy, where a quote byte is inside a quoted field when an odd number
of them come before it (true when every quote opens, closes or doubles one); a block with any
other quote, with Python's ``csv`` module, whose reader follows the same quoting rules (both
are tested to give the same records, and against pandas on generated files).
:class:`RecordReader` reads the source with ``seek``/``read`` and puts its position back, so
pandas can read the same file between its calls.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

BLOCK_BYTES = 1 << 20
BOM = b"\xef\xbb\xbf"
LF, CR, QUOTE = 10, 13, 34


class Disagrees(Exception):
    """The bytes hold what pandas reads otherwise than these rules (see :func:`_drop_blank`)."""


@dataclass(frozen=True)
class Records:
    """``len(starts)`` records as sent: each record's bytes are ``data[starts[i]:ends[i]]``
    (no line end, no field past the header's), followed by ``pads[i]`` empty fields.
    ``plain``: every record is whole and the bytes between two of them are line ends only."""

    data: bytes
    starts: Any  # int64 arrays
    ends: Any
    pads: Any  # None: no record is short
    plain: bool

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True)
class _Split:
    starts: Any
    ends: Any
    fields: Any  # per record; None: every record has ``width`` fields
    rest: int  # where the next split starts (past the last whole record's line end)
    gaps: bool  # a line of blanks was skipped between records


class RecordReader:
    """The records of a comma-separated ``source`` after its header, ``n`` at a time.

    ``columns``: the number of columns pandas read from the header; ``past_header``: whether
    it read one more for a first row with a field too many. :meth:`take` answers None from
    the first disagreement on (a header of another width, a record pandas would not have
    read, fewer records than pandas read, a field longer than ``csv``'s limit): those rows are
    then written as pandas read them.
    """

    def __init__(self, source: IO[bytes], columns: int, past_header: bool = False) -> None:
        self.source = source
        self.columns = columns
        self.past_header = past_header
        self.width: int | None = None  # the header's fields
        self.pos = 0  # where self.buf starts in the source
        self.buf = b""
        self.eof = False
        self.broken = False

    def take(self, n: int) -> Records | None:
        """The next ``n`` records (None once this reader disagrees with pandas)."""
        if self.broken:
            return None
        try:
            records = self._take(n)
        except (csv.Error, Disagrees):
            records = None
        if records is None:
            self.broken = True
        return records

    def _take(self, n: int) -> Records | None:
        parts: list[_Split] = []
        found, lo = 0, 0
        if not self.buf and not self.eof:
            self._read()
        while True:
            # past the header, records of the width + 1 fields may hide short ones in a sum
            part = split(self.buf, lo, self.eof, None if self.past_header else self.width)
            if self.width is None and len(part.starts):
                header = self._header(part)
                if header is None:
                    return None
                part = header
            if len(part.starts):
                parts.append(part)
                found += len(part.starts)
            lo = part.rest
            if found >= n:
                return self._records(parts, n)
            if self.eof:
                return None  # pandas read more rows than there are records
            self._read()

    def _read(self) -> None:
        """Append the source's next block to the buffer."""
        here, size = self.source.tell(), max(BLOCK_BYTES, len(BOM))
        try:
            self.source.seek(self.pos + len(self.buf))
            block = self.source.read(size)
        finally:
            self.source.seek(here)
        self.eof = len(block) < size
        if not self.pos and not self.buf and block.startswith(BOM):
            self.pos, block = len(BOM), block[len(BOM) :]
        self.buf += block

    def _header(self, part: _Split) -> _Split | None:
        width = int(part.fields[0]) if part.fields is not None else 0
        if width != self.columns:
            return None
        self.width = width
        fields = part.fields[1:] if part.fields is not None else None
        return _Split(part.starts[1:], part.ends[1:], fields, part.rest, part.gaps)

    def _records(self, parts: list[_Split], n: int) -> Records | None:
        assert self.width is not None
        width = self.width
        starts = np.concatenate([p.starts for p in parts])[:n]
        ends = np.concatenate([p.ends for p in parts])[:n]
        fields = None
        if any(p.fields is not None for p in parts):
            each = [np.full(len(p.starts), width) if p.fields is None else p.fields for p in parts]
            fields = np.concatenate(each)[:n]
        first, nxt = int(starts[0]), _line_end(self.buf, int(ends[-1]))
        data = self.buf[first:nxt]  # from the first record to past the n-th's line end
        self.pos += nxt
        self.buf = self.buf[nxt:]
        starts, ends = starts - first, ends - first
        pads, cut = None, False
        if fields is not None:
            if (fields > width + int(self.past_header)).any():
                return None  # pandas refuses such a record: the split disagrees with it
            over = np.flatnonzero(fields == width + 1)
            for i in over.tolist():  # the field past the header's, dropped as pandas drops it
                ends[i] = _field_end(data, int(starts[i]), width)
            cut = bool(len(over))
            short = np.maximum(width - fields, 0)
            pads = short if short.any() else None
        plain = pads is None and not cut and not any(p.gaps for p in parts)
        return Records(data, starts, ends, pads, plain)


def _line_end(data: bytes, end: int) -> int:
    """Past the line end at ``end`` (``\\r\\n``, ``\\n``, ``\\r`` or none)."""
    if data[end : end + 2] == b"\r\n":
        return end + 2
    return end + 1 if data[end : end + 1] in (b"\n", b"\r") else end


def _field_end(data: bytes, start: int, width: int) -> int:
    """Where the ``width``-th field of the record at ``start`` ends (its delimiter)."""
    fields, i, quoted, at_start = 1, start, False, True
    while True:
        c = data[i]
        if quoted:
            if c == QUOTE:
                if data[i + 1 : i + 2] == b'"':
                    i += 1
                else:
                    quoted = False
        elif c == QUOTE and at_start:
            quoted = True
        elif c == 44:  # ,
            if fields == width:
                return i
            fields += 1
            at_start = True
            i += 1
            continue
        at_start = False
        i += 1


def split(data: bytes, lo: int, final: bool, width: int | None) -> _Split:
    """The whole records of ``data[lo:]`` (the rest when ``final``); ``width``: the header's
    fields when known (then a block whose delimiters add up to it skips counting per record)."""
    if data.find(b'"', lo) < 0:
        return _split_plain(data, lo, final, width)
    quotes = _paired_quotes(data, lo)
    if quotes is None:
        return _split_quoted(data, lo, final)
    return _split_plain(data, lo, final, width, quotes)


def _paired_quotes(data: bytes, lo: int) -> Any:
    """The quote bytes of ``data[lo:]`` when each one opens a field, closes one (before a
    delimiter, a line end or the end) or doubles a quote inside one: a byte is then inside a
    quoted field exactly when an odd number of them come before it. None for any other quote
    (one inside a field, text after a closing one): the ``csv`` splitter takes that block."""
    a = np.frombuffer(data, np.uint8)
    hi = len(data)
    q = np.flatnonzero(a[lo:] == QUOTE) + lo
    before = a[np.maximum(q - 1, 0)]
    doubled = np.zeros(len(q), bool)
    doubled[1:] = q[1:] - 1 == q[:-1]
    opens = (q == lo) | np.isin(before, (44, LF, CR)) | doubled
    closes = (q + 1 >= hi) | np.isin(a[np.minimum(q + 1, hi - 1)], (44, LF, CR, QUOTE))
    return q if opens[0::2].all() and closes[1::2].all() else None


def _outside(quotes: Any, at: Any) -> Any:
    """``at`` without the positions inside quoted fields (``quotes``: see _paired_quotes)."""
    return at if quotes is None else at[np.searchsorted(quotes, at) % 2 == 0]


def _split_plain(
    data: bytes, lo: int, final: bool, width: int | None, quotes: Any = None
) -> _Split:
    a = np.frombuffer(data, np.uint8)
    hi = len(data)
    seg = a[lo:]
    lf = _outside(quotes, np.flatnonzero(seg == LF) + lo)
    if data.find(b"\r", lo) < 0:
        ends, nexts = lf, lf + 1
    else:
        cr = _outside(quotes, np.flatnonzero(seg == CR) + lo)
        after = cr + 1
        follows = np.zeros(len(cr), bool)
        inside = after < hi
        follows[inside] = a[after[inside]] == LF
        lone = cr[~follows & (inside | final)]  # a CR ending unfinished data waits for more
        lf_end = lf.copy()
        crlf = (lf > lo) & (a[np.maximum(lf - 1, 0)] == CR)
        lf_end[crlf] -= 1
        order = np.argsort(np.concatenate([lf, lone]), kind="stable")
        ends = np.concatenate([lf_end, lone])[order]
        nexts = np.concatenate([lf + 1, lone + 1])[order]
    rest = int(nexts[-1]) if len(nexts) else lo
    if final and rest < hi:
        ends = np.append(ends, hi)
        nexts = np.append(nexts, hi)
        rest = hi
    starts = np.empty(len(ends), np.int64)
    if len(ends):
        starts[0] = lo
        starts[1:] = nexts[:-1]
    ends = ends.astype(np.int64)
    starts, ends, gaps = _drop_blank(data, a, starts, ends)
    if not len(starts):
        return _Split(starts, ends, None, rest, gaps)
    region = a[int(starts[0]) : int(ends[-1])]
    commas = _outside(quotes, np.flatnonzero(region == 44) + int(starts[0]))
    if width is not None and len(commas) == (width - 1) * len(starts):
        fields = None  # pandas read no record with more fields: none has fewer
    else:
        owner = np.searchsorted(starts, commas, side="right") - 1
        fields = np.bincount(owner, minlength=len(starts)) + 1
    return _Split(starts, ends, fields, rest, gaps)


def _drop_blank(data: bytes, a: Any, starts: Any, ends: Any) -> tuple[Any, Any, bool]:
    """The lines that are records: not empty, not only spaces and tabs.

    Raises Disagrees for a blank line ended by a lone CR before a comma: pandas' parser then
    drops that comma (the row's first field goes missing and the others move left).
    """
    length = ends - starts
    blank = length == 0
    lead = np.flatnonzero(~blank & np.isin(a[np.minimum(starts, len(a) - 1)], (32, 9)))
    gaps = False
    for i in lead.tolist():
        if not data[int(starts[i]) : int(ends[i])].strip(b" \t"):
            blank[i] = gaps = True
    if not blank.any():
        return starts, ends, False
    for end in ends[blank].tolist():
        if data[end : end + 2] == b"\r,":
            raise Disagrees("a blank line ended by a lone CR before a comma")
    keep = ~blank
    return starts[keep], ends[keep], gaps


def _split_quoted(data: bytes, lo: int, final: bool) -> _Split:
    text = data[lo:].decode("latin-1")  # one character per byte: offsets stay byte offsets
    lines = list(io.StringIO(text, newline=""))  # \n, \r\n and \r end a line
    offsets = np.cumsum([lo] + [len(line) for line in lines]).tolist()
    reader = csv.reader(iter(lines), delimiter=",", quotechar='"', doublequote=True, strict=False)
    starts: list[int] = []
    ends: list[int] = []
    fields: list[int] = []
    rest, gaps, used = lo, False, 0
    for row in reader:
        first, used = used, reader.line_num
        if used == len(lines) and not final:
            break  # its last line (or quoted field) may go on in the next block
        last = lines[used - 1]
        rest = offsets[used]
        if used - first == 1 and '"' not in last and not last.strip(" \t\r\n"):
            if last.endswith("\r") and text[rest - lo : rest - lo + 1] == ",":
                raise Disagrees("a blank line ended by a lone CR before a comma")
            gaps = gaps or bool(last.strip("\r\n"))
            continue  # a blank line
        starts.append(offsets[first])
        ends.append(offsets[used] - _ending(last))
        fields.append(len(row))
    return _Split(
        np.array(starts, np.int64), np.array(ends, np.int64), np.array(fields), rest, gaps
    )


def _ends_line(line: str) -> bool:
    return line.endswith(("\n", "\r"))


def _ending(line: str) -> int:
    if line.endswith("\r\n"):
        return 2
    return 1 if _ends_line(line) else 0


def echo(records: Records, answers: bytes) -> bytes:
    """Each record as sent, a comma, then its line of ``answers`` (CSV, one line per record,
    as Arrow's writer wrote it), each ending in ``\\n``."""
    n = len(records)
    a = np.frombuffer(answers, np.uint8)
    lf = np.flatnonzero(a == LF)
    if records.plain and len(lf) == n:
        return _echo_arrow(records, answers, lf)
    if len(lf) == n:
        astarts = np.concatenate([[0], lf[:-1] + 1])
        aends = lf
    else:  # a label holding a line end: split the answers as records too
        part = _split_quoted(answers, 0, True)
        astarts, aends = part.starts, part.ends
    pads = records.pads if records.pads is not None else np.zeros(n, np.int64)
    out: list[bytes] = []
    data = records.data
    for s, e, p, x, y in zip(
        records.starts.tolist(),
        records.ends.tolist(),
        pads.tolist(),
        astarts.tolist(),
        aends.tolist(),
        strict=True,
    ):
        out += (data[s:e], b"," * (p + 1), answers[x:y], b"\n")
    return b"".join(out)


def _echo_arrow(records: Records, answers: bytes, lf: Any) -> bytes:
    """:func:`echo` when each record runs from its start to the next one's, but for line ends:
    both sides as Arrow arrays over the bytes as they are (no copy), joined by Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(records)
    offsets = np.empty(n + 1, np.int64)
    offsets[:n] = records.starts
    offsets[n] = len(records.data)
    sent = pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(records.data))
    sent = pc.utf8_rtrim(sent, characters="\r\n")  # a record never ends in one: line ends only
    lines = np.empty(n + 1, np.int64)
    lines[0] = 0
    lines[1:] = lf + 1
    scored = pa.LargeStringArray.from_buffers(n, pa.py_buffer(lines), pa.py_buffer(answers))
    joined = pc.binary_join_element_wise(sent, scored, pa.scalar(",", pa.large_string()))
    bounds = np.frombuffer(joined.buffers()[1], np.int64, n + 1, joined.offset * 8)
    return memoryview(joined.buffers()[2])[int(bounds[0]) : int(bounds[n])].tobytes()
