"""The ``podium`` command line: one Typer app assembled from the command modules.

Engine commands (``compare``, ``create``, ``predict``) live in :mod:`podium.commands.engine`,
``tune`` and ``auto`` in :mod:`podium.commands.improve`;
service commands (``serve``, ``worker``, ``db``, ``user``) in :mod:`podium.commands.server`.
"""

from __future__ import annotations

import typer

from podium import __version__
from podium.commands import engine as engine_commands
from podium.commands import improve as improve_commands
from podium.commands import server as server_commands

app = typer.Typer(
    name="podium",
    help="Podium: a self-hosted AutoML studio. Compare models, promote the winner, serve it.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"podium {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Podium command line."""


engine_commands.register(app)
improve_commands.register(app)
server_commands.register(app)
