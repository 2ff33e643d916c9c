"""Run the docstring examples of the public engine API."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "podium.engine",
    "podium.engine.describe",
    "podium.engine.events",
    "podium.engine.experiment",
    "podium.engine.artifacts.pipeline",
    "podium.engine.setup_experiment",
    "podium.engine.samples",
    "podium.engine.prepare.schema",
    "podium.engine.errors",
    "podium.engine.prepare.targets",
    "podium.engine.prepare.params",
    "podium.engine.models.registry",
    "podium.engine.models.spec",
    "podium.engine.models.spaces",
    "podium.engine.models.recipes",
    "podium.engine.search.methods",
    "podium.engine.search.models",
    "podium.engine.run.plans",
    "podium.engine.forecast",
    "podium.engine.forecast.experiment",
    "podium.engine.forecast.metrics",
    "podium.engine.tasks",
    "podium.engine.unsupervised",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
