"""Imported by the pool's fork server (:mod:`podium.engine.run.forkserver`) before it forks
any worker: the fitting code and every model module, then the heap frozen.

Importing this module is its whole purpose: the fork server imports the modules it is told to
preload and runs nothing else. The imports run with the cyclic garbage collector off: they build
~136,000 tracked objects and create no garbage cycles, and its ~400 collections while they ran
walked those objects for ~15 % of the server's CPU and freed nothing (bench/RESULTS.md, "The
fork server's imports without the collector"). ``gc.freeze()`` then moves what the imports built
out of the collector's generations, so a worker's collections never write to those objects'
pages and they stay shared with the server and the other workers; the collector is on again
before the server forks (its workers inherit that).
"""

from __future__ import annotations

import gc


def _preload() -> None:
    # imported here, not at the top: the collector must be off before the imports run
    from podium.engine.run import executors  # noqa: F401  (the worker's initializer lives there)
    from podium.engine.run.fits import warm_up

    warm_up()


gc.disable()
try:
    _preload()
finally:
    gc.freeze()
    gc.enable()
