"""One answer on every path: the library, the CLI, the standalone loader in a fresh
interpreter (``podium`` unimportable), JSON predict (its fast path and the engine's path, with
values as a client sends them: natural JSON, JSON booleans, CSV text), CSV predict and ONNX
(where exported) give the same labels and probabilities for every row.

The pipelines are built as a user builds them: each generated table is uploaded through the
API, promoted from a run and refitted by a real worker on the uploaded file, deployed, and
downloaded as the zip users get. Everything is built once per module (see :func:`served`).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from podium.cli import app as cli_app
from podium.engine import describe, load_pipeline, predict
from podium.engine.models.recipes import plain
from podium.engine.search.improve import blend_recipe, ensemble_recipe, stack_recipe
from podium.engine.search.tune import tuned_recipe
from podium.engine.standalone import onnx_inputs, prepare_input
from podium.server.app import create_app
from tests.conftest import make_settings
from tests.crosspath import corpus
from tests.crosspath.api import Api
from tests.server.api.serving import worker

pytestmark = [pytest.mark.xdist_group("crosspath"), pytest.mark.slow]

TASKS = ("binary", "regression")
#: table kind → models; "lean" tables convert to ONNX (no dates, free text or high cardinality);
#: the improved models (tuned, bagged, blended, stacked: recipes a run keeps) on the full tables
IMPROVED = ("lr_tuned", "rf_bagged", "blend_2", "stack_2")
MODELS = {"full": ("lr", "rf", "lightgbm", *IMPROVED), "lean": ("lr", "rf")}
CASES = [(k, t, m) for k in MODELS for t in TASKS for m in MODELS[k]]
FAST_ROWS = 64  # JSON requests up to this size may take the fast path (scoring.MAX_ROWS)
EXACT = {"rtol": 1e-9, "atol": 1e-12}
FLOAT32 = {"rtol": 1e-4, "atol": 1e-4}  # ONNX computes in float32 (the export's tolerance)
#: the paths the verified ONNX export serves when a pipeline has one: the server's, and the CLI
#: (``podium predict`` makes the server's choice)
SERVED = frozenset(
    {"cli", "csv", "examples"}
    | {f"json{v}{e}" for v in ("", "-booleans", "-csv-text") for e in ("", "-engine")}
)

_OUTSIDE = """
import importlib.abc, importlib.util, json, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"podium", "fastapi", "sqlalchemy"}:
            raise ImportError(f"{name} is not installed here")
sys.meta_path.insert(0, Block())
import pandas as pd
out = {}
for key, folder, data in json.loads(sys.argv[1]):
    file = f"{folder}/load_pipeline.py"
    spec = importlib.util.spec_from_file_location(f"loader_{len(out)}", file)
    loader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loader)
    pipe, manifest = loader.load_pipeline(folder)
    X = loader.prepare_input(pd.read_csv(data), manifest)
    answer = {"prediction": [v.item() if hasattr(v, "item") else v for v in pipe.predict(X)]}
    if manifest["task"] != "regression":
        answer["proba"] = pipe.predict_proba(X).tolist()
    out[key] = answer
