"""Engine events: the only way the engine reports progress (see docs/contracts.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

EVENT_KINDS = (
    "setup.started",
    "setup.finished",
    "model.started",
    "model.fitted",
    "model.failed",
    "model.stopped",
    "leaderboard.updated",
    "compare.finished",
    "create.finished",
    "trial.finished",
    "tune.finished",
    "ensemble.finished",
    "blend.finished",
    "stack.finished",
    "auto.stage",
    "auto.finished",
    "warning",
)


@dataclass(frozen=True)
class EngineEvent:
    """One progress event.

    Parameters
    ----------
    kind : str
        A dotted kind from :data:`EVENT_KINDS`.
    payload : dict
        JSON-serialisable content, pinned per kind in docs/contracts.md.
    duration_ms : int or None
        Time spent on what the event reports (fit + score for ``model.fitted``).

    Examples
    --------
    >>> EngineEvent("warning", {"code": "x", "message": "y"}).kind
    'warning'
    """

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    duration_ms: int | None = None


OnEvent = Callable[[EngineEvent], None]
ShouldStop = Callable[[], bool]


class Emitter:
    """Calls ``on_event`` (when given) and keeps nothing else; a ``None`` callback is a no-op."""

    def __init__(self, on_event: OnEvent | None) -> None:
        self._on_event = on_event

    def __call__(self, kind: str, payload: dict[str, Any], duration_ms: int | None = None) -> None:
        """Emit one event of ``kind``."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        if self._on_event is not None:
            self._on_event(EngineEvent(kind, payload, duration_ms))

    def warning(self, code: str, message: str, column: str | None = None) -> None:
        """Emit a ``warning`` event."""
        payload: dict[str, Any] = {"code": code, "message": message}
        if column is not None:
            payload["column"] = column
        self("warning", payload)
