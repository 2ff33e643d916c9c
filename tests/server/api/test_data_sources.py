"""Data sources: upload, profile, preview, delete."""

from __future__ import annotations

import hashlib
import io

import httpx
import pandas as pd
import pytest

from tests.conftest import new_id
from tests.server.conftest import IRIS_CSV, World


def _upload(
    world: World, content: bytes, name: str = "t.csv", who: str = "owner"
) -> httpx.Response:
    return world.client.post(
        f"/api/v1/workspaces/{world.ws}/data-sources/upload",
        files={"file": (name, io.BytesIO(content), "application/octet-stream")},
        data={"description": "d"},
        headers=world.as_(who),
    )


class TestUpload:
    def test_csv_profile(self, world: World) -> None:
        r = _upload(world, IRIS_CSV.encode(), "flowers.csv")
        assert r.status_code == 201
        body = r.json()
        assert body["name"] == "flowers"
        assert body["kind"] == "csv"
        assert (body["n_rows"], body["n_columns"]) == (60, 5)
        assert body["sha256"] == hashlib.sha256(IRIS_CSV.encode()).hexdigest()
        assert body["size_bytes"] == len(IRIS_CSV.encode())
        assert [c["name"] for c in body["columns"]][-1] == "species"

    def test_parquet(self, world: World) -> None:
        buffer = io.BytesIO()
        pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]}).to_parquet(buffer)
        r = _upload(world, buffer.getvalue(), "t.parquet")
        assert r.status_code == 201, r.text
        assert r.json()["kind"] == "parquet"
        assert r.json()["n_rows"] == 3

    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (b"", "e.csv", "empty"),
            (b"a,b\n", "h.csv", "no rows"),
            (b"a,a\n1,2\n", "d.csv", "duplicate"),
            (b"\xff\xfe\x00bad", "u.csv", "not UTF-8"),
            (b"not parquet", "p.parquet", "Parquet"),
            (b"a\n1\n", "x.xlsx", ".csv or .parquet"),
        ],
    )
    def test_rejected_files(self, world: World, content: bytes, name: str, message: str) -> None:
        r = _upload(world, content, name)
        assert r.status_code == 422, r.text
        assert message in r.json()["detail"]
        assert "data.csv" not in r.json()["detail"]
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/data-sources", headers=world.owner.headers
        )
        assert listed.json()["count"] == 0
        leftovers = [p for p in world.settings.artifact_root.rglob("*") if p.is_file()]
        assert leftovers == []

    def test_oversize_is_413(self, world: World) -> None:
        big = b"a,b\n" + b"1,2\n" * (world.settings.max_upload_bytes // 4 + 10)
        r = _upload(world, big)
        assert r.status_code == 413
        assert "limit" in r.json()["detail"]

    def test_missing_file_and_roles(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/data-sources/upload"
        assert (
            world.client.post(url, data={"name": "x"}, headers=world.owner.headers).status_code
            == 422
        )
        assert _upload(world, IRIS_CSV.encode(), who="viewer").status_code == 403


class TestList:
    def test_scoped(self, world: World) -> None:
        mine = world.upload()
        world.upload(world.other_ws)
        body = world.client.get(
            f"/api/v1/workspaces/{world.ws}/data-sources", headers=world.viewer.headers
        ).json()
        assert [d["id"] for d in body["data"]] == [mine]


class TestGetAndPreview:
    def test_get_preview(self, world: World) -> None:
        source = world.upload(content="a,b\n1,\n2,x\n")
        got = world.client.get(f"/api/v1/data-sources/{source}", headers=world.viewer.headers)
        assert got.status_code == 200
        preview = world.client.get(
            f"/api/v1/data-sources/{source}/preview", headers=world.viewer.headers
        ).json()
        assert preview == {"columns": ["a", "b"], "rows": [{"a": 1, "b": None}, {"a": 2, "b": "x"}]}
        assert (
            world.client.get(
                f"/api/v1/data-sources/{source}", headers=world.outsider.headers
            ).status_code
            == 404
        )
        assert (
            world.client.get(
                f"/api/v1/data-sources/{new_id()}/preview", headers=world.owner.headers
            ).status_code
            == 404
        )


class TestDelete:
    def test_delete_refused_while_used(self, world: World) -> None:
        source = world.upload()
        exp = world.experiment(world.project(), data_source_id=source, target="species")
        run = world.run(exp, plan="setup")
        used = world.client.delete(f"/api/v1/data-sources/{source}", headers=world.owner.headers)
        assert used.status_code == 409
        assert "run" in used.json()["detail"]
        world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.owner.headers)
        world.client.delete(f"/api/v1/experiments/{exp}", headers=world.owner.headers)
        assert (
            world.client.delete(
                f"/api/v1/data-sources/{source}", headers=world.viewer.headers
            ).status_code
            == 403
        )
        assert (
            world.client.delete(
                f"/api/v1/data-sources/{source}", headers=world.owner.headers
            ).status_code
            == 204
        )
        assert not any(p.is_file() for p in world.settings.artifact_root.rglob("*"))
