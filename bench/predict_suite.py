"""Suite ``predict``: one promoted pipeline scored three ways, side by side.

1. Podium over HTTP with auth on (a ``workspace`` deployment, bearer token): single-row
   ``POST /deployments/{slug}/predict`` latency (p50/p95 over N calls, one keep-alive client) and
   a 100k-row ``/predict/csv`` batch. The same pipeline behind a ``public`` deployment (no
   auth), single rows only: the cost of auth is the difference.
2. The engine's bare ``predict`` on the same artifact in this process (the floor), and the
   server's own scoring of one JSON row in this process (its verified fast path, no HTTP).
3. MLflow's scoring server (``mlflow models serve --env-manager local``, its own venv) serving the
   same fitted scikit-learn pipeline object: ``/invocations`` single rows and the 100k CSV.

The pipeline: a model (default LightGBM) trained by a Podium run on 5,000 rows of the synthetic
table (20 numeric + 2 categorical columns, missing values), promoted and deployed.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from bench import datasets
from bench.common import (
    DATA,
    ROOT,
    Unavailable,
    ensure_venv,
    percentile,
    table,
    tail,
)
from bench.serverkit import Server, check_server, served
from tests.ports import free_port

MLFLOW_REQUIREMENTS = ["mlflow", "lightgbm", "skops", "pyarrow", "threadpoolctl", "psutil"]
TARGET_P95_MS = 5.0
TARGET_BATCH_S = 5.0
BATCH_ROWS = 100_000


def _tables() -> tuple[Path, Path, dict[str, Any]]:
    """(training CSV, 100k batch CSV without target, one row as JSON-able dict)."""
    DATA.mkdir(parents=True, exist_ok=True)
    train, batch = DATA / "predict-train.csv", DATA / "predict-batch100k.csv"
    if not train.exists():
        datasets.synthetic(5_000, seed=7).to_csv(train, index=False)
    if not batch.exists():
        df = datasets.synthetic(BATCH_ROWS, seed=8).drop(columns=[datasets.TARGET])
        df.to_csv(batch, index=False)
    row = pd.read_csv(batch, nrows=1).iloc[0]
    return train, batch, {k: (None if pd.isna(v) else v) for k, v in row.items()}


def _latencies(call: Callable[[], Any], n: int) -> list[float]:
    for _ in range(min(20, n)):  # warm-up (caches, lazy loads)
        call()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        call()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _timed(call: Callable[[], Any]) -> float:
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def deploy(server: Server, train: Path, model: str) -> dict[str, Any]:
    """Upload, run, promote, deploy; return the pipeline row and the slug."""
    api = server.api
    src = api.upload(train, "bench-train")
    exp = api.experiment("predict", "binary", datasets.TARGET, data_source_id=src)
    run = api.submit(exp, "compare", plan_params={"models": [model]})
    done = api.wait(run["id"], 600)
    if done["status"] != "succeeded":
        raise Unavailable(f"training run ended {done['status']}: {done.get('error')}")
    pipe = api.call("POST", f"/runs/{run['id']}/promote", json={"name": "bench"})
    deadline = time.monotonic() + 300
    while pipe["status"] == "building" and time.monotonic() < deadline:
        time.sleep(0.5)
        pipe = api.call("GET", f"/pipelines/{pipe['id']}")
    if pipe["status"] != "ready":
        raise Unavailable(f"pipeline build ended {pipe['status']}: {pipe.get('error')}")
    body = {"slug": "bench", "auth_mode": "workspace"}
    api.call("POST", f"/pipelines/{pipe['id']}/deployments", json=body)
    body = {"slug": "bench-public", "auth_mode": "public"}
    api.call("POST", f"/pipelines/{pipe['id']}/deployments", json=body)
    return {"pipeline": pipe, "slug": "bench", "public_slug": "bench-public"}


def artifact_dir(server: Server, pipe: dict[str, Any], into: Path) -> Path:
    """The pipeline's artifact folder: downloaded (zip) or found by checksum in the store."""
    resp = server.api.http.get(f"/pipelines/{pipe['id']}/download")
    if resp.status_code == 200 and resp.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
            archive.extractall(into)
        manifests = list(into.rglob("manifest.json"))
        if manifests:
            return manifests[0].parent
    for manifest in server.data_dir.rglob("manifest.json"):
        if pipe.get("sha256") and pipe["sha256"] in manifest.read_text():
            return manifest.parent
    raise Unavailable("cannot find the pipeline artifact (download or artifact store)")


