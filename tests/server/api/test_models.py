"""A run's models: stored out-of-fold/holdout predictions, the model view, holdout scores and
hyperparameters on the promoted pipeline — with a real worker."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from functools import partial
from typing import Any

import numpy as np
import pytest
from sqlalchemy import update

from podium.engine.run.predictions import ModelPredictions, PredictionSet
from podium.server.db import session as session_module
from podium.server.db.models import Run
from podium.server.db.session import Database
from podium.server.services import models
from podium.server.services.analysis import plot_key
from podium.server.storage import LocalArtifactStore
from tests.conftest import new_id as new_uuid
from tests.server.api.serving import after_first_row, cancel, promote, wait_pipeline, worker
from tests.server.conftest import World

WAIT_S = 120


def _finished_run(world: World, **plan: Any) -> dict[str, Any]:
    exp = world.experiment(
        world.project(), sklearn_dataset="sklearn:iris", setup_params={"folds": 3}
    )
    body = plan or {"plan": "compare", "plan_params": {"models": ["dt", "lr"]}}
    run = world.run(exp, **body)
    with worker(world.settings):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            done: dict[str, Any] = world.client.get(
                f"/api/v1/runs/{run['id']}", headers=world.owner.headers
            ).json()
            if done["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.1)
    assert done["status"] == "succeeded", done
    return done


def model_of(world: World, run_id: str, model_id: str = "lda") -> str:
    """End ``run_id`` succeeded with one model on its leaderboard and its (synthetic)
    predictions in the store, as a worker leaves a compare run; returns the model id."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, size=30).astype("int32")
    scores = rng.dirichlet(np.ones(3), size=30).astype("float32")
    oof = PredictionSet(np.arange(30), y, scores.argmax(axis=1).astype("int32"), scores)
    folds = {0: {"Accuracy": 0.9}, 1: {"Accuracy": 0.8}}
    stored = ModelPredictions(
        model_id, "LDA", "multiclass", ["a", "b", "c"], "probability", oof, None,
        params={"solver": "svd"}, fold_scores=folds,
    )  # fmt: skip
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        run = session.get(Run, uuid.UUID(run_id))
        assert run is not None
        models.store_predictions(
            LocalArtifactStore(world.settings.artifact_root), run.workspace_id, run.id, [stored]
        )
        board = {"columns": ["Model", "Accuracy"], "rows": [
            {"Model": "LDA", "Accuracy": 0.85, "model_id": model_id}
        ]}  # fmt: skip
        result = {"task": "multiclass", "holdout": {}, "preprocessing": []}
        session.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(status="succeeded", plan="compare", leaderboard=board, result=result)
        )
        session.commit()
    return model_id


@pytest.fixture
def compared(world: World) -> dict[str, Any]:
    return _finished_run(world)


class TestStoredPredictions:
    def test_each_model_keeps_oof_and_holdout_in_the_store(
        self, world: World, compared: dict[str, Any]
    ) -> None:
        folder = world.settings.artifact_root / "workspaces" / world.ws / "runs" / compared["id"]
        files = sorted(p.name for p in (folder / "predictions").iterdir())
        assert files == ["dt.npz", "lr.npz"]
        p = ModelPredictions.load((folder / "predictions" / "lr.npz").read_bytes())
        assert (len(p.oof), len(p.holdout or [])) == (105, 45)  # 150 rows, 30 % held out
        assert p.oof.scores is not None
        assert p.oof.scores.shape == (105, 3)
        assert np.array_equal(np.sort(np.concatenate([p.oof.rows, p.holdout.rows])), np.arange(150))
        # the database keeps scores only: the Holdout column and each model's holdout metrics
        board = compared["leaderboard"]
        assert "Holdout" in board["columns"]
        holdout = compared["result"]["holdout"]
        assert set(holdout) == {"dt", "lr"}
        for row in board["rows"]:
            assert row["Holdout"] == holdout[row["model_id"]]["Accuracy"]

    def test_promoted_manifest_has_holdout_and_every_hyperparameter(
        self, world: World, compared: dict[str, Any]
    ) -> None:
        r = promote(world, compared["id"], model_id="lr")
        assert r.status_code == 202, r.text
        assert r.json()["metrics"]["holdout"] == compared["result"]["holdout"]["lr"]
        with worker(world.settings):
            body = wait_pipeline(world, r.json()["id"])
        assert body["status"] == "ready", body
        assert body["metrics"]["holdout"]["Accuracy"] is not None
        assert {"C", "max_iter", "solver", "tol"} <= set(body["params"])
        folder = world.settings.artifact_root / "workspaces" / world.ws / "pipelines" / body["id"]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["metrics"]["holdout"] == body["metrics"]["holdout"]
        assert manifest["extra"]["params"] == body["params"]


