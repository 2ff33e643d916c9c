"""Predict with ``"explain": true``: each row's top contributions in the input columns plus the
base value add up to the model's answer (a tree model and a model-agnostic one), bounded rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from podium.server.config import Settings
from tests.conftest import make_settings
from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World

FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
ROWS = [
    dict(zip(FEATURES, values, strict=True))
    for values in ([5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5])
]


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Real builds: SQLite only, to keep the suite fast."""
    return make_settings(tmp_path, sqlite_url)


def _predict(world: World, slug: str, body: dict[str, Any]) -> Any:
    return world.client.post(f"/api/v1/deployments/{slug}/predict", json=body)


@pytest.mark.parametrize(("model_id", "output"), [("dt", "probability"), ("lr", "probability")])
def test_contributions_and_base_value_add_up_to_the_answer(
    world: World, model_id: str, output: str
) -> None:
    pipe = ready_pipeline(world, model_id=model_id)
    deploy(world, pipe["id"], slug="iris")
    plain = _predict(world, "iris", {"rows": ROWS}).json()
    assert plain.get("explanations") is None
    r = _predict(world, "iris", {"rows": ROWS, "explain": True})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["predictions"] == plain["predictions"]
    assert len(body["explanations"]) == len(ROWS)
    for i, explanation in enumerate(body["explanations"]):
        assert explanation["output"] == output
        assert explanation["label"] == body["predictions"][i]  # multiclass: the predicted class
        listed = explanation["contributions"]
        assert {c["column"] for c in listed} == set(FEATURES)  # 4 columns: all listed
        assert [c["value"] for c in listed] == [ROWS[i][c["column"]] for c in listed]
        sizes = [abs(c["contribution"]) for c in listed]
        assert sizes == sorted(sizes, reverse=True)
        total = explanation["base_value"] + sum(c["contribution"] for c in listed)
        total += explanation["rest"]
        assert total == pytest.approx(body["probabilities"][i][explanation["label"]], abs=1e-6)


def test_explain_takes_at_most_100_rows(world: World) -> None:
    pipe = ready_pipeline(world, model_id="dt")
    deploy(world, pipe["id"], slug="iris")
    r = _predict(world, "iris", {"rows": ROWS * 34, "explain": True})
    assert r.status_code == 422
    assert r.json()["detail"] == (
        "explain takes at most 100 rows per request (102 sent); send fewer rows, or leave "
        "explain out to score them all"
    )
    assert _predict(world, "iris", {"rows": ROWS * 34}).status_code == 200
