"""The floor of a compare's memory: Podium's parent and its warm process pool, no data.

Usage: ``python -m bench.runners.podium_floor '<json spec>'`` (``n_jobs``: workers, default the
cores). Imports what a compare imports (pandas, the engine), starts the default process pool and
waits until every worker has imported the fitting code and the model modules, holds still for
``hold_s`` seconds (default 3) so the sampler sees it, and prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    spec = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    t0 = time.perf_counter()
    import pandas  # noqa: F401

    import podium.engine  # noqa: F401
    from podium.engine.run.executors import ProcessExecutor

    imported = time.perf_counter() - t0
    ProcessExecutor(spec.get("n_jobs")).warm(timeout=600)
    warm = time.perf_counter() - t0
    time.sleep(float(spec.get("hold_s", 3.0)))
    print(json.dumps({"import_s": imported, "pool_ready_s": warm}))


if __name__ == "__main__":
    main()
