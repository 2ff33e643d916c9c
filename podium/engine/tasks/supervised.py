"""The tabular supervised tasks: binary, multiclass and regression, learnt from a target column
(``setup_experiment.setup_supervised``)."""

from __future__ import annotations

from podium.engine.tasks.base import ALL_PLANS, TaskDef

_PARTS = {
    "setup": "podium.engine.setup_experiment:setup_supervised",
    "models": "podium.engine.models.registry:describe_models",
    "metrics": "podium.engine.run.metrics:describe_metrics",
    "setup_params": "podium.engine.prepare.params:supervised_params",
    "cv": "podium.engine.prepare.cv:fold_indices",
    "plots": "podium.engine.evaluate.plots:describe_plots",
    "predict": "podium.engine.artifacts.pipeline:predict",
    "prepare_input": "podium.engine.standalone:prepare_rows",
}

BINARY = TaskDef(
    id="binary",
    name="Binary classification",
    description="Predict one of two classes.",
    model_kind="classification",
    target="required",
    inferable=True,
    available=True,
    default_metric="Accuracy",
    output="label",
    plans=ALL_PLANS,
    **_PARTS,
)
MULTICLASS = TaskDef(
    id="multiclass",
    name="Multiclass classification",
    description="Predict one of three or more classes.",
    model_kind="classification",
    target="required",
    inferable=True,
    available=True,
    default_metric="Accuracy",
    output="label",
    plans=ALL_PLANS,
    **_PARTS,
)
REGRESSION = TaskDef(
    id="regression",
    name="Regression",
    description="Predict a number.",
    model_kind="regression",
    target="required",
    inferable=True,
    available=True,
    default_metric="R2",
    output="value",
    plans=ALL_PLANS,
    **_PARTS,
)
