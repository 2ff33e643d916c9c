"""Predict: round trips equal to the engine's own predict, every auth mode, bad input, tampered
artifacts, and a 100k-row CSV that streams back in chunks."""

from __future__ import annotations

import io
import json
import math
import zipfile
from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from podium.cli import app as cli_app
from podium.engine import load_pipeline, samples, setup
from podium.engine import predict as engine_predict
from podium.server.config import Settings
from podium.server.services import csv_predictions, scoring_pool
from podium.server.services.predictions import PipelineCache
from tests.conftest import make_settings
from tests.server.api.serving import asgi_post, deploy, ready_pipeline, wait_pipeline, worker
from tests.server.conftest import World

FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
ROW = dict(zip(FEATURES, [5.1, 3.5, 1.4, 0.2], strict=True))
PREDICT_CAP = 64 * 1024
#: a CSV as people write it: codes with leading zeros, ``5.10``, ``NA``, quotes, CRLF inside
HEAD_AS_WRITTEN = "row_id," + ",".join(f'"{f}"' for f in FEATURES) + ",note"
ROWS_AS_WRITTEN = [
    "02134,5.10,3.5,1.4,0.2,NA",
    '"0007",6.7e0,3.0,5.2,2.3,"x, ""y""\r\nz"',
    "1,5.9,3.0,5.1,1.8,",
]


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Room for a 100k-row CSV, and a small JSON cap to hit."""
    return make_settings(
        tmp_path, db_url, max_upload_bytes=32 * 1024 * 1024, max_predict_bytes=PREDICT_CAP
    )


def _predict(world: World, slug: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return world.client.post(f"/api/v1/deployments/{slug}/predict", json=body, headers=headers)


def _key(world: World, who: str = "owner", ws: str | None = None) -> str:
    r = world.client.post(
        f"/api/v1/workspaces/{ws or world.ws}/api-keys", json={"name": "k"}, headers=world.as_(who)
    )
    assert r.status_code == 201, r.text
    return str(r.json()["secret"])


class TestRoundTrip:
    @pytest.fixture
    def settings(self, tmp_path: Path, sqlite_url: str) -> Settings:
        """Real training: SQLite only, to keep the suite fast."""
        return make_settings(tmp_path, sqlite_url)

    @pytest.mark.parametrize(
        ("sample", "task"), [("iris", "multiclass"), ("diabetes", "regression")]
    )
    def test_promote_deploy_predict_equals_engine(
        self, world: World, sample: str, task: str, tmp_path: Path
    ) -> None:
        exp = world.experiment(
            world.project(), sklearn_dataset=sample, task=task, setup_params={"folds": 2}
        )
        run = world.run(exp, plan="compare", plan_params={"models": ["lr", "dt"]})
        with worker(world.settings):
            done = world.client.get(
                f"/api/v1/runs/{run['id']}/wait?timeout=240", headers=world.owner.headers
            ).json()
            assert done["status"] == "succeeded", done
            promoted = world.client.post(
                f"/api/v1/runs/{run['id']}/promote",
                json={"name": sample},
                headers=world.editor.headers,
            )
            assert promoted.status_code == 202, promoted.text
            pipe = wait_pipeline(world, promoted.json()["id"])
        assert pipe["status"] == "ready", pipe
        assert pipe["model_id"] == done["result"]["best"][0]
        deploy(world, pipe["id"], slug=f"{sample}-best", auth_mode="workspace")
        frame, target = samples.load(sample)
        rows = frame.drop(columns=target).sample(12, random_state=0)
        r = _predict(
            world, f"{sample}-best", {"rows": rows.to_dict("records")}, world.viewer.headers
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["latency_ms"] > 0
        assert len(body["request_id"]) == 32
        fresh = setup(frame, target, task=task, folds=2).finalize(pipe["model_id"])
        expected = engine_predict(fresh, rows)
        archive = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.viewer.headers
        )
        zip_path = tmp_path / "pipeline.zip"
        zip_path.write_bytes(archive.content)
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(tmp_path / "unzipped")
        downloaded = engine_predict(load_pipeline(tmp_path / "unzipped"), rows)
        assert downloaded["prediction"].tolist() == expected["prediction"].tolist()
        if task == "regression":  # the verified ONNX export serves: float32, within 1e-4
            assert body["predictions"] == pytest.approx(expected["prediction"].tolist(), rel=1e-4)
            assert body["probabilities"] is None
            return
        assert body["predictions"] == expected["prediction"].tolist()
        for j, probs in enumerate(body["probabilities"]):  # ONNX serves: float32, verified
            for label, value in probs.items():
                assert value == pytest.approx(expected[f"proba_{label}"].iloc[j], abs=1e-4)
        self._cli_predicts_from_zip(zip_path, rows, tmp_path, expected)

    @staticmethod
    def _cli_predicts_from_zip(
        zip_path: Path, rows: pd.DataFrame, tmp_path: Path, expected: pd.DataFrame
    ) -> None:
        data = tmp_path / "rows.csv"
        rows.to_csv(data, index=False)
        result = CliRunner().invoke(cli_app, ["predict", str(zip_path), str(data)])
        assert result.exit_code == 0, result.output
        scored = pd.read_csv(io.StringIO(result.stdout))
        assert scored["prediction"].tolist() == expected["prediction"].tolist()


class TestAuthModes:
    def test_each_mode_accepts_the_right_caller_only(self, world: World) -> None:
        pipe = ready_pipeline(world)
        for mode in ("workspace", "api-key", "public"):
            deploy(world, pipe["id"], slug=f"m-{mode}", auth_mode=mode)
        key, foreign = _key(world), _key(world, who="outsider", ws=world.other_ws)
        revoked = _key(world)
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/api-keys", headers=world.owner.headers
        ).json()["data"]
        revoked_id = next(k["id"] for k in listed if revoked.startswith(k["prefix"]))
        world.client.delete(f"/api/v1/api-keys/{revoked_id}", headers=world.owner.headers)
        bad_token = {"Authorization": "Bearer not-a-token"}
        cases: list[tuple[str, dict[str, str], int]] = [
            ("m-workspace", {}, 401),
            ("m-workspace", bad_token, 401),
            ("m-workspace", world.outsider.headers, 403),
            ("m-workspace", {"X-API-Key": key}, 401),
            ("m-workspace", world.viewer.headers, 200),
            ("m-workspace", world.owner.headers, 200),
            ("m-api-key", {}, 401),
            ("m-api-key", world.owner.headers, 401),
            ("m-api-key", {"X-API-Key": "pod_wrong"}, 401),
            ("m-api-key", {"X-API-Key": revoked}, 401),
            ("m-api-key", {"X-API-Key": foreign}, 403),
            ("m-api-key", {"X-API-Key": key}, 200),
            ("m-public", {}, 200),
            ("m-public", bad_token, 200),
        ]
        for slug, headers, code in cases:
            r = _predict(world, slug, {"rows": [ROW]}, headers)
            assert r.status_code == code, (slug, headers, r.text)
        keys = world.client.get(
            f"/api/v1/workspaces/{world.ws}/api-keys", headers=world.owner.headers
        ).json()["data"]
        assert next(k for k in keys if key.startswith(k["prefix"]))["last_used_at"] is not None


class TestBadInput:
    @pytest.fixture
    def slug(self, world: World) -> str:
        deploy(world, ready_pipeline(world)["id"], slug="iris-open", auth_mode="public")
        return "iris-open"

    def test_rows_against_the_schema(self, world: World, slug: str) -> None:
        cases: list[tuple[Any, str]] = [
            ({"rows": [{k: v for k, v in ROW.items() if k != "petal width (cm)"}]}, "missing"),
            ({"rows": [{**ROW, "sepal length (cm)": "long"}]}, "must be a number"),
            ({"rows": [{**ROW, "sepal length (cm)": True}]}, "must be a number"),
            ({"rows": [{**ROW, "sepal length (cm)": [1]}]}, "must be a number"),
            ({"rows": [ROW, {**ROW, "petal length (cm)": math.nan}]}, "nan at row 1"),
            ({"rows": [{**ROW, "petal length (cm)": math.inf}]}, "inf at row 0"),
            ({"rows": [{**ROW, "petal width (cm)": 10**400}]}, "'petal width (cm)' must be a"),
            ({"rows": [ROW, {**ROW, "sepal width (cm)": "wide"}]}, "row 1 has 'wide'"),
            ({"rows": []}, "rows"),
            ({"data": [ROW]}, "rows"),
            ({"rows": "all"}, "rows"),
            ([ROW], "rows"),
        ]
        for body, needle in cases:
            content = json.dumps(body, allow_nan=True)
            r = world.client.post(
                f"/api/v1/deployments/{slug}/predict",
                content=content,
                headers={"content-type": "application/json"},
            )
            assert r.status_code == 422, (body, r.text)
            assert needle in r.json()["detail"], (needle, r.text)
        missing = world.client.post(
            f"/api/v1/deployments/{slug}/predict",
            json={"rows": [{k: v for k, v in ROW.items() if k != "petal width (cm)"}]},
        ).json()["detail"]
        assert "'petal width (cm)' (row 0)" in missing
        not_json = world.client.post(
            f"/api/v1/deployments/{slug}/predict",
            content=b"{nope",
            headers={"content-type": "application/json"},
        )
        assert not_json.status_code == 422
        nulls = _predict(world, slug, {"rows": [{**ROW, "sepal length (cm)": None}]})
        assert nulls.status_code == 200

    def test_extra_columns_are_ignored_on_every_path(self, world: World, slug: str) -> None:
        """An id column setup left out (or the target, or anything the model does not read) is
        ignored by JSON and CSV alike, and the JSON answer names it; a missing one is a 422."""
        rows = [{"customer_id": 7, **ROW}, {**ROW, "species": "setosa", "customer_id": 8}]
        r = _predict(world, slug, {"rows": rows})
        assert r.status_code == 200, r.text
        assert r.json()["ignored_columns"] == ["customer_id", "species"]
        assert _predict(world, slug, {"rows": [ROW]}).json()["ignored_columns"] == []
        csv = pd.DataFrame(rows).to_csv(index=False).encode()
        scored = world.client.post(
            f"/api/v1/deployments/{slug}/predict/csv", files={"file": ("x.csv", csv, "text/csv")}
        )
        assert scored.status_code == 200, scored.text
        as_csv = pd.read_csv(io.BytesIO(scored.content))
        assert as_csv["prediction"].tolist() == r.json()["predictions"]
        assert as_csv["customer_id"].tolist() == [7, 8]
        short = {k: v for k, v in ROW.items() if k != "petal width (cm)"}
        for body in ({"rows": [{**short, "customer_id": 1}]},):
            missing = _predict(world, slug, body)
            assert missing.status_code == 422
            assert "missing column(s): 'petal width (cm)' (row 0)" in missing.json()["detail"]
            # a misspelt column is often the missing one: the ones not read are named too
            assert "does not read: 'customer_id'" in missing.json()["detail"]

    def test_a_semicolon_separated_csv_is_scored(self, world: World, slug: str) -> None:
        csv = pd.DataFrame([ROW, ROW]).to_csv(index=False, sep=";", decimal=",").encode()
        scored = world.client.post(
            f"/api/v1/deployments/{slug}/predict/csv", files={"file": ("x.csv", csv, "text/csv")}
        )
        assert scored.status_code == 200, scored.text
        assert pd.read_csv(io.BytesIO(scored.content))["prediction"].tolist() == ["setosa"] * 2

    def test_body_cap_413(self, world: World, slug: str) -> None:
        huge = {"rows": [ROW] * 1000}
        assert len(json.dumps(huge)) > PREDICT_CAP
        declared = _predict(world, slug, huge)
        assert declared.status_code == 413
        assert str(PREDICT_CAP) in declared.json()["detail"]

        def chunks() -> Any:
            data = json.dumps(huge).encode()
            for i in range(0, len(data), 4096):
                yield data[i : i + 4096]

        streamed = world.client.post(
            f"/api/v1/deployments/{slug}/predict",
            content=chunks(),
            headers={"content-type": "application/json"},
        )
        assert streamed.status_code == 413

    def test_unknown_slug_404(self, world: World) -> None:
        r = _predict(world, "no-such-slug", {"rows": [ROW]})
        assert r.status_code == 404


class TestTampered:
    def test_modified_artifact_is_never_loaded(self, world: World) -> None:
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="iris-tamper")  # loaded (verified) by this process now
        folder = world.settings.artifact_root / "workspaces" / world.ws / "pipelines" / pipe["id"]
        other = ready_pipeline(world, model_id="dt", name="other")
        other_folder = folder.parent / other["id"]
        # a valid artifact of another model, with a manifest that agrees with it
        for name in ("pipeline.skops", "manifest.json"):
            (folder / name).write_bytes((other_folder / name).read_bytes())
        assert _predict(world, "iris-tamper", {"rows": [ROW]}).status_code == 200  # in memory
        world.client.app.state.pipeline_cache = PipelineCache()  # type: ignore[attr-defined]
        r = _predict(world, "iris-tamper", {"rows": [ROW]})  # as a process that loads it now
        assert r.status_code == 409
        assert "failed its SHA-256 check" in r.json()["detail"]
        assert len(world.client.app.state.pipeline_cache) == 0  # type: ignore[attr-defined]

    def test_cache_is_keyed_by_checksum(self, world: World) -> None:
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="one")
        deploy(world, pipe["id"], slug="two")
        for slug in ("one", "two", "one"):
            assert _predict(world, slug, {"rows": [ROW]}).status_code == 200
        assert len(world.client.app.state.pipeline_cache) == 1  # type: ignore[attr-defined]


def _iris_csv(n: int) -> tuple[bytes, pd.DataFrame]:
    frame, _target = samples.load("iris")
    features = frame[FEATURES]
    repeated = features.iloc[[i % len(features) for i in range(n)]].reset_index(drop=True)
    repeated.insert(0, "row_id", range(n))
    return repeated.to_csv(index=False).encode(), repeated


class TestCsv:
    @pytest.fixture
    def slug(self, world: World) -> str:
        deploy(world, ready_pipeline(world)["id"], slug="iris-batch", auth_mode="public")
        return "iris-batch"

    def test_100k_rows_stream_back_in_chunks(self, world: World, slug: str) -> None:
        content, frame = _iris_csv(100_000)
        status, chunks = anyio.run(
            asgi_post,
            world.client.app,
            f"/api/v1/deployments/{slug}/predict/csv",
            content,
            "text/csv",
        )
        assert status == 200
        assert len(chunks) >= 5
        scored = pd.read_csv(io.BytesIO(b"".join(chunks)))
        assert len(scored) == 100_000
        assert list(scored.columns[:5]) == ["row_id", *FEATURES]
        assert "prediction" in scored.columns
        assert "proba_setosa" in scored.columns
        assert scored["row_id"].tolist() == list(range(100_000))
        db = world.client.app.state.db  # type: ignore[attr-defined]
        from podium.server.db.models import Pipeline

        with db.sessions() as session:
            row = session.query(Pipeline).one()
        pipe = load_pipeline(world.settings.artifact_root / row.artifact_key.rsplit("/", 1)[0])
        head = frame.head(300)
        assert scored["prediction"].head(300).tolist() == (
            engine_predict(pipe, head)["prediction"].tolist()
        )
        dep = world.client.get(
            f"/api/v1/workspaces/{world.ws}/deployments", headers=world.owner.headers
        ).json()["data"][0]
        assert dep["request_count"] == 1
        assert dep["error_count"] == 0

    def test_chunks_scored_ahead_answer_every_row_as_the_engine_in_order(
        self, world: World, slug: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Chunks are scored on the pool while the check reads on and ahead of the stream:
        every row of a ~100k-row file of distinct rows, across 15 chunk boundaries, comes back
        in order with the engine's label and probabilities, byte for byte as when one chunk
        at a time is scored."""
        _content, frame = _iris_csv(99_991)
        noise = np.random.default_rng(17).normal(0.0, 0.3, (len(frame), len(FEATURES)))
        frame[FEATURES] = (frame[FEATURES] + noise).round(3)
        content = frame.to_csv(index=False).encode()
        monkeypatch.setattr(csv_predictions, "CSV_CHUNK_ROWS", 7_000)  # the last chunk is short
        url = f"/api/v1/deployments/{slug}/predict/csv"
        status, ahead = anyio.run(asgi_post, world.client.app, url, content, "text/csv")
        monkeypatch.setattr(scoring_pool, "AHEAD", 1)
        status_one, one = anyio.run(asgi_post, world.client.app, url, content, "text/csv")
        assert status == status_one == 200
        assert b"".join(ahead) == b"".join(one)
        scored = pd.read_csv(io.BytesIO(b"".join(ahead)))
        assert scored["row_id"].tolist() == list(range(len(frame)))
        db = world.client.app.state.db  # type: ignore[attr-defined]
        from podium.server.db.models import Pipeline

        with db.sessions() as session:
            row = session.query(Pipeline).one()
        pipe = load_pipeline(world.settings.artifact_root / row.artifact_key.rsplit("/", 1)[0])
        want = engine_predict(pipe, frame)
        assert scored["prediction"].tolist() == want["prediction"].tolist()
        proba = [c for c in want.columns if c.startswith("proba_")]
        assert proba
        assert list(scored.columns[-len(proba) :]) == proba
        np.testing.assert_allclose(scored[proba], want[proba], atol=1e-4)  # ONNX's float32

    def test_each_row_comes_back_as_sent_then_its_answers(self, world: World, slug: str) -> None:
        """The rows are echoed as the caller wrote them (``02134``, ``5.10``, ``NA``, quotes,
        CRLF), then the answer columns exactly as the whole table's writer spells them; the
        header is the one every scored CSV has."""
        head, sent = HEAD_AS_WRITTEN, ROWS_AS_WRITTEN
        body = ("\ufeff" + head + "\r\n" + "\r\n".join(sent) + "\r\n\r\n").encode()
        url = f"/api/v1/deployments/{slug}/predict/csv"
        r = world.client.post(url, content=body, headers={"content-type": "text/csv"})
        assert r.status_code == 200, r.text
        lines = r.content.decode().split("\n")
        names = ["row_id", *FEATURES, "note", "prediction"]
        assert lines[0].startswith(",".join(f'"{n}"' for n in names) + ',"proba_')
        frame = pd.read_csv(io.BytesIO(body), dtype={"row_id": str, "note": str})
        answers = _predict(world, slug, {"rows": frame[FEATURES].to_dict("records")}).json()
        back = pd.read_csv(io.BytesIO(r.content), dtype=str, keep_default_na=False)
        assert back["prediction"].tolist() == answers["predictions"]
        text = "\n".join(lines[1:])
        for i, row in enumerate(sent):  # each record as sent, then a comma and its answers
            assert text.startswith(row + ',"'), (i, text[:200])
            text = text[len(row) + 1 :].split("\n", 1)[1]
        assert text == ""

    @pytest.mark.parametrize("keep_rows", [1_000, 4])
    def test_a_file_is_echoed_whole_or_not_at_all(
        self, world: World, slug: str, monkeypatch: pytest.MonkeyPatch, keep_rows: int
    ) -> None:
        """Whether rows are echoed as sent is decided once per file: a column pandas types
        ``bool`` in the first chunk and mixes with missing values in the second (a text column
        Arrow's writer could take in one chunk only) makes every row written from its values,
        not the first chunk echoed and the second re-written; kept or read twice alike."""
        monkeypatch.setattr(csv_predictions, "CSV_CHUNK_ROWS", 4)
        monkeypatch.setattr(csv_predictions, "KEEP_ROWS", keep_rows)
        flags = ["True", "False", "True", "False", "True", "", "False", ""]
        lines = [f"00{i},5.1,3.5,1.4,0.2,{flag}" for i, flag in enumerate(flags)]
        body = ("row_id," + ",".join(FEATURES) + ",flag\n" + "\n".join(lines) + "\n").encode()
        url = f"/api/v1/deployments/{slug}/predict/csv"
        r = world.client.post(url, content=body, headers={"content-type": "text/csv"})
        assert r.status_code == 200, r.text
        ids = [line.split(",", 1)[0] for line in r.content.decode().splitlines()[1:]]
        assert ids == [str(i) for i in range(len(flags))]  # all as parsed: none as sent

    def test_a_csv_too_large_to_keep_is_read_twice_with_the_same_answer(
        self, world: World, slug: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Up to KEEP_ROWS rows the checked chunks are scored as kept; past it the file is
        read again. Both answer the same rows in the same order."""
        content, _frame = _iris_csv(1_000)
        url = f"/api/v1/deployments/{slug}/predict/csv"
        monkeypatch.setattr(csv_predictions, "CSV_CHUNK_ROWS", 150)
        kept = world.client.post(url, content=content, headers={"content-type": "text/csv"})
        monkeypatch.setattr(csv_predictions, "KEEP_ROWS", 400)
        again = world.client.post(url, content=content, headers={"content-type": "text/csv"})
        assert kept.status_code == again.status_code == 200
        assert kept.content == again.content
        assert pd.read_csv(io.BytesIO(again.content))["row_id"].tolist() == list(range(1_000))
        bad = content.replace(b"\n900,", b"\n900,oops", 1)  # a bad value past the kept rows
        r = world.client.post(url, content=bad, headers={"content-type": "text/csv"})
        assert r.status_code == 422
        assert "row 901" in r.json()["detail"]

    def test_multipart_and_bad_csv(self, world: World, slug: str) -> None:
        url = f"/api/v1/deployments/{slug}/predict/csv"
        content, _frame = _iris_csv(10)
        r = world.client.post(url, files={"file": ("rows.csv", content, "text/csv")})
        assert r.status_code == 200, r.text
        assert len(pd.read_csv(io.StringIO(r.text))) == 10
        assert r.headers["x-request-id"]
        cases = {
            "missing": (b"row_id,sepal length (cm)\n1,5.0\n", "missing column(s)"),
            "type": (content.replace(b"5.1", b"abc", 1), "must be a number"),
            "header only": (b",".join(f.encode() for f in FEATURES) + b"\n", "no rows"),
            "empty": (b"", "empty"),
            "latin-1": (
                content.decode().replace("5.1", "5\u00e9", 1).encode("latin-1"),
                "the CSV is not UTF-8 text (line 2): re-save it as UTF-8",
            ),
        }
        for name, (body, needle) in cases.items():
            r = world.client.post(url, content=body, headers={"content-type": "text/csv"})
            assert r.status_code == 422, (name, r.text)
            assert needle in r.json()["detail"], (name, r.text)
        strings = world.client.post(
            url, content=content.replace(b"5.1", b" 5.1 "), headers={"content-type": "text/csv"}
        )
        assert strings.status_code == 200, strings.text  # numbers written as text still count
        wrong_field = world.client.post(url, files={"data": ("rows.csv", content, "text/csv")})
        assert wrong_field.status_code == 422
        too_big = b"x" * (world.settings.max_upload_bytes + 1)
        r = world.client.post(url, content=too_big, headers={"content-type": "text/csv"})
        assert r.status_code == 413

    def test_a_bad_value_deep_in_the_file_is_refused_before_the_first_byte(
        self, world: World, slug: str
    ) -> None:
        """Row 25,001 (the second chunk) holds text in a number column: a 422 naming the row
        and the column, not a 200 whose stream breaks off."""
        content, _frame = _iris_csv(30_000)
        lines = content.split(b"\n")
        fields = lines[25_001].split(b",")
        fields[2] = b"wide"  # sepal width (cm)
        lines[25_001] = b",".join(fields)
        status, chunks = anyio.run(
            asgi_post,
            world.client.app,
            f"/api/v1/deployments/{slug}/predict/csv",
            b"\n".join(lines),
            "text/csv",
        )
        assert status == 422
        detail = json.loads(b"".join(chunks))["detail"]
        assert "column 'sepal width (cm)' must be a number" in detail
        assert "row 25001 has 'wide'" in detail


MIXED_CSV = "size,colour,flag,label\n" + "".join(
    f"{1 + (i % 9) * 0.5},{['red', 'green', 'blue'][i % 3]},{['true', 'false'][i % 2]},"
    f"{'yes' if (i % 9) > 3 or i % 3 == 0 else 'no'}\n"
    for i in range(90)
)


class TestCliCsv:
    @pytest.fixture(params=[True, False], ids=["onnx", "skops"])
    def settings(self, request: pytest.FixtureRequest, tmp_path: Path, db_url: str) -> Settings:
        """The server scores with the pipeline's ONNX export (the default), or with the skops
        pipeline (``PODIUM_SERVE_ONNX=false``)."""
        return make_settings(tmp_path, db_url, serve_onnx=request.param)

    def test_the_cli_writes_the_servers_scored_csv(
        self, world: World, tmp_path: Path, settings: Settings
    ) -> None:
        """``podium predict`` on a CSV writes the bytes the CSV endpoint answers for the same
        pipeline and file: rows echoed as sent (``02134``, ``5.10``, ``NA``, quotes, CRLF),
        then the answers; to a file and to stdout alike; scored with ONNX as the server is,
        or with the skops pipeline under the server's own setting (``PODIUM_SERVE_ONNX``)."""
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="iris-cli", auth_mode="public")
        archive = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.viewer.headers
        )
        zip_path = tmp_path / "pipeline.zip"
        zip_path.write_bytes(archive.content)
        _content, frame = _iris_csv(300)
        plain = [",".join(map(str, row)) + ",n" for row in frame.itertuples(index=False)]
        sent = [*ROWS_AS_WRITTEN, *plain]
        body = ("\ufeff" + HEAD_AS_WRITTEN + "\r\n" + "\r\n".join(sent) + "\r\n").encode()
        served = world.client.post(
            "/api/v1/deployments/iris-cli/predict/csv",
            content=body,
            headers={"content-type": "text/csv"},
        )
        assert served.status_code == 200, served.text
        assert served.content.split(b"\n")[1].startswith(b"02134,5.10,3.5,1.4,0.2,NA,")
        loaded = world.client.app.state.pipeline_cache.lookup(pipe["sha256"])  # type: ignore[attr-defined]
        assert (loaded.onnx is not None) is settings.serve_onnx  # the export exists and serves
        data, out = tmp_path / "rows.csv", tmp_path / "scored.csv"
        data.write_bytes(body)
        env = {"PODIUM_SERVE_ONNX": str(settings.serve_onnx).lower()}
        argv = ["predict", str(zip_path), str(data)]
        result = CliRunner().invoke(cli_app, [*argv, "-o", str(out)], env=env)
        assert result.exit_code == 0, result.output
        assert out.read_bytes() == served.content
        printed = CliRunner().invoke(cli_app, argv, env=env)
        assert printed.exit_code == 0, printed.output
        assert printed.stdout_bytes == served.content


