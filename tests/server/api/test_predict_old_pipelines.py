"""Pipelines built before the manifest recorded training values, examples and file checksums
(format 1) still predict — with true/false mapped to what their encoder learned — and still
download, with this server's loader instead of their unlisted one."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path

import pandas as pd
from sqlalchemy import update

from podium.engine import standalone
from podium.server.db.models import Pipeline
from podium.server.db.session import Database
from tests.engine.test_prepare import as_saved_before_format_2
from tests.server.api.serving import deploy, fake_succeeded_run, promote, wait_pipeline, worker
from tests.server.conftest import World

AIR_CSV = "area,central_air,sold\n" + "".join(
    f"{80 + a},{'YN'[i % 3 == 0]},{'yes' if a + 25 * (i % 3 > 0) > 40 else 'no'}\n"
    for i, a in ((i, (i * 7) % 60) for i in range(90))
)
BOARD = {"columns": ["Model", "AUC"], "rows": [{"Model": "LR", "model_id": "lr", "AUC": 0.9}]}


def _format_1_pipeline(world: World) -> dict[str, str]:
    """A ready pipeline rewritten on disk and in the database as format 1 wrote it."""
    source = world.upload(content=AIR_CSV, name="air.csv")
    run_id = fake_succeeded_run(
        world, BOARD, sklearn_dataset=None, data_source_id=source, target="sold", task="binary"
    )
    made = promote(world, run_id, name="air", model_id="lr").json()
    with worker(world.settings):
        pipe = wait_pipeline(world, made["id"])
    assert pipe["status"] == "ready", pipe
    folder = world.settings.artifact_root / "workspaces" / world.ws / "pipelines" / pipe["id"]
    as_saved_before_format_2(folder)
    (folder / "load_pipeline.py").write_text("raise SystemExit('an old loader, never listed')\n")
    manifest = json.loads((folder / "manifest.json").read_text())
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        session.execute(
            update(Pipeline)
            .where(Pipeline.id == uuid.UUID(pipe["id"]))
            .values(
                sha256=manifest["sha256"],
                manifest=manifest,
                input_schema=manifest["input_schema"],
            )
        )
        session.commit()
    return {"id": pipe["id"], "folder": str(folder)}


class TestFormat1:
    def test_predicts_and_downloads(self, world: World) -> None:
        pipe = _format_1_pipeline(world)
        got = world.client.get(f"/api/v1/pipelines/{pipe['id']}", headers=world.owner.headers)
        assert got.json()["examples"] == []
        assert "boolean_values" not in got.json()["input_schema"][1]
        deploy(world, pipe["id"], slug="air-old")
        frame = pd.read_csv(io.StringIO(AIR_CSV)).drop(columns="sold").head(12)
        rows = frame.to_dict("records")
        spelled = [{**r, "central_air": r["central_air"] == "Y"} for r in rows]
        url = "/api/v1/deployments/air-old/predict"
        as_written = world.client.post(url, json={"rows": rows})
        as_booleans = world.client.post(url, json={"rows": spelled})
        assert as_written.status_code == 200, as_written.text
        assert as_booleans.status_code == 200, as_booleans.text
        assert as_booleans.json() | {"latency_ms": 0, "request_id": ""} == (
            as_written.json() | {"latency_ms": 0, "request_id": ""}
        )
        scored = world.client.post(
            f"{url}/csv",
            content=frame.to_csv(index=False).encode(),
            headers={"content-type": "text/csv"},
        )
        assert scored.status_code == 200, scored.text
        csv_values = pd.read_csv(io.StringIO(scored.text))["prediction"].tolist()
        assert csv_values == as_written.json()["predictions"]

        archive = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.owner.headers
        )
        assert archive.status_code == 200, archive.text
        with zipfile.ZipFile(io.BytesIO(archive.content)) as z:
            names = set(z.namelist())
            loader = z.read("load_pipeline.py")
        assert {"manifest.json", "pipeline.skops", "load_pipeline.py"} <= names
        assert names <= {"manifest.json", "pipeline.skops", "load_pipeline.py", "pipeline.onnx"}
        assert loader == Path(standalone.__file__).read_bytes()
