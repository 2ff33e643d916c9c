"""``Experiment.analyse``: the fit-based plots of any model a run can hold — a registry model
and a tuned, ensembled, blended or stacked one (a recipe), in the table's own columns."""

from __future__ import annotations

import pytest

from podium.engine import DataError, setup
from tests.engine.conftest import make_table


@pytest.fixture(scope="module")
def exp():  # type: ignore[no-untyped-def]
    return setup(make_table("binary", 120, 5), "y", folds=2, seed=5)


def test_a_registry_model_gets_every_plot(exp) -> None:  # type: ignore[no-untyped-def]
    plots = exp.analyse("dt")
    assert {"feature_importance", "permutation_importance", "learning_curve"} <= set(plots)
    assert "shap_summary" in plots
    assert "facets" not in plots["shap_summary"]  # binary: the positive class only
    bars = plots["permutation_importance"]["series"][0]
    assert bars["mark"] == "barh"
    assert set(bars["y"]) <= set(make_table("binary", 120, 5).columns)  # the table's own names


def test_a_blend_is_analysed_from_its_recipe(exp) -> None:  # type: ignore[no-untyped-def]
    """Before: analyse took registry ids only, so a blend's row failed ('unknown model')."""
    blend = exp.blend(["dt", "lr"])
    plots = exp.analyse(blend.model_id)
    assert {"permutation_importance", "learning_curve", "shap_summary"} <= set(plots)
    assert "feature_importance" not in plots  # a voting blend has no importance of its own
    notes = plots["permutation_importance"]["notes"]
    assert any(note.startswith(blend.model["name"]) for note in notes), notes


def test_params_on_a_composite_are_refused(exp) -> None:  # type: ignore[no-untyped-def]
    blend = exp.blend(["dt", "lr"])
    with pytest.raises(DataError, match="takes no params"):
        exp.analyse(blend.model_id, max_depth=3)


def test_multiclass_shap_keeps_every_class_to_pick_from() -> None:
    """Before: the beeswarm showed the first class only; the summary summed every class."""
    plots = setup(make_table("multiclass", 120, 5), "y", folds=2, seed=5).analyse("dt")
    classes = ["high", "low", "mid"]
    summary, swarm = plots["shap_summary"], plots["shap_beeswarm"]
    assert summary["facets"] == {"label": "Class", "values": ["All classes", *classes]}
    assert swarm["facets"] == {"label": "Class", "values": classes}
    bars = {s["facet"]: dict(zip(s["y"], s["x"], strict=True)) for s in summary["series"]}
    assert set(bars) == {"All classes", *classes}
    for column, total in bars["All classes"].items():  # mean |SHAP| adds up over classes
        assert total == pytest.approx(sum(bars[c][column] for c in classes))
    for c in classes:  # each class: every explained holdout row (36 of 120) in each column
        points = sum(len(s["x"]) for s in swarm["series"] if s["facet"] == c)
        assert points == 36 * 4
