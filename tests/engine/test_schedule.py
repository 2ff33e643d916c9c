"""The default compare never looks hung: the default list follows the cost of the data, a cheap
model's row comes first, every model has a time limit, events say how far the run is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from podium.engine import Cancelled, DataError, EngineEvent, ProcessExecutor, setup
from podium.engine.models import registry
from podium.engine.run import scheduler as scheduler_module
from podium.engine.run.runner import NO_MODEL_IN_BUDGET
from tests.engine.conftest import make_table

COSTLY = {"classification": {"gpc", "mlp"}, "regression": {"tr", "mlp", "ard"}}


def _big_wide(task: str, n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """3,000 rows; 30 numbers and 12 categorical columns of 20 values (~280 encoded columns)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 30))
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(30)])
    for j in range(12):
        df[f"c{j}"] = rng.choice([f"v{i}" for i in range(20)], size=n)
    signal = X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(size=n)
    df["y"] = signal if task == "regression" else np.where(signal > 0, "a", "b")
    return df


def _stop_at_first(events: list[EngineEvent], kind: str):  # type: ignore[no-untyped-def]
    return lambda: any(e.kind == kind for e in events)


class TestDefaultList:
    @pytest.mark.parametrize("kind", ["classification", "regression"])
    def test_the_rule_follows_rows_times_width(self, kind: str) -> None:
        task = "binary" if kind == "classification" else "regression"
        specs = registry.models_for(task)
        kept, left = registry.default_split(specs, 100, 5)
        assert left == []  # a small table: every model
        assert kept == specs
        kept, left = registry.default_split(specs, 1800, 300)
        assert COSTLY[kind] <= {s.id for s in left}
        assert all(s.turbo for s in kept if s.growth == "table")
        assert {s.id for s in kept} >= {"lr", "rf", "dummy"}  # linear-cost models always stay
        for s in left:  # each left-out model grows faster than the table (MLPs: as fast, ×10⁴)
            assert not s.turbo
            assert s.expected_s(1800, 300) > registry.DEFAULT_FIT_S
            assert s.expected_s(3600, 600) > s.expected_s(1800, 300) * 3.9

    def test_default_leaves_costly_models_out_and_says_so(self, executor: ProcessExecutor) -> None:
        events: list[EngineEvent] = []
        exp = setup(_big_wide("regression"), "y", folds=2, seed=0)
        rows, width, _ = exp.fit_size()
        assert width >= 250
        with pytest.raises(Cancelled):
            exp.compare(
                on_event=events.append,
                should_stop=_stop_at_first(events, "model.started"),
                executor=executor,
            )
        warning = next(e.payload for e in events if e.payload.get("code") == "costly_models")
        assert {"tr", "mlp"} <= set(warning["models"])
        assert "Theil" in warning["message"]
        assert f"{rows:,} rows × {width:,}" in warning["message"]
        started = next(e.payload for e in events if e.kind == "model.started")
        assert started["model_id"] not in warning["models"]
        total = started["progress"]["models_total"]
        available = [s for s in registry.models_for("regression") if s.is_available]
        assert total == len(available) - len(warning["models"])

    def test_explicit_pick_keeps_them(self, executor: ProcessExecutor) -> None:
        events: list[EngineEvent] = []
        exp = setup(_big_wide("regression"), "y", folds=2, seed=0)
        with pytest.raises(Cancelled):
            exp.compare(
                models=["tr", "dummy"],
                on_event=events.append,
                should_stop=_stop_at_first(events, "model.started"),
                executor=executor,
            )
        assert not any(e.payload.get("code") == "costly_models" for e in events)
        started = next(e.payload for e in events if e.kind == "model.started")
        assert started["model_id"] == "tr"  # the only model that is not the baseline: first
        assert started["progress"]["models_total"] == 2

    def test_turbo_off_keeps_them(self, executor: ProcessExecutor) -> None:
        exp = setup(_big_wide("binary"), "y", folds=2, seed=0, turbo=False)
        specs = registry.resolve(exp.task, None)
        assert registry.default_split(specs, *exp.fit_size())[1]  # some would be left out...
        events: list[EngineEvent] = []
        with pytest.raises(Cancelled):
            exp.compare(on_event=events.append, should_stop=lambda: bool(events), executor=executor)
        assert not any(e.payload.get("code") == "costly_models" for e in events)


class TestFirstRow:
    def test_a_cheap_model_runs_first_then_the_longest(self, executor: ProcessExecutor) -> None:
        events: list[EngineEvent] = []
        exp = setup(make_table("binary", n=400), "y", folds=3, seed=0)
        with pytest.raises(Cancelled):
            exp.compare(
                models=["rf", "gbc", "lr", "dummy"],
                on_event=events.append,
                # the first row, and a second model started: on a starved machine the cheap
                # model can finish before the next one's start is reported
                should_stop=lambda: (
                    _stop_at_first(events, "leaderboard.updated")()
                    and sum(e.kind == "model.started" for e in events) >= 2
                ),
                executor=executor,
            )
        started = [e.payload["model_id"] for e in events if e.kind == "model.started"]
        assert started[0] == "lr"  # the cheapest model that is not the baseline
        assert started[1] == "gbc"  # then the longest expected fits
        first = next(e for e in events if e.kind == "leaderboard.updated")
        assert [r["model_id"] for r in first.payload["leaderboard"]["rows"]] == ["lr"]

    def test_order_puts_the_first_models_folds_first(self) -> None:
        from podium.engine.run.fits import FitTask

        tasks = [
            FitTask(m, "binary", f, 0, 2, c)
            for m, c in [("a", 5.0), ("b", 1.0), ("c", 9.0)]
            for f in (0, 1)
        ]
        keys = [t.key for t in scheduler_module.order(tasks, first="b")]
        assert keys == ["b/0", "b/1", "c/0", "c/1", "a/0", "a/1"]


