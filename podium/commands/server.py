"""Service commands: ``podium serve``, ``podium worker``, ``podium db``, ``podium user``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach the service commands to ``app``."""