def _get(world: World, path: str) -> Any:
    return world.client.get(f"/api/v1{path}", headers=world.owner.headers)


class TestModelView:
    def test_every_part_of_a_real_compare_model(
        self, world: World, compared: dict[str, Any]
    ) -> None:
        run_id = compared["id"]
        r = _get(world, f"/runs/{run_id}/models/lr")
        assert r.status_code == 200, r.text
        model = r.json()
        assert (model["model_id"], model["name"], model["task"]) == (
            "lr",
            "Logistic Regression",
            "multiclass",
        )
        assert {"C", "max_iter", "solver"} <= set(model["params"])
        assert model["preprocessing"][0]["name"] == "numeric"
        assert len(model["preprocessing"][0]["columns"]) == 4
        folds = model["folds"]
        assert [row["Fold"] for row in folds["rows"]] == [0, 1, 2, "Mean", "Std"]
        row = next(r for r in compared["leaderboard"]["rows"] if r["model_id"] == "lr")
        assert model["cv"] == {k: row[k] for k in model["cv"]}
        assert model["cv"]["Accuracy"] == row["Accuracy"]
        assert model["holdout"] == compared["result"]["holdout"]["lr"]
        assert model["no_holdout"] is None
        plots = {p["id"]: p for p in model["plots"]}
        assert plots["roc"]["available"]
        assert plots["calibration"]["available"]
        assert plots["roc"]["source"] == "predictions"
        assert plots["shap_summary"] == {
            "id": "shap_summary",
            "title": "SHAP summary",
            "source": "analysis",
            "available": False,
        }
        assert "threshold" not in plots  # binary only

        for pid in [p for p, info in plots.items() if info["source"] == "predictions"]:
            r = _get(world, f"/runs/{run_id}/models/lr/plots/{pid}")
            assert r.status_code == 200, (pid, r.text)
            plot = r.json()
            assert plot["id"] == pid
            assert plot["series"] or plot["heatmap"]
        cm = _get(world, f"/runs/{run_id}/models/lr/plots/confusion_matrix").json()
        assert sum(map(sum, cm["heatmap"]["values"])) == 105  # every training row once
        assert cm["notes"][0] == "out-of-fold predictions, 3 folds, 105 rows"
        held = _get(world, f"/runs/{run_id}/models/lr/plots/confusion_matrix?split=holdout")
        assert sum(map(sum, held.json()["heatmap"]["values"])) == 45

    def test_a_create_run_of_a_regression(self, world: World) -> None:
        exp = world.experiment(
            world.project(),
            task="regression",
            target="target",
            sklearn_dataset="sklearn:diabetes",
            setup_params={"folds": 2},
        )
        run = world.run(exp, plan="create", model_id="ridge", plan_params={"alpha": 2.0})
        done = _wait_done(world, run["id"])
        model = _get(world, f"/runs/{run['id']}/models/ridge").json()
        assert model["params"]["alpha"] == 2.0
        assert model["folds"] == done["leaderboard"]
        assert model["holdout"] == done["result"]["holdout"]["ridge"]
        ids = [p["id"] for p in model["plots"] if p["available"]]
        assert ids == ["residuals", "residual_distribution", "prediction_error"]
        hist = _get(world, f"/runs/{run['id']}/models/ridge/plots/residual_distribution").json()
        assert sum(hist["series"][0]["y"]) == 309  # 442 rows, 30 % held out