class TestProgress:
    def test_events_say_n_of_n_models_and_time_left(self, executor: ProcessExecutor) -> None:
        events: list[EngineEvent] = []
        exp = setup(make_table("multiclass"), "y", folds=2, seed=0)
        exp.compare(models=["dt", "nb", "dummy"], on_event=events.append, executor=executor)
        updates = [e.payload["progress"] for e in events if e.kind == "leaderboard.updated"]
        assert [p["models_done"] for p in updates] == [1, 2, 3]
        assert {p["models_total"] for p in updates} == {3}
        assert updates[-1]["eta_s"] == 0.0
        assert all(p["eta_s"] >= 0 and p["elapsed_s"] >= 0 for p in updates)
        fitted = [e.payload["progress"] for e in events if e.kind == "model.fitted"]
        assert len(fitted) == 6
        assert fitted[0]["models_total"] == 3


class TestTimeLimits:
    def test_budget_spent_before_any_model_fails_with_the_message(
        self, executor: ProcessExecutor
    ) -> None:
        events: list[EngineEvent] = []
        exp = setup(_big_wide("binary"), "y", folds=2, seed=0)
        with pytest.raises(DataError) as err:
            exp.compare(
                models=["gbc", "rf"], budget_s=0.0, on_event=events.append, executor=executor
            )
        assert str(err.value) == NO_MODEL_IN_BUDGET
        assert NO_MODEL_IN_BUDGET == (
            "no model finished within the time budget — raise it or pick faster models"
        )
        assert any(e.payload.get("code") == "budget" for e in events)
        assert "compare.finished" not in [e.kind for e in events]

    def test_a_model_over_its_default_limit_keeps_a_row_saying_so(
        self, monkeypatch: pytest.MonkeyPatch, executor: ProcessExecutor
    ) -> None:
        # no limit given: the derived one is 3 × the larger of a model's expected fit time and
        # the others'; its factor and floor are lowered so that gbc (expected ~35 s of fitting
        # here) is stopped after a few seconds, while nb and dummy (milliseconds) never are
        monkeypatch.setattr(scheduler_module, "OTHERS_FACTOR", 0.05)
        monkeypatch.setattr(scheduler_module, "LIMIT_FLOOR_S", 1.0)
        events: list[EngineEvent] = []
        exp = setup(_big_wide("binary"), "y", folds=2, seed=0)
        res = exp.compare(models=["gbc", "nb", "dummy"], on_event=events.append, executor=executor)
        by_id = {r["model_id"]: r for r in res.leaderboard["rows"]}
        assert "per-model time limit" in by_id["gbc"]["Error"]
        assert "its expected fit time or the other models'" in by_id["gbc"]["Error"]
        assert by_id["nb"]["Error"] is None
        assert by_id["dummy"]["Error"] is None
        assert ("warning", "model_time_limit") in [(e.kind, e.payload.get("code")) for e in events]

    def test_derived_limits(self) -> None:
        from podium.engine.run.fits import FitTask

        def tasks(costs: dict[str, float]) -> list[FitTask]:
            return [FitTask(m, "binary", f, 0, 2, c / 2) for m, c in costs.items() for f in (0, 1)]

        Limits, ModelLimit = scheduler_module.Limits, scheduler_module._ModelLimit
        budget = ModelLimit(
            Limits(budget_s=10.0, default_model_limit=True), tasks(dict.fromkeys("abcd", 1.0)), 2
        )
        assert budget.of("a", {"b": 100.0}) == (15.0, "3 × its share of the time budget")
        given = Limits(budget_s=10.0, model_time_limit_s=2.0, default_model_limit=True)
        assert ModelLimit(given, tasks({"a": 1.0}), 2).of("a", {}) == (2.0, None)
        assert not ModelLimit(Limits(), tasks({"a": 1.0}), 2).active
        derived = ModelLimit(
            Limits(default_model_limit=True), tasks({"slow": 100.0, "fast": 1.0}), 2
        )
        floor = scheduler_module.LIMIT_FLOOR_S
        # the first model to run fills both slots: the others' *expected* time counts already
        assert derived.of("slow", {"slow": 50.0})[0] == 300.0  # 3 × its own expected 100 s
        assert derived.of("fast", {"slow": 50.0})[0] == 300.0  # 3 × the others' expected
        assert derived.of("fast", {"slow": 500.0})[0] == 1500.0  # ... or used, when larger
        assert derived.of("slow", {}, scale=2.0)[0] == 600.0  # a slow machine stretches it
        tiny = ModelLimit(Limits(default_model_limit=True), tasks({"a": 0.01, "b": 0.01}), 2)
        assert tiny.of("a", {"a": 1.0}) == (
            floor,
            "3 × its expected fit time or the other models', whichever is larger",
        )
