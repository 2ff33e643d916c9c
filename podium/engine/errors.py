"""Errors raised by the engine: every one carries a message a user can act on."""

from __future__ import annotations

from typing import Any


class DataError(ValueError):
    """Bad data or bad input: the message names the column, parameter or id and what to do."""


class ArtifactError(Exception):
    """A saved pipeline is missing, tampered with, or holds types that are not trusted."""


class Cancelled(Exception):
    """The run was stopped by ``should_stop``; ``leaderboard`` keeps the rows that finished.

    Parameters
    ----------
    message : str
        What was stopped.
    leaderboard : dict
        The JSON table of the rows that finished before the stop.
    """

    def __init__(self, message: str, leaderboard: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.leaderboard: dict[str, Any] = leaderboard or {"columns": [], "rows": []}
