"""GET /data-sources/{id}/profile: queued on upload, computed by a real worker, 202 → 200."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, select, update

from podium.server.db.base import utcnow
from podium.server.db.models import DataProfile
from podium.server.db.session import Database
from podium.server.services import queue
from tests.server.api.serving import worker
from tests.server.conftest import IRIS_CSV, World


def _url(source_id: str, target: str | None = None) -> str:
    query = f"?target={target}" if target is not None else ""
    return f"/api/v1/data-sources/{source_id}/profile{query}"


def _wait(world: World, url: str, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        r = world.client.get(url, headers=world.viewer.headers)
        if r.status_code != 202 or time.monotonic() > deadline:
            return r
        time.sleep(0.1)


def _profiles(world: World) -> int:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(DataProfile)) or 0)


class TestGetProfile:
    def test_upload_queues_it_and_a_worker_computes_it(self, world: World) -> None:
        source = world.upload()
        r = world.client.get(_url(source), headers=world.viewer.headers)
        assert r.status_code == 202, r.text
        assert r.json() == {
            "data_source_id": source,
            "target": None,
            "status": "queued",
            "detail": "the profile is queued: ask again in a few seconds",
        }
        with worker(world.settings):
            r = _wait(world, _url(source))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["data_source_id"] == source
        assert body["target"] is None
        assert (body["rows"], body["sample_rows"]) == (60, 60)
        assert body["computed_at"] is not None
        assert body["seconds"] >= 0
        assert "all 60 rows" in body["notes"][0]
        frame = pd.read_csv(io.StringIO(IRIS_CSV))
        columns = {c["name"]: c for c in body["columns"]}
        assert list(columns) == list(frame.columns)
        sepal = columns["sepal_length"]
        assert sepal["mean"] == pytest.approx(frame["sepal_length"].mean())
        assert sepal["quantiles"]["50%"] == pytest.approx(frame["sepal_length"].median())
        for column in columns.values():
            series = column["histogram"]["series"][0]
            assert sum(series["x"] if series["mark"] == "barh" else series["y"]) == 60
        assert [p["id"] for p in body["correlations"]] == [
            "correlation_pearson",
            "correlation_spearman",
        ]

    def test_target_is_profiled_once_on_first_ask(self, world: World) -> None:
        source = world.upload()
        r = world.client.get(_url(source, "species"), headers=world.viewer.headers)
        assert r.status_code == 202
        assert r.json()["target"] == "species"
        assert _profiles(world) == 2  # the upload's and this target's
        with worker(world.settings):
            r = _wait(world, _url(source, "species"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["target"]["name"] == "species"
        assert body["target"]["task"] == "multiclass"
        dist = body["target"]["distribution"]["series"][0]
        assert dict(zip(dist["x"], dist["y"], strict=True)) == {
            "setosa": 20,
            "versicolor": 20,
            "virginica": 20,
        }
        vs = {c["name"]: c["vs_target"] for c in body["columns"]}
        assert vs["species"] is None
        assert vs["petal_length"]["id"] == "vs_target:petal_length"
        assert "target_leakage" in {f["code"] for f in body["findings"]}  # petal_width = class
        world.client.get(_url(source, "species"), headers=world.viewer.headers)
        assert _profiles(world) == 2

    def test_unknown_target_says_the_columns(self, world: World) -> None:
        source = world.upload()
        r = world.client.get(_url(source, "nope"), headers=world.viewer.headers)
        assert r.status_code == 422
        assert r.json()["detail"] == (
            "target: 'nope' is not a column of data source 'flowers'; its columns are "
            "'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'"
        )

    def test_failure_is_a_clear_409(self, world: World) -> None:
        source = world.upload()
        stored = (
            world.settings.artifact_root / "workspaces" / world.ws / "data" / source / "data.csv"
        )
        stored.write_bytes(b"\x00\x01binary")
        with worker(world.settings):
            r = _wait(world, _url(source))
        assert r.status_code == 409, r.text
        assert r.json()["detail"] == (
            "the profile of data source 'flowers' could not be computed: data.csv is not a text "
            "CSV file (it holds binary data: a NUL byte at byte 0): upload a CSV saved as UTF-8 "
            "text, or a Parquet file named .parquet"
        )

    def test_deleting_the_source_deletes_its_profiles(self, world: World) -> None:
        source = world.upload()
        with worker(world.settings):
            assert _wait(world, _url(source)).status_code == 200
        folder = world.settings.artifact_root / "workspaces" / world.ws / "data" / source
        assert len(list((folder / "profiles").iterdir())) == 1
        r = world.client.delete(f"/api/v1/data-sources/{source}", headers=world.owner.headers)
        assert r.status_code == 204
        assert _profiles(world) == 0
        assert not folder.exists()

    def test_a_lost_worker_fails_the_profile_with_the_reason(self, world: World) -> None:
        source = world.upload()
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(DataProfile).values(
                    status="running", worker_id="gone", lease_expires_at=utcnow() - timedelta(1)
                )
            )
            session.commit()
            assert queue.reap_all(session)[0].startswith("profile:")
        r = world.client.get(_url(source), headers=world.viewer.headers)
        assert r.status_code == 409
        assert r.json()["detail"].endswith(queue.PROFILE_LOST)
