"""finalize → save → load → predict; checksums, trusted types and input validation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio

from podium.engine import (
    ArtifactError,
    DataError,
    load_pipeline,
    predict,
    save_pipeline,
    setup,
    validate_input,
)
from podium.engine.artifacts.pipeline import read_manifest
from podium.engine.standalone import match_columns
from tests.engine.conftest import make_table


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    df = make_table("multiclass")
    pipe = setup(df, "y", folds=2).finalize("lightgbm")
    save_pipeline(pipe, tmp_path / "p", name="demo", metrics={"Accuracy": 0.9})
    return tmp_path / "p"


def test_round_trip_and_manifest(saved: Path) -> None:
    df = make_table("multiclass")
    pipe = load_pipeline(saved)
    out = predict(pipe, df.drop(columns="y"))
    assert list(out.columns) == ["prediction", "proba_high", "proba_low", "proba_mid"]
    assert set(out["prediction"]) <= {"low", "mid", "high"}
    np.testing.assert_allclose(out.filter(like="proba_").sum(axis=1), 1.0)
    manifest = json.loads((saved / "manifest.json").read_text())
    assert manifest["name"] == "demo"
    assert manifest["model_id"] == "lightgbm"
    assert manifest["task"] == "multiclass"
    assert manifest["classes"] == ["high", "low", "mid"]
    assert manifest["metrics"] == {"Accuracy": 0.9}
    assert manifest["size_bytes"] == (saved / "pipeline.skops").stat().st_size
    assert len(manifest["sha256"]) == 64
    assert [c["name"] for c in manifest["input_schema"]] == ["x1", "x2", "color", "noise"]
    assert manifest["input_schema"][2] == {
        "name": "color",
        "kind": "categorical",
        "dtype": "str",
        "holds": "text",
    }
    assert set(manifest["files"]) == {"pipeline.skops", "load_pipeline.py"}
    for name, facts in manifest["files"].items():
        assert facts["sha256"] == hashlib.sha256((saved / name).read_bytes()).hexdigest()
    assert len(manifest["examples"]) == 3
    assert all(set(row) == {"x1", "x2", "color", "noise"} for row in manifest["examples"])
    assert all(None not in row.values() for row in manifest["examples"])  # complete rows
    assert manifest["format_version"] == 2
    assert {"scikit-learn", "numpy", "pandas", "skops", "lightgbm"} <= set(
        manifest["library_versions"]
    )


def test_tampered_artifact_is_refused_before_loading(saved: Path) -> None:
    blob = bytearray((saved / "pipeline.skops").read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    (saved / "pipeline.skops").write_bytes(bytes(blob))
    with pytest.raises(ArtifactError, match="checksum mismatch"):
        load_pipeline(saved)


def test_missing_manifest_is_refused(saved: Path) -> None:
    (saved / "manifest.json").unlink()
    with pytest.raises(ArtifactError, match=r"no manifest\.json"):
        load_pipeline(saved)


class Evil:
    """A type no allow-list knows."""

    def __init__(self) -> None:
        self.payload = "x"


def test_untrusted_type_is_refused_even_with_a_matching_checksum(saved: Path) -> None:
    blob = sio.dumps({"model": Evil()})
    (saved / "pipeline.skops").write_bytes(blob)
    manifest = json.loads((saved / "manifest.json").read_text())
    manifest["sha256"] = hashlib.sha256(blob).hexdigest()
    (saved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match=r"not trusted: .*test_artifacts\.Evil"):
        load_pipeline(saved)


def test_validate_input_names_missing_and_mistyped_columns_ignores_extra(saved: Path) -> None:
    manifest = read_manifest(saved)
    df = make_table("multiclass").drop(columns=["noise"])
    df["x1"] = "not a number"
    with pytest.raises(DataError) as err:
        validate_input(manifest, df)
    message = str(err.value)
    assert "missing column(s): 'noise'" in message
    assert "'y'" not in message  # the target (any column the model does not read) is ignored
    ok = validate_input(manifest, make_table("multiclass").assign(customer_id=1))
    assert list(ok.columns) == ["x1", "x2", "color", "noise"]
    assert match_columns(["customer_id", "x1", "y"], manifest.input_schema) == (
        ["x2", "color", "noise"],
        ["customer_id", "y"],
    )
    with pytest.raises(DataError) as err:
        validate_input(manifest, df.assign(noise=0.5))
    assert str(err.value).startswith(
        "input does not fit the pipeline: column 'x1' must be a number (finite; null or empty "
        "when missing), row 0 has 'not a number' (and 59 more rows)"
    )


def test_predict_refuses_missing_columns(saved: Path) -> None:
    pipe = load_pipeline(saved)
    with pytest.raises(DataError, match=r"missing column\(s\): 'color'"):
        predict(pipe, make_table("multiclass").drop(columns=["color"]))


def test_regression_predictions_have_no_proba(tmp_path: Path) -> None:
    df = make_table("regression")
    pipe = setup(df, "y", folds=2, normalize=True).finalize("ridge")
    out = predict(pipe, df)
    assert list(out.columns) == ["prediction"]
    assert out["prediction"].dtype == np.float64


def test_unseen_category_predicts_without_a_warning(saved: Path) -> None:
    df = make_table("multiclass")
    df.loc[0, "color"] = "purple"  # never seen in training: encoded as all zeros
    out = predict(load_pipeline(saved), df)
    assert len(out) == len(df)


def test_a_folder_without_a_valid_manifest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match=r"no manifest\.json in .*not a Podium pipeline folder"):
        load_pipeline(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ArtifactError, match="is not valid JSON"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text("[1, 2]")
    with pytest.raises(ArtifactError, match="not a Podium manifest"):
        read_manifest(tmp_path)
