"""Errors raised by the engine: every one carries a message a user can act on."""

from __future__ import annotations

from typing import Any

from podium.engine.records import Leaderboard

#: how to fix a file that is not UTF-8, in every message that says so (upload, CSV predict)
NOT_UTF8_FIX = "re-save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet) and try again"


class DataError(ValueError):
    """Bad data or bad input: the message names the column, parameter or id and what to do."""


class TableTooLarge(DataError):
    """A table over a size limit given to ``read_table`` (rows, columns or expanded bytes).

    Parameters
    ----------
    message : str
        What is too large, in words.
    measure : str
        ``"rows"``, ``"columns"`` or ``"bytes"`` (the table's size once read into memory).
    value : int
        The table's size in that measure (for bytes: at least this much).
    limit : int
        The limit it exceeds.
    """

    def __init__(self, message: str, measure: str, value: int, limit: int) -> None:
        super().__init__(message)
        self.measure, self.value, self.limit = measure, value, limit


def shown(value: object) -> str:
    """A data value as a message shows it: ``0`` and ``'yes'``, never ``np.int64(0)``.

    NumPy scalars become the Python value they hold; text is quoted; other objects
    (dates, ...) are shown as their quoted text.

    >>> import numpy as np
    >>> shown(np.int64(0)), shown(np.float64(2.5)), shown("no"), shown(np.True_)
    ('0', '2.5', "'no'", 'True')
    """
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        value = item()
    if isinstance(value, bool | int | float | str | None):
        return repr(value)
    return repr(str(value))


class ArtifactError(Exception):
    """A saved pipeline is missing, tampered with, or holds types that are not trusted."""


class Interrupted(Exception):
    """A run that ended before its end; it keeps what finished (see :class:`Cancelled` and
    :class:`Failed`).

    Parameters
    ----------
    message : str
        What was stopped.
    leaderboard : dict
        The JSON table of the rows that finished before the stop.
    result : dict, optional
        What else the stopped run keeps (tune: the best model so far as a recipe under
        ``models``, ``best`` and ``trials``), so it stays promotable.
    predictions : dict, optional
        The out-of-fold (and holdout) predictions (``ModelPredictions``) of the models that
        finished before the stop, by model id, so their evaluation plots can still be drawn.
    """

    def __init__(
        self,
        message: str,
        leaderboard: Leaderboard | None = None,
        result: dict[str, Any] | None = None,
        predictions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.leaderboard: Leaderboard = leaderboard or {"columns": [], "rows": []}
        self.result: dict[str, Any] = dict(result or {})
        self.predictions: dict[str, Any] = dict(predictions or {})


class Cancelled(Interrupted):
    """The run was stopped by ``should_stop``; ``leaderboard`` keeps the rows that finished."""


class Failed(Interrupted):
    """An unexpected error (not one model's failure: a database that refused a write, a lost
    cluster) ended the run; ``__cause__`` is that error, and the models that had finished keep
    their rows and predictions."""
