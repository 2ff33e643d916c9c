"""``python -m bench [engine|server|predict|scale|all] [options]`` — see bench/README.md."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import compare_suite, datasets, quality_suite
from bench.common import DATA, ROOT, Unavailable, machine_load, section

SUITES = {
    "engine": "Podium compare vs PyCaret 3.3.2 compare_models (wall, best score, memory, overhead)",
    "server": "iris compare over API + WebSocket: first row, finished, cancel, event latency, RSS",
    "predict": "single-row and 100k-batch predict: Podium HTTP vs engine predict vs MLflow serve",
    "serve": "throughput: wrk, 20 concurrent clients, Podium vs MLflow serve",
    "scale": "12-run queue drained by 1/2/3 workers; process pool vs Dask LocalCluster overhead",
    "defaults": "default compare per table: API first row (warm worker), wall vs PyCaret's default",
    "quality": "auto(budget) test score vs FLAML, AutoGluon (2 presets), PyCaret compare→tune",
    "tune": "tune(model, n_trials) best CV score vs the model's defaults, per model and table",
    "compare": "default compare, raced and full, vs PyCaret's default compare_models, 10k-1M rows",
    "forecast": "forecasting compare vs PyCaret time_series compare_models: mean MASE and wall",
    "cold": "a fresh process's first compare vs its second: overheads, cold ÷ warm",
    "memory": "peak RSS / PSS of a 1M-row compare's process tree, and of the pool alone (floor)",
}


def _parser() -> argparse.ArgumentParser:
    epilog = "suites:\n" + "\n".join(f"  {k:8} {v}" for k, v in SUITES.items())
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Podium's benchmarks: side-by-side measurements printed as ratios.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("suite", nargs="?", default="all", choices=[*SUITES, "all"])
    p.add_argument(
        "--datasets",
        default=None,
        help="engine: comma-separated datasets (default: the small ones + synth100k); "
        "cold: the first one (default synth10k)",
    )
    p.add_argument("--big", action="store_true", help="engine: add the 1M-row table (slow)")
    p.add_argument("--quick", action="store_true", help="engine: small datasets only")
    p.add_argument("--models", default="", help="engine/scale: comma-separated model ids")
    p.add_argument("--folds", type=int, default=5, help="engine: CV folds (default 5)")
    p.add_argument("--no-pycaret", action="store_true", help="engine: Podium side only")
    p.add_argument(
        "--lone", action="store_true", help="memory: each model alone on one fold, no Podium"
    )
    p.add_argument(
        "--fit-memory-mb", type=float, default=None,
        help="memory: the scheduler's memory admission budget in MiB (default its own)",
    )  # fmt: skip
    p.add_argument("--repeats", type=int, default=5, help="server: iris compares (default 5)")
    p.add_argument("--calls", type=int, default=1000, help="predict: single-row calls")
    p.add_argument("--predict-model", default="lightgbm", help="predict: the model to deploy")
    p.add_argument("--no-mlflow", action="store_true", help="predict/serve: skip MLflow's server")
    p.add_argument("--api-workers", type=int, default=2, help="serve: server processes per side")
    p.add_argument("--clients", type=int, default=20, help="serve: concurrent connections")
    p.add_argument("--duration", type=int, default=30, help="serve: seconds of load per side")
    p.add_argument("--workers", default="1,2,3", help="scale: worker counts (default 1,2,3)")
    p.add_argument("--dask-dataset", default="mixed", help="scale: dataset for the Dask part")
    p.add_argument(
        "--tables",
        default=",".join(datasets.DEFAULTS),
        help="defaults: comma-separated tables (default: the sklearn ones + mixed + wide_reg)",
    )
    p.add_argument("--no-server", action="store_true", help="defaults: skip the API part")
    p.add_argument(
        "--sizes",
        default="synth10k,synth50k,synth100k",
        help="compare: tables, smallest first (add synth1m for 1M rows)",
    )
    p.add_argument("--no-full", action="store_true", help="compare: skip Podium's race=False run")
    p.add_argument(
        "--no-podium", action="store_true", help="compare: PyCaret's side only (with --no-full)"
    )
    p.add_argument(
        "--anchor-timeout",
        type=float,
        default=compare_suite.TIMEOUT_S,
        help="compare: stop PyCaret's side after this many seconds and report a lower bound on "
        "its wall from its CPU time (default 7200)",
    )
    p.add_argument(
        "--quality-tables",
        default=",".join(quality_suite.available_tables()),
        help="quality: comma-separated tables (default: all nine)",
    )
    p.add_argument(
        "--systems",
        default=",".join(quality_suite.SYSTEM_IDS),
        help="quality: comma-separated systems (podium, flaml, ag_medium, ag_best, pycaret)",
    )
    p.add_argument("--budget", type=float, default=60.0, help="quality: seconds per system")
    p.add_argument(
        "--reuse",
        default="",
        help="quality: systems whose stored result at the same budget is reused (e.g. anchors)",
    )
    p.add_argument(
        "--podium-mode",
        default="auto",
        choices=["auto", "compare"],
        help="quality: Podium's auto plan, or its plain compare + finalize (reference)",
    )
    p.add_argument(
        "--stored",
        action="store_true",
        help="quality: print the table of the stored results only (both Podium modes), run nothing",
    )
    p.add_argument("--trials", type=int, default=30, help="tune: trials per model (default 30)")
    return p


def _runners(args: argparse.Namespace) -> dict[str, Callable[[], Any]]:
    from bench import (
        cold_suite,
        compare_suite,
        defaults_suite,
        engine_suite,
        forecast_suite,
        memory_suite,
        predict_suite,
        scale_suite,
        serve_suite,
        server_suite,
        tune_suite,
    )

    given = args.datasets or ",".join([*datasets.SMALL, "synth100k"])
    names = datasets.SMALL if args.quick else [n for n in given.split(",") if n]
    if args.big and "synth1m" not in names:
        names = [*names, "synth1m"]
    models = [m for m in args.models.split(",") if m] or None
    return {
        "engine": lambda: engine_suite.run(
            names, models=models, folds=args.folds, pycaret=not args.no_pycaret
        ),
        "server": lambda: server_suite.run(repeats=args.repeats),
        "predict": lambda: predict_suite.run(
            n=args.calls, model=args.predict_model, mlflow=not args.no_mlflow
        ),
        "serve": lambda: serve_suite.run(
            seconds=args.duration,
            clients=args.clients,
            workers=args.api_workers,
            mlflow=not args.no_mlflow,
        ),
        "scale": lambda: scale_suite.run(
            tuple(int(n) for n in args.workers.split(",")), models, args.dask_dataset
        ),
        "defaults": lambda: defaults_suite.run(
            [n for n in args.tables.split(",") if n],
            pycaret=not args.no_pycaret,
            server=not args.no_server,
        ),
        "quality": lambda: (
            quality_suite.stored(_names(args.quality_tables), _names(args.systems), args.budget)
            if args.stored
            else quality_suite.run(
                _names(args.quality_tables),
                systems=_names(args.systems),
                budget_s=args.budget,
                reuse=_names(args.reuse),
                mode=args.podium_mode,
            )
        ),
        "compare": lambda: compare_suite.run(
            [n for n in args.sizes.split(",") if n],
            pycaret=not args.no_pycaret,
            full=not args.no_full,
            folds=args.folds,
            anchor_timeout_s=args.anchor_timeout,
            podium=not args.no_podium,
        ),
        "memory": lambda: (
            memory_suite.lone(names[0] if args.datasets else "synth1m", models=models)
            if args.lone
            else memory_suite.run(
                names[0] if args.datasets else "synth1m", models, args.fit_memory_mb
            )
        ),
        "cold": lambda: cold_suite.run(names[0] if args.datasets else "synth10k", models=models),
        "forecast": lambda: forecast_suite.run(pycaret=not args.no_pycaret),
        "tune": lambda: tune_suite.run(
            _names(args.quality_tables), n_trials=args.trials, models=_names(args.models) or None
        ),
    }


def _names(text: str) -> list[str]:
    return [n for n in text.split(",") if n]


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites; a suite whose piece is not built yet is skipped with the reason."""
    args = _parser().parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    chosen = list(SUITES) if args.suite == "all" else [args.suite]
    print(f"# Podium bench — {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
    print(f"command: python -m bench {' '.join(argv if argv is not None else sys.argv[1:])}")
    print(f"machine: {machine_load()}")
    runners = _runners(args)
    outcome: dict[str, Any] = {}
    for name in chosen:
        with section(f"{name}: {SUITES[name]}"):
            try:
                outcome[name] = runners[name]()
            except Unavailable as exc:
                print(f"SKIPPED {name}: {exc}")
                outcome[name] = {"skipped": str(exc)}
    print(f"\nmachine after: {machine_load()}")
    out = DATA / "results" / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(outcome, indent=1, default=str))
    print(f"(all measurements: {out.relative_to(ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
