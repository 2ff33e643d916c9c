"""CSV batch scoring with a deployed pipeline: every row checked before the first byte, then
the scored chunks streamed, scored on the shared pool while the check reads on.

The file's reading, checking and writing are the engine's one CSV writer
(``engine/artifacts/scored_csv.py``, which ``podium predict`` uses too); this module adds the
server's parts: the pipeline's verified ONNX export where it has one, the scoring pool
(``scoring_pool.Ahead``), refusals as InvalidInput, and the stream's end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import IO, Any

from podium.engine.artifacts import scored_csv
from podium.engine.artifacts.csv_echo import Records
from podium.server.errors import InvalidInput
from podium.server.services import predictions
from podium.server.services.onnx_scoring import OnnxScorer
from podium.server.services.scoring_pool import Ahead

CSV_CHUNK_ROWS = scored_csv.CHUNK_ROWS
KEEP_ROWS = 200_000  # a CSV up to this many rows is read and prepared once, kept in memory


def first_chunk(
    loaded: predictions.Loaded, source: IO[bytes]
) -> tuple[Ahead[Any, tuple[int, bytes]], bytes]:
    """Start scoring a CSV: check every row, then score the first chunk (a 422 until here).

    Every chunk is read and prepared before the first byte is sent (``scored_csv.check``), so
    a value the pipeline cannot take — in any row — is a 422 naming its row and column, never
    a broken stream; so is whether the rows are echoed as sent decided, once for the file.
    Up to :data:`KEEP_ROWS` rows, the chunks read and prepared then are scored as they are
    (read and prepared once), on the scoring pool while the check reads the next ones
    (``scoring_pool.Ahead``); a larger file is read again, chunk by chunk.
    Returns the reader of the remaining ``(rows, scored CSV bytes)`` (``close()`` drops it)
    and the first scored CSV bytes (with header).
    """
    predictions.refuse_forecast(loaded)

    def work(item: scored_csv.Checked) -> tuple[int, bytes]:
        chunk, prepared, header, sent = item
        return len(chunk), score_chunk(loaded, chunk, header, prepared, sent)

    scored: Ahead[Any, tuple[int, bytes]] = Ahead(work)
    try:
        verdict = _refused(
            scored_csv.check, loaded.schema, source, scored.offer, CSV_CHUNK_ROWS, KEEP_ROWS
        )
        if not verdict.kept:
            scored.close()
            source.seek(0)
            chunks = enumerate(_chunks(loaded, source))
            echo = verdict.echo
            scored = Ahead(work).then(
                (c, None, i == 0, sent if echo else None) for i, (c, sent) in chunks
            )
        first = next(scored)[1]
    except BaseException:
        scored.close()
        raise
    return scored, first


def _refused(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)``, its DataError (a CSV the engine refuses) an InvalidInput."""
    from podium.engine import DataError

    try:
        return fn(*args)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def _chunks(loaded: predictions.Loaded, source: IO[bytes]) -> Iterator[tuple[Any, Records | None]]:
    """``scored_csv.read_chunks`` of the file, its refusals InvalidInput."""
    from podium.engine import DataError

    try:
        yield from scored_csv.read_chunks(loaded.schema, source, CSV_CHUNK_ROWS)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def score_chunk(
    loaded: predictions.Loaded,
    chunk: Any,
    header: bool,
    prepared: Any = None,
    sent: Records | None = None,
) -> bytes:
    """One chunk with its answers appended, as CSV bytes (``scored_csv.scored_bytes``; the
    answers: :func:`answers`). ``prepared``: the chunk as ``prepare_input`` returned it, when
    the check kept it; ``sent``: its records as sent when the file is echoed."""
    from podium.engine import DataError

    try:
        scored = answers(loaded.pipe, loaded.onnx, chunk, prepared)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None
    return scored_csv.scored_bytes(chunk, scored, header, sent)


def answers(pipe: Any, runtime: OnnxScorer | None, chunk: Any, prepared: Any = None) -> Any:
    """A chunk's answers as every CSV path computes them (the server's CSV predict and
    ``podium predict``): the verified ONNX export's when ``runtime`` is one
    (:func:`predictions.onnx_runtime` chose it), else the engine's ``predict``.
    ``prepared``: the chunk as ``prepare_input`` returned it, when already prepared."""
    from podium.engine import validate_input

    if runtime is None:
        return predictions.quiet_predict(pipe, chunk)
    if prepared is None:
        prepared = validate_input(pipe.podium_metadata_["input_schema"], chunk)
    return runtime.score_frame(prepared)


def stream_csv(
    loaded: predictions.Loaded,
    reader: Ahead[Any, tuple[int, bytes]],
    first: bytes,
    done: Any,
    started: float,
) -> Iterator[bytes]:
    """Yield the first scored chunk, then each next one; call ``done(status, latency, info)``."""
    rows, status = 0, 200
    try:
        yield first
        for n, scored in reader:
            rows += n
            yield scored
    except InvalidInput:
        status = 422
        raise
    except Exception:
        status = 500
        raise
    finally:
        reader.close()
        done(status, (time.perf_counter() - started) * 1000, {"streamed_rows_after_first": rows})
