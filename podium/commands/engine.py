"""Engine commands: ``podium compare``, ``podium create``, ``podium predict``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the engine commands to ``app``."""