def podium_http(server: Server, slug: str, row: dict[str, Any], batch: Path, n: int) -> dict:
    """Single-row latencies and the batch time over Podium's HTTP API."""
    http = server.api.http

    def one() -> None:
        resp = http.post(f"/deployments/{slug}/predict", json={"rows": [row]})
        resp.raise_for_status()

    single = _latencies(one, n)

    def csv() -> None:
        with batch.open("rb") as handle:
            files = {"file": (batch.name, handle, "text/csv")}
            resp = http.post(f"/deployments/{slug}/predict/csv", files=files, timeout=600)
        resp.raise_for_status()
        if resp.text.count("\n") < BATCH_ROWS:
            raise Unavailable(f"/predict/csv returned {resp.text.count(chr(10))} lines")

    return {"single_ms": single, "batch_s": _timed(csv)}


def podium_public(server: Server, slug: str, row: dict[str, Any], n: int) -> dict[str, Any]:
    """Single-row latencies of a ``public`` deployment of the same pipeline (no auth)."""
    with httpx.Client(base_url=server.api.http.base_url, timeout=120) as anonymous:

        def one() -> None:
            anonymous.post(f"/deployments/{slug}/predict", json={"rows": [row]}).raise_for_status()

        return {"single_ms": _latencies(one, n), "batch_s": None}


def server_scoring(artifact: Path, row: dict[str, Any], n: int) -> dict[str, Any]:
    """The server's preparation and scoring of one JSON row in this process (no HTTP, no
    database)."""
    from podium.engine import load_pipeline
    from podium.engine.standalone import read_manifest
    from podium.server.services import predictions
    from podium.server.services.onnx_scoring import OnnxScorer

    pipe = load_pipeline(artifact)
    meta = pipe.podium_metadata_
    loaded = predictions.Loaded(pipe, "bench", str(meta["task"]), list(meta["input_schema"]))
    schema, task = loaded.schema, loaded.task
    fast = predictions.scoring.FastScorer.build(pipe, schema, task, predictions._engine_predict)
    runtime = OnnxScorer.build(artifact, read_manifest(artifact), pipe, predictions._engine_predict)
    loaded = predictions.Loaded(pipe, "bench", task, schema, fast, runtime)
    print(f"  server scoring: {'ONNX' if runtime else 'fast path' if fast else 'engine predict'}")

    def one() -> None:
        predictions.predict_rows(loaded, predictions.prepare_rows(schema, [row])[0], 1)

    single = _latencies(one, n)
    return {"single_ms": single, "batch_s": None}


def engine_floor(artifact: Path, row: dict[str, Any], batch: Path, n: int) -> dict[str, Any]:
    """The engine's own ``predict`` on the same artifact, in this process (CSV in and out)."""
    from podium.engine import load_pipeline, predict

    pipe = load_pipeline(artifact)
    single = _latencies(lambda: predict(pipe, pd.DataFrame([row])), n)

    def csv() -> None:
        out = predict(pipe, pd.read_csv(batch))
        out.to_csv(io.StringIO(), index=False)

    return {"single_ms": single, "batch_s": _timed(csv)}


