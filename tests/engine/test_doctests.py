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
    "podium.engine.artifacts",
    "podium.engine.prepare",
    "podium.engine.samples",
    "podium.engine.schema",
    "podium.engine.errors",
    "podium.engine.targets",
    "podium.engine.params",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
