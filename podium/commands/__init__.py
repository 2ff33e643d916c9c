"""Command modules of the ``podium`` CLI (see :mod:`podium.cli`)."""
