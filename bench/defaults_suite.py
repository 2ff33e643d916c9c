"""Suite ``defaults``: the default compare as a user meets it (issue 11, "no stall").

For each table of ``datasets.DEFAULTS`` (the real tables scikit-learn ships — 150 to 1,797 rows,
4 to 64 columns — then a seeded 5,000-row mixed table and a seeded 2,000-row table with ~300
encoded columns), nothing chosen but the data and the target:

- **Over the API, warm worker**: a real ``podium serve`` with one embedded worker, warmed by one
  unmeasured iris compare; the table uploaded as CSV, an experiment with the engine's defaults, a
  ``compare`` with no ``plan_params``, the WebSocket opened right after the submit. Measured:
  submit → first ``leaderboard.updated`` (target ≤ 1.5 s) and → ``run.finished``; the models the
  default left out (``costly_models`` warning) and those stopped by their time limit.
- **Against PyCaret 3.3.2**: ``setup`` + default ``compare_models`` (its turbo list, its 10 folds,
  Accuracy / R2) in its own venv, and Podium's ``setup`` + ``compare()`` with its defaults (its
  cost-following list, 5 folds), each in a fresh subprocess on the same CSV bytes, cold (first
  compare of the process) and warm (a second one, pools running). Target: Podium never slower
  (ratio ≤ 1). The two sides run different model lists and fold counts — each tool's defaults
  are what is compared.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench import datasets
from bench.common import DATA, ROOT, Unavailable, table
from bench.engine_suite import _side, check_engine, prime_bytecode, run_podium, run_pycaret
from bench.serverkit import EventRecorder, Server, check_server

TARGET_FIRST_ROW_S = 1.5
TARGET_RATIO = 1.0


def _spec(ds: datasets.Dataset) -> dict[str, Any]:
    """Both sides' defaults: no models, folds or sort given."""
    return {
        "data": str(ds.path),
        "target": datasets.TARGET,
        "task": ds.task,
        "models": None,
        "folds": None,
        "train_size": 0.7,
        "seed": datasets.SEED,
        "sort": None,
    }


def over_api(server: Server, ds: datasets.Dataset) -> dict[str, Any]:
    """Upload, default experiment, default compare; first row and finish over the WebSocket."""
    source = server.api.upload(ds.path, f"{ds.name}.csv")
    exp = server.api.experiment(ds.name, ds.task, datasets.TARGET, data_source_id=source)
    t0 = time.time()
    run = server.api.submit(exp, "compare")
    rec = EventRecorder(server.api.ws_url(run["id"]))
    rec.start()
    rec.join(3600)
    if rec.error:
        raise Unavailable(f"WebSocket: {rec.error}")
    first = rec.first("leaderboard.updated")
    done = rec.first("run.finished") or rec.first("run.failed")
    final = server.api.wait(run["id"], 60)
    rows = (final.get("leaderboard") or {}).get("rows") or []
    left = [m for _, e in rec.events for m in (e.get("payload") or {}).get("models") or []]
    first_progress = next(
        (e["payload"]["progress"] for _, e in rec.events if "progress" in (e.get("payload") or {})),
        None,
    )
    return {
        "status": final["status"],
        "first_row_s": (first[0] - t0) if first else None,
        "finished_s": (done[0] - t0) if done else None,
        "models": len(rows),
        "left_out": left,
        "timed_out": [r["model_id"] for r in rows if "time limit" in str(r.get("Error") or "")],
        "first_eta_s": (first_progress or {}).get("eta_s"),
        "best": rows[0]["model_id"] if rows else None,
    }


def server_side(names: list[str]) -> dict[str, dict[str, Any]]:
    """The API measures of every table, one warm embedded worker."""
    check_server()
    out: dict[str, dict[str, Any]] = {}
    with Server(embedded_workers=1) as server:
        warm = server.api.experiment("warm-up", "multiclass", "target", sklearn_dataset="iris")
        server.api.wait(server.api.submit(warm, "compare")["id"])  # pool started, modules in
        for name in names:
            out[name] = over_api(server, datasets.load(name))
            r = out[name]
            print(
                f"- {name}: API first row {r['first_row_s']:.2f} s, finished "
                f"{r['finished_s']:.1f} s ({r['status']}, {r['models']} models, left out "
                f"{','.join(r['left_out']) or '—'}, stopped {','.join(r['timed_out']) or '—'})"
            )
    return out


