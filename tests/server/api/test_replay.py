"""Replay: "Run again" queues an identical run from a run's snapshot; it refuses (409, saying
what differs) when the data changed or a library that changes results moved major.minor, and
a replay on a real worker gives the same leaderboard scores."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from podium.server.db.models import DataSource, Run
from podium.server.db.session import Database
from tests.server.api.serving import worker
from tests.server.conftest import World

WAIT_S = 300
TIMING = {"TT (Sec)"}


def _wait(world: World, run_id: str) -> dict[str, Any]:
    r = world.client.get(
        f"/api/v1/runs/{run_id}/wait?timeout={WAIT_S}", headers=world.owner.headers
    )
    body: dict[str, Any] = r.json()
    return body


def _scores(run: dict[str, Any]) -> list[dict[str, Any]]:
    """Every row's scores, by model (rows tied on the sort metric may swap places)."""
    rows = sorted(run["leaderboard"]["rows"], key=lambda row: str(row["model_id"]))
    return [{k: v for k, v in row.items() if k not in TIMING} for row in rows]


# iris-like with one label in seven moved to the next class: scores below 1, so they tell
NOISY = "a,b,c,d,species\n" + "".join(
    f"{5 + (i % 7) / 10 + (i % 11) / 50},{3 + (i % 5) / 10},{1 + (i % 3) * 2 + (i % 4) / 5},"
    f"{(i % 3) * 0.8},{['setosa', 'versicolor', 'virginica'][(i + (i % 7 == 0)) % 3]}\n"
    for i in range(90)
)


def _replay(world: World, run_id: str, who: str = "owner") -> Any:
    return world.client.post(f"/api/v1/runs/{run_id}/replay", headers=world.as_(who))


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestReplay:
    def test_replay_gives_the_same_scores(self, world: World) -> None:
        source = world.upload(content=NOISY)
        exp = world.experiment(
            world.project(), data_source_id=source, target="species", setup_params={"folds": 3}
        )
        first = world.run(exp, plan="compare", plan_params={"models": ["dt", "nb", "lr"]})
        with worker(world.settings):
            done = _wait(world, first["id"])
            assert done["status"] == "succeeded", done
            # the experiment is edited afterwards: the replay follows the snapshot, not it
            world.client.patch(
                f"/api/v1/experiments/{exp}",
                json={"setup_params": {"folds": 5}},
                headers=world.owner.headers,
            )
            assert _replay(world, first["id"], "viewer").status_code == 403
            again = _replay(world, first["id"], "editor")
            assert again.status_code == 202, again.text
            replayed = _wait(world, again.json()["id"])
        assert replayed["status"] == "succeeded", replayed
        assert replayed["snapshot"]["replay_of"] == first["id"]
        assert replayed["snapshot"]["data"] == done["snapshot"]["data"]
        assert replayed["snapshot"]["experiment"]["setup_params"]["folds"] == 3
        assert (
            replayed["snapshot"]["experiment"]["setup_params"]["seed"] == done["snapshot"]["seed"]
        )
        assert _scores(replayed) == _scores(done)
        assert any(row["Accuracy"] < 1 for row in _scores(done))

    def test_changed_data_is_refused(self, world: World) -> None:
        source = world.upload()
        exp = world.experiment(world.project(), data_source_id=source, target="species")
        run = world.run(exp, plan="setup")
        with _db(world).sessions() as session:
            key = session.scalar(
                select(DataSource.storage_key).where(DataSource.id == uuid.UUID(source))
            )
        path = Path(world.settings.artifact_root) / str(key)
        path.write_bytes(path.read_bytes().replace(b"setosa", b"SETOSA"))
        r = _replay(world, run["id"])
        assert r.status_code == 409
        detail = r.json()["detail"]
        assert "the data changed (data source 'flowers' has SHA-256" in detail
        path.unlink()
        gone = _replay(world, run["id"])
        assert gone.status_code == 409
        assert "is missing from the store" in gone.json()["detail"]

    def test_other_library_versions_are_refused(self, world: World) -> None:
        exp = world.experiment(world.project())
        run = world.run(exp, plan="setup")
        with _db(world).sessions() as session:
            row = session.get_one(Run, uuid.UUID(run["id"]))
            versions = dict(row.snapshot["versions"])
            old = {**versions, "scikit-learn": "0.24.2", "numpy": versions["numpy"] + "9"}
            old.pop("pandas")
            session.execute(
                update(Run)
                .where(Run.id == row.id)
                .values(snapshot={**row.snapshot, "versions": old})
            )
            session.commit()
        r = _replay(world, run["id"])
        assert r.status_code == 409
        detail = r.json()["detail"]
        sklearn = ".".join(versions["scikit-learn"].split(".")[:2])
        pandas = ".".join(versions["pandas"].split(".")[:2])
        assert f"scikit-learn 0.24 → {sklearn}" in detail
        assert f"pandas absent → {pandas}" in detail
        assert "numpy" not in detail  # a patch release does not change results
