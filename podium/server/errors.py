"""The service layer's errors. The API maps each to one HTTP status (see ``server.app``).

Messages reach users: say what is wrong and how to fix it.
"""

from __future__ import annotations

import re
from pathlib import Path


class PodiumError(Exception):
    """Base of every error the service layer raises on purpose."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class InvalidInput(PodiumError):
    """The request is well formed but its content is not acceptable (422)."""


class Unauthorized(PodiumError):
    """No, bad or expired credentials (401)."""


class Forbidden(PodiumError):
    """Authenticated, but the role does not allow this (403)."""


class NotFound(PodiumError):
    """Unknown id, or a resource in a workspace the caller is not a member of (404)."""


class Conflict(PodiumError):
    """The current state forbids the change (409)."""


class Gone(PodiumError):
    """The thing existed but can no longer be used: an expired, used or revoked link (410)."""


class TooLarge(PodiumError):
    """The upload or body exceeds the configured cap (413)."""


class TooManyRequests(PodiumError):
    """Too many attempts in the window; ``retry_after_s`` says when to try again (429)."""

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


def not_found(kind: str, ident: object) -> NotFound:
    """Build the standard 404 for ``kind`` with id ``ident``."""
    return NotFound(f"{kind} {ident} not found")


def without_paths(text: str, *roots: Path | str) -> str:
    """``text`` with every path under ``roots`` cut to its file name.

    Messages never show where the server keeps its files: a library's error quoting
    ``/srv/podium/artifacts/workspaces/…/pipeline.skops`` says ``pipeline.skops``.

    >>> without_paths("no manifest in /srv/a/ws/1/p.skops here", "/srv/a")
    'no manifest in p.skops here'
    """
    for root in sorted({str(r).rstrip("/") for r in roots}, key=len, reverse=True):
        if root:
            text = re.sub(re.escape(root) + r"(?:/[^/\s'\"]+)*/", "", text)
            text = text.replace(root, "the server's data folder")
    return text
