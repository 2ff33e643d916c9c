"""Events: kinds, order and payloads of setup, compare and create."""

from __future__ import annotations

import json
from typing import Any

import pytest

from podium.engine import DataError, EngineEvent, setup
from tests.engine.conftest import make_table


def test_compare_event_order_and_payloads(executor: Any) -> None:
    events: list[EngineEvent] = []
    exp = setup(make_table("binary"), "y", folds=2, on_event=events.append)
    exp.compare(models=["dt", "lr", "dummy"], on_event=events.append, executor=executor)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["setup.started", "setup.finished"]
    assert kinds[-1] == "compare.finished"
    assert events[0].payload == {"rows": 60, "columns": 5, "target": "y"}
    fin = events[1].payload
    assert set(fin) == {
        "task",
        "target",
        "folds",
        "train_rows",
        "holdout_rows",
        "schema",
        "findings",
    }
    assert (fin["task"], fin["folds"], fin["train_rows"] + fin["holdout_rows"]) == ("binary", 2, 60)
    for model_id in ("dt", "lr", "dummy"):
        mine = [i for i, e in enumerate(events) if e.payload.get("model_id") == model_id]
        own_kinds = [events[i].kind for i in mine]
        assert own_kinds == ["model.started", "model.fitted", "model.fitted"]
        fitted = [events[i] for i in mine[1:]]
        assert sorted(e.payload["fold"] for e in fitted) == [0, 1]
        assert all(e.duration_ms is not None and e.duration_ms >= 0 for e in fitted)
        assert set(fitted[0].payload["scores"]) == {
            "Accuracy",
            "AUC",
            "Recall",
            "Prec.",
            "F1",
            "Kappa",
            "MCC",
        }
        # the leaderboard is updated after the model's last fold
        updates = [i for i, e in enumerate(events) if e.kind == "leaderboard.updated"]
        assert any(u > mine[-1] for u in updates)
    updates = [e for e in events if e.kind == "leaderboard.updated"]
    assert [len(u.payload["leaderboard"]["rows"]) for u in updates] == [1, 2, 3]
    final = updates[-1].payload["leaderboard"]
    assert events[-1].payload == {"best": [final["rows"][0]["model_id"]], "leaderboard": final}
    for e in events:
        json.dumps(e.payload)  # JSON-serialisable


def test_model_failure_in_a_worker_is_an_event_then_a_clear_error(executor: Any) -> None:
    events: list[EngineEvent] = []
    exp = setup(make_table("binary"), "y", folds=2)
    with pytest.raises(DataError, match=r"model 'dt' failed: .*max_depth"):
        exp.create("dt", on_event=events.append, executor=executor, max_depth=-1)
    failed = [e for e in events if e.kind == "model.failed"]
    assert len(failed) == 1
    assert failed[0].payload["model_id"] == "dt"
    assert "max_depth" in failed[0].payload["error"]


def test_create_events(executor: Any) -> None:
    events: list[EngineEvent] = []
    exp = setup(make_table("regression"), "y", folds=2)
    exp.create("dt", on_event=events.append, executor=executor, max_depth=3)
    kinds = [e.kind for e in events]
    assert kinds[0] == "model.started"
    assert kinds.count("model.fitted") == 2
    assert kinds[-2:] == ["leaderboard.updated", "create.finished"]
    assert events[-1].payload["model_id"] == "dt"
    assert [r["Fold"] for r in events[-1].payload["leaderboard"]["rows"]] == [0, 1, "Mean", "Std"]