out["podium_loaded"] = any(m.split(".")[0] == "podium" for m in sys.modules)
print(json.dumps(out))
"""


@dataclass
class Answer:
    """Labels (as text) and numbers: class probabilities in manifest order, or values."""

    labels: list[str]
    numbers: np.ndarray


@dataclass
class Built:
    """One deployed pipeline and every path's answer on the table's rows."""

    kind: str
    task: str
    model: str
    slug: str
    folder: Path
    manifest: dict[str, Any]
    fast: bool = False
    onnx_served: bool = False  # the API scores with the verified ONNX export (float32)
    examples: list[dict[str, Any]] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    scored_csv: dict[str, bytes] = field(default_factory=dict)  # the CLI's, the server's


def _key(kind: str, task: str, model: str) -> str:
    return f"{kind}-{task}-{model}"


def _from_frame(frame: pd.DataFrame, manifest: dict[str, Any]) -> Answer:
    labels = [str(v) for v in frame["prediction"]]
    if manifest["task"] == "regression":
        return Answer(labels, frame["prediction"].to_numpy(dtype=float))
    columns = [f"proba_{c}" for c in manifest["classes"]]
    return Answer(labels, frame[columns].to_numpy(dtype=float))


def _from_json(body: dict[str, Any], manifest: dict[str, Any], n: int) -> Answer:
    labels = [str(v) for v in body["predictions"][:n]]
    if manifest["task"] == "regression":
        return Answer(labels, np.asarray(body["predictions"][:n], dtype=float))
    probs = body["probabilities"][:n]
    return Answer(labels, np.array([[p[str(c)] for c in manifest["classes"]] for p in probs]))


def _text_rows(csv_text: str) -> list[dict[str, Any]]:
    """The rows with every value as it is written in the CSV file (missing → null)."""
    frame = pd.read_csv(io.StringIO(csv_text), dtype=str, keep_default_na=True)
    return [
        {k: (None if isinstance(v, float) else v) for k, v in r.items()}
        for r in frame.to_dict("records")
    ]


def _improved(task: str) -> dict[str, Any]:
    """Recipes of a tuned, a bagged, a blended and a stacked model, as improving runs keep."""
    lr, rf = plain(task, "lr"), plain(task, "rf", {"n_estimators": 30})
    tuned = tuned_recipe(lr, {"C": 0.3} if task != "regression" else {"fit_intercept": False})
    made = [
        tuned,
        ensemble_recipe(rf, "bagging", 3),
        blend_recipe([tuned, rf], "soft", [2.0, 1.0]),
        stack_recipe([lr, rf], None, passthrough=False),
    ]
    return {r["id"]: r for r in made}


def _build_all(api: Api, settings: Any) -> dict[str, Any]:
    """Upload each table, promote each model, build every pipeline with one worker."""
    promoted: dict[str, Any] = {}
    for kind, models in MODELS.items():
        for task in TASKS:
            frame, target = corpus.table(kind, task)
            source = api.upload(f"{kind}-{task}", frame.to_csv(index=False))
            available = {m["id"] for m in describe.models(task) if m["is_available"]}
            made = _improved(task) if kind == "full" else {}
            wanted = tuple(m for m in models if m in available or m in made)
            run = api.succeeded_run(source, task, target, wanted, made)
            for model in wanted:
                name = _key(kind, task, model)
                body = {"name": name, "model_id": model}
                promoted[name] = api.post(f"/api/v1/runs/{run}/promote", body)["id"]
    with worker(settings):
        return {name: api.wait_pipeline(pid) for name, pid in promoted.items()}


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[dict[str, Built]]:
    """Every case built, deployed, downloaded and scored on every path (once per module)."""
    tmp = tmp_path_factory.mktemp("crosspath")
    shutil.copy(sqlite_template, tmp / "podium.db")
    settings = make_settings(
        tmp, f"sqlite:///{tmp / 'podium.db'}", max_upload_bytes=8 * 1024 * 1024
    )
    with TestClient(create_app(settings)) as client:
        api = Api(client)
        pipelines = _build_all(api, settings)
        built: dict[str, Built] = {}
        for name, pipe in pipelines.items():
            assert pipe["status"] == "ready", pipe
            kind, task, model = name.split("-")
            slug = f"cp-{name}".replace("_", "-")
            api.post(
                f"/api/v1/pipelines/{pipe['id']}/deployments", {"slug": slug, "auth_mode": "public"}
            )
            archive = client.get(f"/api/v1/pipelines/{pipe['id']}/download", headers=api.headers)
            assert archive.status_code == 200, archive.text
            folder = tmp / "zips" / name
            (tmp / "zips").mkdir(exist_ok=True)
            (folder.with_suffix(".zip")).write_bytes(archive.content)
            with zipfile.ZipFile(folder.with_suffix(".zip")) as z:
                z.extractall(folder)
            manifest = json.loads((folder / "manifest.json").read_text())
            built[name] = Built(kind, task, model, slug, folder, manifest)
            built[name].examples = api.get(f"/api/v1/pipelines/{pipe['id']}")["examples"]
        data = {}
        for kind in MODELS:
            rows = corpus.rows(kind)
            path = tmp / f"rows-{kind}.csv"
            rows.to_csv(path, index=False)
            data[kind] = (rows, path)
        for b in built.values():
            _score_in_process(b, client, *data[b.kind])
        _score_outside(built, data)
        yield built


def _score_in_process(b: Built, client: TestClient, rows: pd.DataFrame, path: Path) -> None:
    """Library, CLI, JSON (fast, engine; three spellings), CSV and ONNX answers."""
    b.answers["library"] = _from_frame(predict(load_pipeline(b.folder), rows), b.manifest)
    cli = CliRunner().invoke(cli_app, ["predict", str(b.folder.with_suffix(".zip")), str(path)])
    if cli.exit_code == 0:
        b.answers["cli"] = _from_frame(pd.read_csv(io.StringIO(cli.stdout)), b.manifest)
        b.scored_csv["cli"] = cli.stdout_bytes
    else:
        b.refused["cli"] = cli.output
    skops = CliRunner().invoke(cli_app, ["predict", "--no-onnx", str(b.folder), str(path)])
    if skops.exit_code == 0:  # the skops pipeline's answers, as PODIUM_SERVE_ONNX=false serves
        b.answers["cli-no-onnx"] = _from_frame(pd.read_csv(io.StringIO(skops.stdout)), b.manifest)
    else:
        b.refused["cli-no-onnx"] = skops.output
    n = len(rows)
    csv_text = path.read_text()
    variants = {
        "json": corpus.json_rows(rows),
        "json-booleans": corpus.json_rows(rows, booleans=True),
        "json-csv-text": _text_rows(csv_text),
    }
    url = f"/api/v1/deployments/{b.slug}/predict"
    for name, sent in variants.items():
        for path_name, payload in ((name, sent), (f"{name}-engine", sent * (FAST_ROWS // n + 1))):
            r = client.post(url, json={"rows": payload})
            if r.status_code == 200:
                b.answers[path_name] = _from_json(r.json(), b.manifest, n)
            else:
                b.refused[path_name] = f"{r.status_code}: {r.text[:300]}"
    cache = client.app.state.pipeline_cache  # type: ignore[attr-defined]
    loaded = cache.lookup(b.manifest["sha256"])
    b.fast = loaded is not None and loaded.fast is not None
    b.onnx_served = loaded is not None and loaded.onnx is not None
    r = client.post(f"{url}/csv", content=csv_text.encode(), headers={"content-type": "text/csv"})
    if r.status_code == 200:
        b.answers["csv"] = _from_frame(pd.read_csv(io.StringIO(r.text)), b.manifest)
        b.scored_csv["server"] = r.content
    else:
        b.refused["csv"] = f"{r.status_code}: {r.text[:300]}"
    r = client.post(url, json={"rows": b.examples})
    if r.status_code == 200:
        b.answers["examples"] = _from_json(r.json(), b.manifest, len(b.examples))
    else:
        b.refused["examples"] = f"{r.status_code}: {r.text[:300]}"
    onnx = b.folder / "pipeline.onnx"
    if onnx.exists():
        b.answers["onnx"] = _onnx_answer(b, onnx, rows)


def _onnx_answer(b: Built, onnx: Path, rows: pd.DataFrame) -> Answer:
    import onnxruntime as rt

    session = rt.InferenceSession(onnx.read_bytes(), providers=["CPUExecutionProvider"])
    feeds = onnx_inputs(prepare_input(rows, b.manifest), b.manifest)
    outputs = session.run(None, feeds)
    if b.task == "regression":
        values = np.asarray(outputs[0], dtype=float).ravel()
        return Answer([str(v) for v in values], values)
    return Answer([str(v) for v in np.ravel(outputs[0])], np.asarray(outputs[1], dtype=float))


def _score_outside(built: dict[str, Built], data: dict[str, Any]) -> None:
    """Every pipeline through its own ``load_pipeline.py`` in one fresh interpreter."""
    jobs = [[k, str(b.folder), str(data[b.kind][1])] for k, b in built.items()]
    ran = subprocess.run(
        [sys.executable, "-I", "-c", _OUTSIDE, json.dumps(jobs)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout.strip().splitlines()[-1])
    assert out.pop("podium_loaded") is False
    for key, answer in out.items():
        b = built[key]
        labels = [str(v) for v in answer["prediction"]]
        if b.task == "regression":
            b.answers["standalone"] = Answer(labels, np.asarray(answer["prediction"], float))
        else:
            b.answers["standalone"] = Answer(labels, np.asarray(answer["proba"], float))


def _disagreements(b: Built) -> list[str]:
    reference = b.answers["library"]
    found = [f"{path} refused the rows: {why}" for path, why in b.refused.items()]
    for path, answer in b.answers.items():
        if path.startswith("example"):
            continue
        served_by_onnx = b.onnx_served and path in SERVED
        tolerance = FLOAT32 if path == "onnx" or served_by_onnx else EXACT
        if b.task == "regression":
            labels_differ: list[int] = []
        else:
            labels_differ = [
                i
                for i, (a, e) in enumerate(zip(answer.labels, reference.labels, strict=True))
                if a != e
            ]
        close = np.isclose(answer.numbers, reference.numbers, **tolerance)
        numbers_differ = sorted(set(np.nonzero(~close)[0].tolist()))
        if labels_differ or numbers_differ:
            found.append(
                f"{path}: labels differ on rows {labels_differ}, numbers on rows {numbers_differ}"
            )
    return found


@pytest.mark.parametrize(("kind", "task", "model"), CASES, ids=[_key(*c) for c in CASES])
def test_every_path_gives_the_same_answer(
    served: dict[str, Built], kind: str, task: str, model: str
) -> None:
    name = _key(kind, task, model)
    if name not in served:
        pytest.skip(f"{model} is not installed here")
    b = served[name]
    assert not _disagreements(b), "\n".join(_disagreements(b))
    expected = {
        "library",
        "cli",
        "cli-no-onnx",
        "standalone",
        "csv",
        "json",
        "json-engine",
        "json-booleans",
        "json-booleans-engine",
        "json-csv-text",
        "json-csv-text-engine",
    }
    assert expected <= set(b.answers)


def test_podium_predict_gives_the_bytes_of_the_servers_csv_predict(
    served: dict[str, Built],
) -> None:
    """The CLI makes the server's scoring choice (``predictions.onnx_runtime``): the same
    pipeline's scored CSV is byte for byte the same, with its ONNX export (float32) and
    without one."""
    for b in served.values():
        assert set(b.scored_csv) == {"cli", "server"}, (b.model, b.task, b.refused)
        assert b.scored_csv["cli"] == b.scored_csv["server"], (b.model, b.task)
    assert {b.onnx_served for b in served.values()} == {True, False}


def test_the_fast_path_and_onnx_were_exercised(served: dict[str, Built]) -> None:
    """Not vacuous: the lean tables' pipelines score small JSON requests on the fast path,
    and their scikit-learn models export to ONNX."""
    lean = [b for b in served.values() if b.kind == "lean"]
    assert lean
    assert all(b.fast for b in lean), [(b.model, b.task) for b in lean if not b.fast]
    assert all("onnx" in b.answers for b in lean), [
        (b.model, b.task, b.manifest["extra"]["onnx"]) for b in lean if "onnx" not in b.answers
    ]


def test_the_example_rows_are_training_rows_that_predict(served: dict[str, Built]) -> None:
    """The web tester starts from the pipeline's examples: real training rows of the input
    columns (never the target), which JSON predict takes and scores as the library does."""
    for b in served.values():
        names = [c["name"] for c in b.manifest["input_schema"]]
        frame, target = corpus.table(b.kind, b.task)
        assert len(b.examples) == 3
        assert all(list(row) == names for row in b.examples)
        assert target not in names
        assert b.answers.get("examples"), b.refused.get("examples")
        expected = predict(load_pipeline(b.folder), pd.DataFrame(b.examples))
        wanted = _from_frame(expected, b.manifest)
        if b.task != "regression":  # a regression's "labels" are its values, compared below
            assert b.answers["examples"].labels == wanted.labels
        tolerance = FLOAT32 if b.onnx_served else EXACT
        np.testing.assert_allclose(b.answers["examples"].numbers, wanted.numbers, **tolerance)
        training = {tuple(str(v) for v in r) for r in frame[names].itertuples(index=False)}
        for row in b.examples:
            shown = tuple(str(row[n]) for n in names)
            assert shown in training or None in row.values(), row
