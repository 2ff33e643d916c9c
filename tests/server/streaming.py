"""Bodies without a Content-Length: an ASGI driver that counts what the app pulls, and raw
HTTP/1.1 chunked requests over a real socket."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

BOUNDARY = "podium-test-boundary"
CHUNK = 64 * 1024


def multipart_head(filename: str = "big.csv", field_name: str = "file") -> bytes:
    """The start of a multipart body whose file part never ends (the caller sends the data)."""
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field_name}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\na,b\n'
    ).encode()


def endless(head: bytes = b"", line: bytes = b"1,2\n") -> Iterator[bytes]:
    """``head``, then CHUNK-sized pieces of ``line`` repeated, forever."""
    if head:
        yield head
    piece = line * (CHUNK // len(line))
    while True:
        yield piece


@dataclass
class Pulled:
    """What an ASGI app answered, and how much of the body it pulled to get there."""

    status: int = 0
    body: bytes = b""
    messages: int = 0
    bytes: int = 0

    def json(self) -> Any:
        """The answer's JSON body."""
        return json.loads(self.body)


async def _drive(
    app: Any, path: str, headers: dict[str, str], body: Iterator[bytes], limit: int
) -> Pulled:
    pulled = Pulled()
    done = anyio.Event()

    async def receive() -> dict[str, Any]:
        if done.is_set() or pulled.bytes >= limit:
            return {"type": "http.disconnect"}
        chunk = next(body)
        pulled.messages += 1
        pulled.bytes += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": pulled.bytes < limit}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            pulled.status = int(message["status"])
        elif message["type"] == "http.response.body":
            pulled.body += message.get("body", b"")
            if not message.get("more_body"):
                done.set()

    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = post_scope(path, raw)
    await app(scope, receive, send)
    return pulled


def pull(app: Any, path: str, headers: dict[str, str], body: Iterator[bytes], limit: int) -> Pulled:
    """POST ``body`` (no Content-Length; it ends after ``limit`` bytes) straight to the app."""
    return anyio.run(_drive, app, path, headers, body, limit)


@dataclass
class Answer:
    """An HTTP answer read off the socket, and how much body had been sent by then."""

    status: int
    body: bytes
    sent: int
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The answer's JSON body."""
        return json.loads(self.body)


def chunked_post(
    port: int,
    path: str,
    headers: dict[str, str],
    body: Iterator[bytes],
    *,
    limit: int,
    finish: bool = False,
    timeout: float = 60.0,
) -> Answer:
    """POST ``body`` with ``Transfer-Encoding: chunked`` to 127.0.0.1:``port``.

    A thread keeps sending chunks (up to ``limit`` bytes) until the server answers; the answer
    is read meanwhile. With ``limit`` = the size of the first chunk, the server must answer
    from the headers and that chunk alone (or the read times out). ``finish`` ends the body
    properly once ``limit`` bytes are sent.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Transfer-Encoding: chunked"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    answered = threading.Event()
    sent = [0]

    def send_body() -> None:
        try:
            for chunk in body:
                if answered.is_set():
                    return
                if sent[0] >= limit:
                    if finish:
                        sock.sendall(b"0\r\n\r\n")
                    return
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent[0] += len(chunk)
        except OSError:
            return  # the server closed the connection after answering

    sender = threading.Thread(target=send_body, daemon=True)
    sender.start()
    try:
        answer = _read_answer(sock)
        answered.set()
        answer.sent = sent[0]
    finally:
        answered.set()
        sender.join(timeout=timeout)
        sock.close()
    return answer


def _read_answer(sock: socket.socket) -> Answer:
    data = b""
    while b"\r\n\r\n" not in data:
        got = sock.recv(65536)
        if not got:
            raise ConnectionError(f"connection closed before an answer: {data!r}")
        data += got
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        got = sock.recv(65536)
        if not got:
            break
        rest += got
    return Answer(int(status_line.split()[1]), rest[:length], 0, headers)


def written_bytes(pid: int) -> int:
    """Bytes the process has passed to write() so far (files, pipes, sockets): ``wchar``."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    raise RuntimeError(f"no wchar in /proc/{pid}/io")


def post_scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """The ASGI scope of an HTTP/1.1 POST to ``path`` from a test client."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "server": ("testserver", 80),
        "client": ("testclient", 50000),
    }
