"""Imported by the pool's fork server (:mod:`podium.engine.run.forkserver`) before it forks
any worker: the fitting code and every model module, then the heap frozen.

Importing this module is its whole purpose: the fork server imports the modules it is told to
preload and runs nothing else. ``gc.freeze()`` moves what the imports built out of the
collector's generations, so a worker's collections never write to those objects' pages and
they stay shared with the server and the other workers.
"""

from __future__ import annotations

import gc

from podium.engine.run import executors  # noqa: F401  (the worker's initializer lives there)
from podium.engine.run.fits import warm_up

warm_up()
gc.collect()
gc.freeze()
