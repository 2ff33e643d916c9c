"""Streamed multipart forms: the file part goes to a sink as it arrives, counted and capped.

FastAPI's ``File``/``Form`` parameters (and Starlette's ``request.form()``) spool the whole body
to a temporary file before the handler runs, and before any dependency can refuse the caller:
an anonymous chunked upload was written to disk whole. Routes that take a file declare no body
parameter; their dependencies check the caller from the headers, then they read the body here:
at most ``max_file_bytes`` of the file reach the sink, and the request is refused (413) on the
first byte past the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from anyio import to_thread
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from podium.server.errors import InvalidInput, TooLarge

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_FILENAME = 255
MAX_PARTS = 16
MAX_HEADER_BYTES = 64 * 1024
FORM_OVERHEAD = 1024 * 1024  # form fields, part headers and boundaries beside the file
FLUSH_BYTES = 1024 * 1024  # file bytes handed to the sink per thread hop


class FileSink(Protocol):
    """Where the file part's bytes go (called from a worker thread)."""

    def write(self, chunk: bytes, /) -> object:
        """Take the next bytes of the file."""
        ...


@dataclass
class Form:
    """What a form held: its text fields and, if one was sent, the file's name and size."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    file_size: int = 0


def too_large(cap: int, setting: str, what: str = "the file") -> TooLarge:
    """The 413 naming the cap and the setting that raises it."""
    return TooLarge(
        f"{what} is larger than the limit of {cap:,} bytes ({setting}): "
        "send a smaller file, or ask the administrator to raise the limit"
    )


def boundary_of(request: Request) -> bytes:
    """The multipart boundary of the request (InvalidInput when it is not a multipart form)."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise InvalidInput("send the file as a multipart/form-data form with a 'file' field")
    return params[b"boundary"]


async def read_form(
    request: Request,
    *,
    open_file: Callable[[str], FileSink],
    max_file_bytes: int,
    setting: str,
    fields: Mapping[str, int] | None = None,
    file_field: str = "file",
) -> Form:
    """Read a multipart body: text ``fields`` (name → most characters) and one file part.

    ``open_file(filename)`` is called when the file part starts and returns its sink. Other
    text fields are skipped. Raises TooLarge past ``max_file_bytes`` (naming ``setting``) and
    InvalidInput for a malformed form, a second file, a file name over MAX_FILENAME
    characters or a field over its length.
    """
    parser = _FormParser(open_file, max_file_bytes, setting, dict(fields or {}), file_field)
    multipart = MultipartParser(
        boundary_of(request), parser.callbacks(), max_header_size=MAX_HEADER_BYTES
    )
    received, cap = 0, max_file_bytes + FORM_OVERHEAD
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > cap:
                raise too_large(max_file_bytes, setting)
            multipart.write(chunk)
            await parser.flush(FLUSH_BYTES)
            if parser.complete:
                break
        await parser.flush(0)
    except FormParserError as exc:
        raise InvalidInput(f"the form data is malformed: {_parse_error(exc)}") from None
    if not parser.complete:
        raise InvalidInput("the form data ends before its closing boundary (cut short?)")
    return parser.form


def _parse_error(exc: FormParserError) -> str:
    text = str(exc)
    if "header size" in text:
        return f"a part's headers are longer than {MAX_HEADER_BYTES:,} bytes"
    return text


@dataclass
class _Part:
    name: str = ""
    is_file: bool = False
    data: bytearray = field(default_factory=bytearray)
    disposition: bytes = b""


class _FormParser:
    """python-multipart callbacks that build a :class:`Form` and feed the file sink."""

    def __init__(
        self,
        open_file: Callable[[str], FileSink],
        max_file_bytes: int,
        setting: str,
        limits: dict[str, int],
        file_field: str,
    ) -> None:
        self.open_file, self.max_file_bytes, self.setting = open_file, max_file_bytes, setting
        self.limits, self.file_field = limits, file_field
        self.form = Form()
        self.sink: FileSink | None = None
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.parts = 0
        self.complete = False
        self.part = _Part()
        self.header = [b"", b""]

    def callbacks(self) -> MultipartCallbacks:
        """The callback table python-multipart calls."""
        return {
            "on_part_begin": self.on_part_begin,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_end": self.on_end,
        }

    async def flush(self, at_least: int) -> None:
        """Hand pending file bytes to the sink (in a thread) once ``at_least`` are pending."""
        if self.pending and self.pending_size >= at_least and self.sink is not None:
            data, self.pending, self.pending_size = b"".join(self.pending), [], 0
            await to_thread.run_sync(self.sink.write, data)

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        """Part of a header's name."""
        self.header[0] += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        """Part of a header's value."""
        self.header[1] += data[start:end]

    def on_part_begin(self) -> None:
        """A new part starts."""
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise InvalidInput(f"the form has more than {MAX_PARTS} parts")
        self.part = _Part()

    def on_header_end(self) -> None:
        """One header line of the part is complete."""
        name, value = self.header
        if name.strip().lower() == b"content-disposition":
            self.part.disposition = value
        self.header = [b"", b""]

    def on_headers_finished(self) -> None:
        """The part's headers are read: a text field, or the file (whose sink opens now)."""
        _, options = parse_options_header(self.part.disposition)
        self.part.name = options.get(b"name", b"").decode("utf-8", "replace")
        if not self.part.name:
            raise InvalidInput("a part of the form has no field name")
        if b"filename" not in options:
            return
        if self.part.name != self.file_field:
            raise InvalidInput(
                f"unexpected file field {self.part.name!r}: send the file as {self.file_field!r}"
            )
        if self.form.filename is not None:
            raise InvalidInput("send exactly one file")
        filename = options[b"filename"].decode("utf-8", "replace")
        if len(filename) > MAX_FILENAME:
            raise InvalidInput(
                f"the file name is {len(filename):,} characters long; the limit is "
                f"{MAX_FILENAME}: rename the file and upload it again"
            )
        self.part.is_file, self.form.filename = True, filename
        self.sink = self.open_file(filename)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        """Bytes of the part: counted against the cap (file) or the field's length."""
        chunk = data[start:end]
        if self.part.is_file:
            self.form.file_size += len(chunk)
            if self.form.file_size > self.max_file_bytes:
                raise too_large(self.max_file_bytes, self.setting)
            self.pending.append(chunk)
            self.pending_size += len(chunk)
            return
        limit = self.limits.get(self.part.name)
        if limit is not None and len(self.part.data) + len(chunk) > 4 * limit:
            raise self._too_long(limit)
        if limit is not None:
            self.part.data += chunk

    def on_part_end(self) -> None:
        """A text field is complete: decode and check it."""
        limit = self.limits.get(self.part.name)
        if self.part.is_file or limit is None:
            return
        try:
            text = self.part.data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"form field {self.part.name!r} is not UTF-8 text") from None
        if len(text) > limit:
            raise self._too_long(limit)
        self.form.fields[self.part.name] = text

    def on_end(self) -> None:
        """The closing boundary was read."""
        self.complete = True

    def _too_long(self, limit: int) -> InvalidInput:
        return InvalidInput(f"form field {self.part.name!r} is longer than {limit:,} characters")
