"""Data sources: upload, profile, preview, delete."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from podium.server.config import Settings
from podium.server.db.models import DataSource
from podium.server.db.session import Database
from tests.conftest import make_settings, new_id
from tests.server.conftest import IRIS_CSV, World
from tests.server.streaming import BOUNDARY, CHUNK, endless, multipart_head, pull, written_bytes

LIMITS = {"max_upload_rows": 1_000, "max_upload_columns": 50, "max_upload_expanded_bytes": 2**20}


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """The suite's 64 KiB upload cap, and small table limits to hit."""
    return make_settings(tmp_path, db_url, **LIMITS)


def _upload(
    world: World, content: bytes, name: str = "t.csv", who: str = "owner"
) -> httpx.Response:
    return world.client.post(
        f"/api/v1/workspaces/{world.ws}/data-sources/upload",
        files={"file": (name, io.BytesIO(content), "application/octet-stream")},
        data={"description": "d"},
        headers=world.as_(who),
    )


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


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

    def test_a_semicolon_or_tab_separated_csv_is_read_by_its_delimiter(self, world: World) -> None:
        for sep in (";", "\t"):
            content = IRIS_CSV.replace(",", sep).encode()
            r = _upload(world, content, "flowers.csv")
            assert r.status_code == 201, r.text
            assert (r.json()["n_rows"], r.json()["n_columns"]) == (60, 5)

    def test_each_column_says_the_task_it_implies(self, world: World) -> None:
        rows = "".join(
            f"{[1.5, 2.25][i % 2]},{i % 3},{18 + i},{'yes' if i % 2 else 'no'},k\n"
            for i in range(40)
        )
        r = _upload(world, ("price,grade,age,flag,same\n" + rows).encode())
        assert r.status_code == 201, r.text
        tasks = {c["name"]: c["task"] for c in r.json()["columns"]}
        assert tasks == {
            "price": {"task": "regression", "reason": "“price” holds numbers with fractions"},
            "grade": {
                "task": "multiclass",
                "reason": "“grade” is numeric with only 3 distinct values",
            },
            "age": {"task": "regression", "reason": "“age” is numeric with 40 distinct values"},
            "flag": {"task": "binary", "reason": "“flag” is true/false"},
            "same": None,
        }
        source = r.json()["id"]
        with _db(world).sessions() as session:  # a data source stored before tasks were
            row = session.get(DataSource, uuid.UUID(source))
            assert row is not None
            row.schema_ = [{k: v for k, v in c.items() if k != "task"} for c in row.schema_]
            session.commit()
        got = world.client.get(f"/api/v1/data-sources/{source}", headers=world.viewer.headers)
        old = {c["name"]: c["task"] and c["task"]["task"] for c in got.json()["columns"]}
        assert old == {
            "price": "binary",  # the stored facts cannot tell 1.5 from 1.0
            "grade": "multiclass",
            "age": "regression",
            "flag": "binary",
            "same": None,
        }

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
        assert str(world.settings.data_dir) not in r.json()["detail"]
        assert "/workspaces/" not in r.json()["detail"]
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
        assert "limit of 65,536 bytes (PODIUM_MAX_UPLOAD_BYTES)" in r.json()["detail"]

    def test_a_long_file_name_is_named_as_the_problem(self, world: World) -> None:
        r = _upload(world, IRIS_CSV.encode(), "x" * 4996 + ".csv")
        assert r.status_code == 422
        assert r.json()["detail"] == (
            "the file name is 5,000 characters long; the limit is 255: rename the file and "
            "upload it again"
        )
        assert _upload(world, IRIS_CSV.encode(), "x" * 251 + ".csv").status_code == 201

    @pytest.mark.parametrize(
        ("frame", "message"),
        [
            (
                pd.DataFrame({"a": np.zeros(5_000, dtype="int8"), "y": [0, 1] * 2_500}),
                "has 5,000 rows, more than the limit of 1,000 rows (PODIUM_MAX_UPLOAD_ROWS)",
            ),
            (
                pd.DataFrame({f"c{i}": [1, 2] for i in range(60)}),
                "has 60 columns, more than the limit of 50 columns (PODIUM_MAX_UPLOAD_COLUMNS)",
            ),
            (
                pd.DataFrame({"a": [1] * 900, "y": ["z" * 2_000] * 900}),
                "more than the limit of 1,048,576 bytes (PODIUM_MAX_UPLOAD_EXPANDED_BYTES)",
            ),
        ],
    )
    def test_parquet_over_a_table_limit_is_413(
        self, world: World, frame: pd.DataFrame, message: str
    ) -> None:
        buffer = io.BytesIO()
        pq.write_table(
            pa.Table.from_pandas(frame, preserve_index=False), buffer, compression="zstd"
        )
        assert len(buffer.getvalue()) < world.settings.max_upload_bytes  # under the cap
        r = _upload(world, buffer.getvalue(), "bomb.parquet")
        assert r.status_code == 413, r.text
        assert r.json()["detail"].startswith("bomb.parquet ")
        assert message in r.json()["detail"]
        assert not any(p.is_file() for p in world.settings.artifact_root.rglob("*"))

    def test_csv_over_the_row_limit_is_413(self, world: World) -> None:
        r = _upload(world, b"a,b\n" + b"1,2\n" * 1_001, "long.csv")
        assert r.status_code == 413
        assert "long.csv has 1,001 rows, more than the limit of 1,000 rows" in r.json()["detail"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (
                b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na',
                "the form data ends before its closing boundary",
            ),
            (b"garbage", "the form data is malformed"),
        ],
    )
    def test_malformed_forms_are_422(self, world: World, body: bytes, message: str) -> None:
        r = world.client.post(
            f"/api/v1/workspaces/{world.ws}/data-sources/upload",
            content=body,
            headers={"content-type": "multipart/form-data; boundary=x", **world.owner.headers},
        )
        assert r.status_code == 422, r.text
        assert message in r.json()["detail"]

    def test_two_files_and_long_fields_are_422(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/data-sources/upload"
        two = world.client.post(
            url,
            files=[("file", ("a.csv", b"a,b\n1,2\n")), ("file", ("b.csv", b"a,b\n1,2\n"))],
            headers=world.owner.headers,
        )
        assert (two.status_code, two.json()["detail"]) == (422, "send exactly one file")
        long = world.client.post(
            url,
            files={"file": ("a.csv", IRIS_CSV.encode())},
            data={"name": "n" * 201},
            headers=world.owner.headers,
        )
        assert long.status_code == 422
        assert long.json()["detail"] == "form field 'name' is longer than 200 characters"

    def test_missing_file_and_roles(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/data-sources/upload"
        assert (
            world.client.post(url, data={"name": "x"}, headers=world.owner.headers).status_code
            == 422
        )
        assert _upload(world, IRIS_CSV.encode(), who="viewer").status_code == 403


class TestStreamedBody:
    """Bodies without a Content-Length: the caller is checked from the headers before the
    app reads a byte of the body, and the file is counted while it arrives."""

    @pytest.mark.parametrize(
        ("who", "status"), [("anonymous", 401), ("outsider", 404), ("viewer", 403)]
    )
    def test_refused_callers_are_answered_before_the_body(
        self, world: World, who: str, status: int
    ) -> None:
        got = pull(
            world.client.app,
            f"/api/v1/workspaces/{world.ws}/data-sources/upload",
            {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **world.as_(who)},
            endless(multipart_head()),
            limit=8 * 2**20,
        )
        assert got.status == status, got.body
        assert got.messages == 0

    def test_the_file_is_stopped_at_the_cap(self, world: World) -> None:
        cap = world.settings.max_upload_bytes
        before = written_bytes(os.getpid())
        got = pull(
            world.client.app,
            f"/api/v1/workspaces/{world.ws}/data-sources/upload",
            {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **world.owner.headers},
            endless(multipart_head()),
            limit=100 * 2**20,
        )
        written = written_bytes(os.getpid()) - before
        assert got.status == 413, got.body
        assert "limit of 65,536 bytes (PODIUM_MAX_UPLOAD_BYTES)" in got.json()["detail"]
        assert got.bytes <= cap + 2 * CHUNK
        assert written <= cap + CHUNK
        assert not any(p.is_file() for p in world.settings.artifact_root.rglob("*"))

    def test_a_chunked_upload_within_the_cap_is_stored(self, world: World) -> None:
        body = (
            multipart_head("flowers.csv").replace(b"a,b\n", b"")
            + IRIS_CSV.encode()
            + f'\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\n'
            f"Flowers\r\n--{BOUNDARY}--\r\n".encode()
        )
        got = pull(
            world.client.app,
            f"/api/v1/workspaces/{world.ws}/data-sources/upload",
            {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **world.owner.headers},
            iter([body[:100], body[100:]]),
            limit=len(body),
        )
        assert got.status == 201, got.body
        assert (got.json()["name"], got.json()["filename"]) == ("Flowers", "flowers.csv")
        assert got.json()["sha256"] == hashlib.sha256(IRIS_CSV.encode()).hexdigest()


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