@contextlib.contextmanager
def mlflow_server(artifact: Path, work: Path, workers: int = 1) -> Any:
    """``mlflow models serve`` of the same pipeline; yields its base URL and its process id."""
    py = ensure_venv("mlflow", MLFLOW_REQUIREMENTS)
    env = {"PYTHONPATH": str(ROOT), "PATH": f"{py.parent}:/usr/bin:/bin"}
    model = work / "mlflow-model"
    script = ROOT / "bench" / "runners" / "mlflow_model.py"
    done = subprocess.run(
        [str(py), str(script), str(artifact), str(model)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise Unavailable(f"saving the MLflow model failed:\n{tail(done.stderr, 10)}")
    port = free_port()
    log = (work / "mlflow-serve.log").open("wb")
    cmd = [str(py.parent / "mlflow"), "models", "serve", "-m", str(model), "-p", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--env-manager", "local", "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        return httpx.get(f"{base}/ping", timeout=1).status_code == 200

    try:
        with served(proc, up, 120, f"mlflow models serve did not start (see {log.name})") as pid:
            yield base, pid
    finally:
        log.close()


def mlflow_scores(base: str, row: dict[str, Any], batch: Path, n: int) -> dict[str, Any]:
    """Single-row latencies and the batch time over MLflow's ``/invocations``."""
    split = {"dataframe_split": {"columns": list(row), "data": [list(row.values())]}}
    body = json.dumps(split)
    with httpx.Client(base_url=base, timeout=600) as http:
        headers = {"Content-Type": "application/json"}

        def one() -> None:
            http.post("/invocations", content=body, headers=headers).raise_for_status()

        single = _latencies(one, n)
        data = batch.read_bytes()

        def csv() -> None:
            resp = http.post("/invocations", content=data, headers={"Content-Type": "text/csv"})
            resp.raise_for_status()

        return {"single_ms": single, "batch_s": _timed(csv)}


def run(n: int = 1000, model: str = "lightgbm", mlflow: bool = True) -> dict[str, Any]:
    """Run the suite; print the table; return the measurements."""
    check_server()
    train, batch, row = _tables()
    sides: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="podium-bench-predict-") as tmp:
        work = Path(tmp)
        with Server(embedded_workers=1) as server:
            deployed = deploy(server, train, model)
            artifact = artifact_dir(server, deployed["pipeline"], work / "artifact")
            sides["Podium HTTP (auth on)"] = podium_http(server, deployed["slug"], row, batch, n)
            sides["Podium HTTP (public, no auth)"] = podium_public(
                server, deployed["public_slug"], row, n
            )
            sides["server scoring, in process"] = server_scoring(artifact, row, n)
            sides["engine predict (floor)"] = engine_floor(artifact, row, batch, n)
            if mlflow:
                try:
                    with mlflow_server(artifact, work) as (base, _pid):
                        sides["MLflow serve"] = mlflow_scores(base, row, batch, n)
                except Unavailable as exc:
                    print(f"  MLflow side skipped: {exc}")
    print(_report(sides, n, model))
    return {
        name: {
            "p50_ms": percentile(s["single_ms"], 50),
            "p95_ms": percentile(s["single_ms"], 95),
            "batch_s": s["batch_s"],
        }
        for name, s in sides.items()
    }


def _report(sides: dict[str, dict[str, Any]], n: int, model: str) -> str:
    rows = [
        [name, percentile(s["single_ms"], 50), percentile(s["single_ms"], 95), s["batch_s"]]
        for name, s in sides.items()
    ]
    notes = (
        f"\n{model} pipeline; single row: {n} sequential calls after 20 warm-up calls; batch: "
        f"{BATCH_ROWS:,} rows CSV in → scored CSV out. Targets (Podium HTTP): p95 ≤ "
        f"{TARGET_P95_MS} ms, batch ≤ {TARGET_BATCH_S} s, faster than MLflow on both. "
        "MLflow returns labels only; Podium also returns class probabilities."
    )
    return table(["side", "p50 ms", "p95 ms", "100k batch s"], rows) + notes