def engine_side(names: list[str], pycaret: bool) -> dict[str, dict[str, Any]]:
    """Podium's default compare and PyCaret's default ``compare_models``, cold and warm."""
    check_engine()
    prime_bytecode()
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        ds = datasets.load(name)
        spec = _spec(ds)
        podium = _side("Podium", run_podium({**spec, "repeats": 2}))
        anchor = _side("PyCaret", run_pycaret({**spec, "warm": True})) if pycaret else {}
        rec = {
            "podium": {k: v for k, v in podium.items() if k not in ("leaderboard", "warm")},
            "podium_warm": (podium.get("warm") or [{}])[0],
            "pycaret": {k: v for k, v in anchor.items() if k not in ("leaderboard", "warm")},
            "pycaret_warm": (anchor.get("warm") or [{}])[0],
        }
        for key, a, b in (
            ("ratio", "podium", "pycaret"),
            ("ratio_warm", "podium_warm", "pycaret_warm"),
        ):
            if rec[a].get("wall_s") and rec[b].get("wall_s"):
                rec[key] = rec[a]["wall_s"] / rec[b]["wall_s"]
        out[name] = rec
        nan = float("nan")
        p, pw, c, cw = (rec[k] for k in ("podium", "podium_warm", "pycaret", "pycaret_warm"))
        print(
            f"- {name}: Podium cold {p.get('wall_s', nan):.2f} s / warm "
            f"{pw.get('wall_s', nan):.2f} s ({p.get('models_ran')} models) | PyCaret cold "
            f"{c.get('wall_s', nan):.2f} s / warm {cw.get('wall_s', nan):.2f} s "
            f"({c.get('models_ran')} models)"
        )
    return out


def summary(names: list[str], api: dict[str, Any], eng: dict[str, Any]) -> str:
    """One row per table (Markdown)."""
    rows = []
    for name in names:
        ds = datasets.load(name)
        a, e = api.get(name, {}), eng.get(name, {})
        p, pw = e.get("podium", {}), e.get("podium_warm", {})
        c, cw = e.get("pycaret", {}), e.get("pycaret_warm", {})
        rows.append(
            [
                name, f"{ds.rows:,}", ds.task, a.get("first_row_s"), a.get("finished_s"),
                a.get("models"), ",".join(a.get("left_out") or []) or "—",
                ",".join(a.get("timed_out") or []) or "—",
                pw.get("wall_s"), cw.get("wall_s"), e.get("ratio_warm"),
                p.get("wall_s"), c.get("wall_s"), e.get("ratio"),
                f"{p.get('best_model')} {p.get('best_score')}" if p else "—",
                f"{c.get('best_model')} {c.get('best_score')}" if c else "—",
            ]
        )  # fmt: skip
    headers = [
        "table", "rows", "task", "API 1st row s", "API finished s", "models", "left out",
        "stopped", "Podium warm s", "PyCaret warm s", "ratio warm", "Podium cold s",
        "PyCaret cold s", "ratio cold", "Podium best", "PyCaret best",
    ]  # fmt: skip
    notes = (
        f"\nTargets: API first row ≤ {TARGET_FIRST_ROW_S} s (warm worker); default-compare "
        f"wall ratio Podium ÷ PyCaret ≤ {TARGET_RATIO:g} (never slower). Each side runs its own "
        "defaults (Podium: models by cost, 5 folds; PyCaret: turbo list, 10 folds). API columns: "
        "submit → first leaderboard.updated / run.finished over the WebSocket; engine columns: "
        "setup + compare inside a fresh subprocess, cold = first compare, warm = second."
    )
    return table(headers, rows) + notes


def run(
    names: list[str] | None = None, *, pycaret: bool = True, server: bool = True
) -> dict[str, Any]:
    """Run the suite on ``names`` (default: ``datasets.DEFAULTS``); print and save the table."""
    names = names or list(datasets.DEFAULTS)
    api = server_side(names) if server else {}
    eng = engine_side(names, pycaret)
    print()
    print(summary(names, api, eng))
    result = {"api": api, "engine": eng}
    out = DATA / "results" / f"defaults-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=str))
    print(f"\n(records: {out.relative_to(ROOT)})")
    return result
