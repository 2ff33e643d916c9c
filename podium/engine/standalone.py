"""Load and feed a Podium pipeline with scikit-learn, skops and pandas only — no Podium.

This module imports nothing from Podium: ``save_pipeline`` copies it next to every artifact
as ``load_pipeline.py`` (so it is in every downloaded zip), and the engine's own loader uses
it too, so there is one implementation of the checks. Usage, in a folder holding
``manifest.json``, ``pipeline.skops`` and this file::

    import pandas as pd
    from load_pipeline import load_pipeline, prepare_input

    pipe, manifest = load_pipeline(".")
    X = prepare_input(pd.read_csv("new.csv"), manifest)
    pipe.predict(X)            # labels (or values); pipe.predict_proba(X) for classifiers

``load_pipeline`` hashes the artifact and compares it with the manifest's SHA-256 *before*
parsing a byte of it, then refuses any type outside :data:`TRUSTED_TYPES` (never pickle).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import Any

#: the types an artifact may hold beyond skops' defaults: public NumPy, scikit-learn and
#: booster names only (the registry contract test saves and reloads every available model)
TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        # python / numpy values and the public numpy functions of the preprocessing
        "builtins.object",
        "collections.OrderedDict",
        "numpy.asarray",
        "numpy.datetime_as_string",
        "numpy.dtype",
        "numpy.is_busday",
        "numpy.ravel",
        "numpy.strings.lstrip",
        # scikit-learn internals of registered models
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.gaussian_process._gpc._BinaryGaussianProcessClassifierLaplace",
        "sklearn.gaussian_process.kernels.ConstantKernel",
        "sklearn.gaussian_process.kernels.Product",
        "sklearn.gaussian_process.kernels.RBF",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
        "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
        "sklearn.tree._tree.Tree",
        "sklearn.utils._bunch.Bunch",
        # boosters
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
        "catboost.core.CatBoostClassifier",
        "catboost.core.CatBoostRegressor",
    }
)
MANIFEST = "manifest.json"


class RefusedArtifact(Exception):
    """The artifact is missing, was modified, or holds a type that is not trusted."""


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The parsed ``manifest.json`` of an artifact folder."""
    file = Path(folder) / MANIFEST
    try:
        data = json.loads(file.read_text())
    except FileNotFoundError:
        raise RefusedArtifact(f"no {MANIFEST} in {folder}: not a Podium pipeline folder") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RefusedArtifact(f"{file} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "sha256" not in data:
        raise RefusedArtifact(f"{file} is not a Podium manifest (no sha256)")
    return data


def load_pipeline(folder: str | Path) -> tuple[Any, dict[str, Any]]:
    """Verify and load ``pipeline.skops``; return ``(pipeline, manifest)``.

    Raises
    ------
    RefusedArtifact
        Missing files, checksum mismatch (the bytes are never parsed), or an untrusted type.
    """
    import skops.io as sio

    manifest = read_manifest(folder)
    file = Path(folder) / Path(str(manifest.get("artifact", "pipeline.skops"))).name
    try:
        blob = file.read_bytes()
    except FileNotFoundError:
        raise RefusedArtifact(f"artifact {file} is missing") from None
    digest = hashlib.sha256(blob).hexdigest()
    if digest != manifest["sha256"]:
        raise RefusedArtifact(
            f"checksum mismatch for {file}: expected {manifest['sha256']}, got {digest}; "
            "the artifact was modified or corrupted and was not loaded"
        )
    try:
        untrusted = sio.get_untrusted_types(data=blob)
    except Exception as exc:
        raise RefusedArtifact(f"{file} is not a readable skops file: {exc}") from None
    refused = sorted(t for t in untrusted if t not in TRUSTED_TYPES)
    if refused:
        raise RefusedArtifact(f"{file} holds types that are not trusted: {', '.join(refused)}")
    try:
        return sio.loads(blob, trusted=sorted(untrusted)), manifest
    except Exception as exc:
        raise RefusedArtifact(f"{file} could not be loaded: {exc}") from None


def prepare_input(df: Any, input_schema: list[dict[str, Any]] | dict[str, Any]) -> Any:
    """Select the pipeline's columns and coerce them to its input contract.

    Numbers become floats (unparseable → NaN), dates are parsed in any format pandas reads
    (unparseable → NaT), other kinds become object columns with NaN for every missing value.
    ``input_schema`` is the manifest or its ``input_schema`` list; columns not in it are left
    out, columns of it missing from ``df`` raise ``KeyError``.
    """
    import numpy as np
    import pandas as pd

    schema = input_schema["input_schema"] if isinstance(input_schema, dict) else input_schema
    out = df[[c["name"] for c in schema]].copy()
    for col in schema:
        name, kind = col["name"], col["kind"]
        if kind == "numeric":
            out[name] = pd.to_numeric(out[name], errors="coerce")
        elif kind == "datetime":
            out[name] = _to_datetime(out[name])
        else:
            values = out[name].astype(object)
            out[name] = values.where(values.notna(), np.nan)
    return out


def _to_datetime(values: Any) -> Any:
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")
