"""``python -m podium.worker`` — what ``podium serve`` spawns for its embedded workers."""

from __future__ import annotations

import argparse
from typing import NoReturn

from podium.worker.loop import main


def cli() -> NoReturn:
    """Parse ``--parent-pid`` and run the worker."""
    parser = argparse.ArgumentParser(prog="python -m podium.worker")
    parser.add_argument("--parent-pid", type=int, default=None)
    args = parser.parse_args()
    main(parent_pid=args.parent_pid)


if __name__ == "__main__":
    cli()