class TestMixedTypes:
    def test_categorical_and_boolean_columns(self, world: World, tmp_path: Path) -> None:
        source = world.upload(content=MIXED_CSV, name="mixed.csv")
        board = {
            "columns": ["Model", "Accuracy"],
            "rows": [{"Model": "Logistic Regression", "model_id": "lr", "Accuracy": 0.9}],
        }
        from tests.server.api.serving import fake_succeeded_run, promote

        run_id = fake_succeeded_run(
            world,
            board,
            sklearn_dataset=None,
            data_source_id=source,
            target="label",
            task="binary",
        )
        made = promote(world, run_id, name="mixed").json()
        with worker(world.settings):
            pipe = wait_pipeline(world, made["id"])
        assert pipe["status"] == "ready", pipe
        kinds = {c["name"]: c["kind"] for c in pipe["input_schema"]}
        deploy(world, pipe["id"], slug="mixed", auth_mode="public")
        frame = pd.read_csv(io.StringIO(MIXED_CSV))
        rows = frame.drop(columns="label").head(6)
        r = _predict(world, "mixed", {"rows": rows.to_dict("records")})
        assert r.status_code == 200, (kinds, r.text)
        fresh = setup(frame, "label", task="binary").finalize("lr")
        assert r.json()["predictions"] == engine_predict(fresh, rows)["prediction"].tolist()
        unseen = {**rows.iloc[0].to_dict(), "colour": "purple"}
        assert _predict(world, "mixed", {"rows": [unseen]}).status_code == 200
        if kinds.get("flag") == "boolean":
            wrong = {**rows.iloc[0].to_dict(), "flag": "maybe"}
            r = _predict(world, "mixed", {"rows": [wrong]})
            assert r.status_code == 422
            assert "'flag' must be true or false" in r.json()["detail"]