def _wait_done(world: World, run_id: str) -> dict[str, Any]:
    with worker(world.settings):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            done: dict[str, Any] = _get(world, f"/runs/{run_id}").json()
            if done["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.1)
    assert done["status"] == "succeeded", done
    return done


class TestRefusals:
    def test_unknown_model_plot_split_and_analysis_not_computed(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")["id"]
        model_of(world, run)
        r = _get(world, f"/runs/{run}/models/rf")
        assert r.status_code == 404
        assert r.json()["detail"] == f"model 'rf' is not in run {run}; its models: lda"
        r = _get(world, f"/runs/{run}/models/lda/plots/residuals")
        assert r.status_code == 404
        assert r.json()["detail"].startswith(
            "unknown plot 'residuals' for task 'multiclass': use one of confusion_matrix,"
        )
        r = _get(world, f"/runs/{run}/models/lda/plots/roc?split=test")
        assert r.status_code == 422
        r = _get(world, f"/runs/{run}/models/lda/plots/roc?split=holdout")
        assert r.status_code == 409
        assert "no holdout predictions" in r.json()["detail"]
        r = _get(world, f"/runs/{run}/models/lda/plots/permutation_importance")
        assert r.status_code == 409
        assert r.json()["detail"] == (
            "plot 'permutation_importance' of model 'lda' is not computed yet; "
            f"POST /api/v1/runs/{run}/models/lda/analysis to compute it"
        )
        r = _get(world, f"/runs/{new_uuid()}/models/lda")
        assert r.status_code == 404

    def test_analysis_plot_is_served_once_written(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")["id"]
        model_of(world, run)
        plot = {
            "id": "permutation_importance",
            "title": "Permutation importance",
            "kind": "xy",
            "x": {"label": "Drop in accuracy"},
            "y": {"label": "Column", "scale": "band"},
            "series": [{"name": "mean", "mark": "barh", "x": [0.2], "y": ["petal width"]}],
            "notes": ["5 repeats"],
        }
        key = plot_key(uuid.UUID(world.ws), uuid.UUID(run), "lda", plot["id"])
        path = world.settings.artifact_root / key
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(plot))
        r = _get(world, f"/runs/{run}/models/lda/plots/permutation_importance")
        assert r.status_code == 200
        assert r.json()["series"][0]["y"] == ["petal width"]
        listed = {
            p["id"]: p["available"] for p in _get(world, f"/runs/{run}/models/lda").json()["plots"]
        }
        assert listed["permutation_importance"]
        assert not listed["shap_summary"]

    def test_the_model_view_says_why_a_model_has_no_holdout_scores(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")["id"]
        model_of(world, run)
        model = _get(world, f"/runs/{run}/models/lda").json()
        assert (model["holdout"], model["no_holdout"]) == (
            None,
            "the run scored no model on a holdout split (it kept none)",
        )
        # auto: only the model it returns (and its ensemble's members) is scored on the holdout
        board = {"columns": ["Model", "Accuracy", "Holdout"], "rows": [
            {"Model": "Ensemble", "Accuracy": 0.9, "Holdout": 0.88, "model_id": "auto_ensemble"},
            {"Model": "LDA", "Accuracy": 0.85, "Holdout": None, "model_id": "lda"},
        ]}  # fmt: skip
        result = {"task": "multiclass", "holdout": {"auto_ensemble": {"Accuracy": 0.88}}}
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(run))
                .values(plan="auto", leaderboard=board, result={**result, "preprocessing": []})
            )
            session.commit()
        model = _get(world, f"/runs/{run}/models/lda").json()
        assert model["holdout"] is None
        assert model["no_holdout"].startswith(
            "auto scores the holdout only for the model it returns and its ensemble's members"
        )

    def test_the_model_view_says_whether_its_analysis_was_asked_for(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")["id"]
        model_of(world, run)
        assert _get(world, f"/runs/{run}/models/lda").json()["analysis"] is None
        assert _get(world, f"/runs/{run}/models/lda/analysis").status_code == 404
        queued = world.client.post(
            f"/api/v1/runs/{run}/models/lda/analysis", headers=world.editor.headers
        )
        assert queued.status_code == 202, queued.text
        assert _get(world, f"/runs/{run}/models/lda").json()["analysis"] == "queued"

    def test_a_model_without_predictions_says_why(self, world: World) -> None:
        board = {"columns": ["Model", "Accuracy"], "rows": [
            {"Model": "LDA", "model_id": "lda", "Accuracy": 0.9},
            {"Model": "KNN", "model_id": "knn", "Accuracy": 0.8, "partial": True,
             "folds_done": 2},
            {"Model": "NB", "model_id": "nb", "Accuracy": None, "Error": "boom"},
            {"Model": "Ridge", "model_id": "ridge", "Accuracy": 0.7, "partial": True,
             "folds_done": 5, "fit_rows": 1400},
        ]}  # fmt: skip
        run = world.run(world.experiment(world.project()), plan="setup")["id"]
        model_of(world, run)  # lda's predictions stored
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(update(Run).where(Run.id == uuid.UUID(run)).values(leaderboard=board))
            session.commit()
        why = {m: _get(world, f"/runs/{run}/models/{m}").json()["no_predictions"] for m in
               ("lda", "knn", "nb")}  # fmt: skip
        assert why == {
            "lda": None,
            "knn": "the race stopped it after 2 fold(s), so not every row has an out-of-fold "
            "prediction",
            "nb": "the model failed: boom",
        }
        halved = _get(world, f"/runs/{run}/models/ridge").json()
        assert halved["cv"] == {"Accuracy": 0.7}  # fit_rows is not a metric
        r = _get(world, f"/runs/{run}/models/nb/plots/roc")
        assert r.status_code == 409
        assert r.json()["detail"].endswith("has no stored predictions: the model failed: boom")

    def test_a_running_run_has_no_models_yet(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))["id"]
        r = _get(world, f"/runs/{run}/models/dt")
        assert r.status_code == 409
        assert r.json()["detail"] == f"run {run} is queued: its models can be read once it ends"


class TestDescribePlots:
    def test_plots_per_task(self, world: World) -> None:
        binary = _get(world, "/describe/plots?task=binary").json()
        assert binary[0] == {
            "id": "confusion_matrix",
            "title": "Confusion matrix",
            "source": "predictions",
            "description": "Rows of each actual class by predicted class (counts).",
        }
        assert "threshold" in [p["id"] for p in binary]
        regression = [p["id"] for p in _get(world, "/describe/plots?task=regression").json()]
        assert regression[:3] == ["residuals", "residual_distribution", "prediction_error"]
        assert _get(world, "/describe/plots?task=ranking").status_code == 422


class TestStoppedRuns:
    def test_a_cancelled_compare_keeps_the_plots_of_its_finished_models(self, world: World) -> None:
        # digits, many models: seconds of fits remain after the first row on any machine
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
        models_ = ["rf", "et", "hgb", "ada", "lr", "knn", "dt", "nb"]
        run = world.run(exp, plan="compare", plan_params={"models": models_})
        with worker(world.settings):
            after_first_row(world, run["id"], cancel(world, run["id"]), WAIT_S)
        done = _get(world, f"/runs/{run['id']}").json()
        assert done["status"] == "cancelled", done
        _assert_finished_models_draw(world, done, len(models_))

    def test_a_compare_that_fails_unexpectedly_keeps_the_plots_of_its_finished_models(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write the database refuses mid-run (SQLite, locked past its busy timeout by
        another writer) fails the run; the models that had finished keep their plots."""
        if not world.settings.database_url.startswith("sqlite"):
            pytest.skip("the refused write is SQLite's busy timeout")
        monkeypatch.setattr(session_module, "SQLITE_BUSY_TIMEOUT_MS", 1000)  # the worker's
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
        models_ = ["rf", "et", "hgb", "ada", "lr", "knn", "dt", "nb"]
        run = world.run(exp, plan="compare", plan_params={"models": models_})
        database = world.settings.database_url.removeprefix("sqlite:///")
        other_writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        failed = _ReleaseOnError(other_writer)  # the lock goes once the run has failed
        logging.getLogger("podium.worker.runs").addHandler(failed)
        # the lock lasts until the worker's next event, some fits away: its lease outlasts it
        settings = world.settings.model_copy(update={"lease_s": 120.0})
        try:
            with worker(settings):  # the worker's next event waits on the lock, then fails
                lock = partial(other_writer.execute, "BEGIN IMMEDIATE")
                after_first_row(world, run["id"], lock, WAIT_S)
        finally:
            logging.getLogger("podium.worker.runs").removeHandler(failed)
            other_writer.close()
        done = _get(world, f"/runs/{run['id']}").json()
        assert done["status"] == "failed", done
        assert "database is locked" in done["error"]
        _assert_finished_models_draw(world, done, len(models_))


class _ReleaseOnError(logging.Handler):
    """Ends ``connection``'s transaction when the worker logs a run's failure."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__(logging.ERROR)
        self.connection = connection

    def emit(self, record: logging.LogRecord) -> None:
        if self.connection.in_transaction:
            self.connection.rollback()


def _assert_finished_models_draw(world: World, done: dict[str, Any], planned: int) -> None:
    """Some but not all models finished; each keeps its holdout scores and draws its plots."""
    finished = [r["model_id"] for r in done["leaderboard"]["rows"]]
    assert 1 <= len(finished) < planned
    assert set(done["result"]["holdout"]) == set(finished)
    for model_id in finished:
        view = _get(world, f"/runs/{done['id']}/models/{model_id}").json()
        assert next(p for p in view["plots"] if p["id"] == "roc")["available"], view
        cm = _get(world, f"/runs/{done['id']}/models/{model_id}/plots/confusion_matrix")
        assert cm.status_code == 200, cm.text
        assert sum(map(sum, cm.json()["heatmap"]["values"])) == 1257  # 1,797 rows, 70 %
