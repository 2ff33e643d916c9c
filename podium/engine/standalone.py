"""Load and feed a Podium pipeline with scikit-learn, skops and pandas only — no Podium.

This module imports nothing from Podium: ``save_pipeline`` copies it next to every artifact
as ``load_pipeline.py`` (so it is in every downloaded zip), and Podium itself uses it on every
path (the library's ``predict``, the CLI, JSON and CSV predict), so there is one
implementation of the checks and one of the input preparation. Usage, in a folder holding
``manifest.json``, ``pipeline.skops`` and this file::

    from load_pipeline import load_pipeline, prepare_input, read_csv

    pipe, manifest = load_pipeline(".")
    X = prepare_input(read_csv("new.csv", manifest), manifest)   # or any DataFrame
    pipe.predict(X)            # labels (or values); pipe.predict_proba(X) for classifiers

``load_pipeline`` hashes the artifact and compares it with the manifest's SHA-256 *before*
parsing a byte of it, then refuses any type outside :data:`TRUSTED_TYPES` (never pickle).
``prepare_input`` accepts each value as it appeared in the training data (and a boolean where
the column held two spellings of true/false, mapped to the spelling the model learned), and
raises :class:`InputError` naming the row and column of any value it cannot take.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
        # PyOD's anomaly detectors (plain objects: skops restores their attributes, no code
        # of theirs runs on load; loading one needs pyod installed)
        "pyod.models.abod.ABOD",
        "pyod.models.cblof.CBLOF",
        "pyod.models.copod.COPOD",
        "pyod.models.ecod.ECOD",
        "pyod.models.hbos.HBOS",
        "pyod.models.knn.KNN",
        "pyod.models.mcd.MCD",
        "pyod.models.pca.PCA",
    }
)
MANIFEST = "manifest.json"
ARTIFACT = "pipeline.skops"
LOADER = "load_pipeline.py"  # this file, as saved beside every artifact
ONNX_FILE = "pipeline.onnx"
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})
#: text read as missing: empty, and the spellings pandas.read_csv reads as NaN by default
NA_TEXT = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"}
    | {"<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)
_BAD = object()  # a value that could not be prepared
_FLOAT_INT_MAX = int(sys.float_info.max)  # larger ints overflow float()
_SHOWN_PROBLEMS = 8


class RefusedArtifact(Exception):
    """The artifact is missing, was modified, or holds a type that is not trusted."""


# Warnings silenced around third-party calls, without racing other threads.
#
# ``warnings.catch_warnings`` saves and restores the process-wide filter list (Python 3.11), so
# two threads inside it at once can leave one's filter behind for the life of the process (A
# enters, B enters, A leaves, B leaves: A's ``ignore`` or ``error`` stays) or drop another's.
# Podium's code silences through :func:`quiet`: in a notebook or a worker's fit (one thread) that
# is ``catch_warnings`` as before; a process that scores on threads (the API) calls
# :func:`serve` once, where it starts, and from then on :func:`quiet` leaves the list alone.

#: What a serving process hides, once for all its threads: scikit-learn's per-request
#: UserWarnings (a category unseen in training encodes to zeros by design; numpy blocks have
#: no column names), pandas' and shap's like them, and third-party deprecation notices
#: (FutureWarning). Any other warning is shown by Python's default rule (once per place).
SERVING: tuple[type[Warning], ...] = (UserWarning, FutureWarning)

# A filter that matches no warning: while it is in the list, the serving filters are too.
_MARK = r"\A(?!)podium: the serving process owns the warning filters"


def serve() -> None:
    """Install the serving process's filters (:data:`SERVING`) once; again does nothing."""
    if serving():
        return
    for category in SERVING:
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", message=_MARK)


def serving() -> bool:
    """Whether :func:`serve` installed the filters this process now has."""
    return any(f[1] is not None and f[1].pattern == _MARK for f in list(warnings.filters))


@contextmanager
def quiet(category: type[Warning] = Warning) -> Iterator[None]:
    """Warnings of ``category`` hidden inside the block.

    In a serving process, a category the filters :func:`serve` installed already hide is left
    to them (the process-wide list is not touched on a request path); any other category
    (an analysis job's ``FitFailedWarning`` in a worker run inside the API process) is hidden
    per block, as outside serving.
    """
    if issubclass(category, SERVING) and serving():
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category)
        yield


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


def sha256_of(file: str | Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with Path(file).open("rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def verify_files(folder: str | Path, manifest: dict[str, Any]) -> list[str]:
    """Check every file the manifest lists (``files``: name → SHA-256); return their names.

    Raises
    ------
    RefusedArtifact
        A listed file is missing or its bytes differ from the manifest's checksum.
    """
    names = []
    for name, facts in sorted(dict(manifest.get("files") or {}).items()):
        file = Path(folder) / Path(str(name)).name
        try:
            digest = sha256_of(file)
        except FileNotFoundError:
            raise RefusedArtifact(f"{file.name} is listed in the manifest but missing") from None
        if digest != facts.get("sha256"):
            raise RefusedArtifact(
                f"{file.name} was modified: its SHA-256 differs from the manifest's"
            )
        names.append(file.name)
    return names


def load_pipeline(folder: str | Path) -> tuple[Any, dict[str, Any]]:
    """Verify and load ``pipeline.skops``; return ``(pipeline, manifest)``.

    The manifest's ``input_schema`` is the one saved inside the verified artifact (completed
    from the fitted encoders for pipelines saved before it recorded the training values).

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
        pipe = sio.loads(blob, trusted=sorted(untrusted))
    except Exception as exc:
        raise RefusedArtifact(f"{file} could not be loaded: {exc}") from None
    meta = getattr(pipe, "podium_metadata_", None)
    schema = meta.get("input_schema") if isinstance(meta, dict) else None
    manifest["input_schema"] = complete_schema(pipe, schema or manifest.get("input_schema", []))
    return pipe, manifest


def unsupervised_answers(pipe: Any, X: Any) -> dict[str, Any]:
    """What a clustering or anomaly pipeline answers for prepared rows ``X``.

    Clustering: ``{"cluster": labels}`` (``pipe.predict``; -1 is DBSCAN/OPTICS noise).
    Anomaly: ``{"score": scores, "anomaly": flags}``: ``sign * method(X)`` of the last step
    (higher = more anomalous) and whether it is above the training threshold; the rule is in
    ``pipe.podium_metadata_["output"]`` (``method``, ``sign``, ``threshold``).
    """
    import numpy as np

    rule = pipe.podium_metadata_["output"]
    if rule["kind"] == "cluster":
        return {"cluster": np.asarray(pipe.predict(X), dtype="int64")}
    Xt = pipe[:-1].transform(X)
    model = pipe.steps[-1][1]
    scores = int(rule["sign"]) * np.asarray(getattr(model, rule["method"])(Xt), dtype="float64")
    return {"score": scores, "anomaly": scores > float(rule["threshold"])}


# --- input preparation: the one place where values meet the pipeline's input contract -------


class InputError(ValueError):
    """Values a pipeline cannot take: per column, the first bad row, the value and how many.

    ``str(error)`` counts rows from 0; :meth:`describe` takes another way to name a row
    (e.g. a CSV line). ``problems`` holds ``(column, row, value, expected, count)`` tuples
    (row -1: the column is missing).
    """

    def __init__(self, problems: list[tuple[str, int, Any, str, int]]) -> None:
        self.problems = problems
        super().__init__(self.describe())

    def describe(self, where: Callable[[int], str] = "row {}".format) -> str:
        """The message, with rows named by ``where(position)``."""
        parts = []
        for column, row, value, expected, count in self.problems[:_SHOWN_PROBLEMS]:
            if row < 0:
                parts.append(f"column {column!r} is missing")
                continue
            more = f" (and {count - 1} more row{'s' if count > 2 else ''})" if count > 1 else ""
            parts.append(
                f"column {column!r} must be {expected}, {where(row)} has {_show(value)}{more}"
            )
        if len(self.problems) > _SHOWN_PROBLEMS:
            parts.append(f"and {len(self.problems) - _SHOWN_PROBLEMS} more columns")
        return "input does not fit the pipeline: " + "; ".join(parts)


def match_columns(names: Iterable[Any], input_schema: Any) -> tuple[list[str], list[str]]:
    """The rule every path follows for the columns it is given: ``(missing, ignored)``.

    ``missing``: the pipeline's input columns absent from ``names`` (an error everywhere);
    ``ignored``: the names the pipeline does not read (ids, the target, columns setup left
    out), in the order given, each once: never an error, only left out.
    """
    expected = [c["name"] for c in _schema(input_schema)]
    given = list(dict.fromkeys(str(n) for n in names))
    known, present = set(expected), set(given)
    return [n for n in expected if n not in present], [n for n in given if n not in known]


def prepare_input(df: Any, input_schema: Any, *, errors: str = "raise") -> Any:
    """The pipeline's columns of ``df``, in order, coerced to its input contract.

    Numbers become floats, dates ``datetime64[ns]``, other kinds object columns; every
    missing value (None, NaN, empty text) becomes NaN. A value is taken as it appeared in the
    training data; numbers given as text are parsed; where the column held two spellings of
    true/false (``yes``/``no``, ``Y``/``N``, booleans, 0/1), any spelling of either — a
    boolean included — becomes the one the model learned. ``input_schema`` is the manifest
    or its ``input_schema`` list; columns not in it are left out.

    Raises
    ------
    InputError
        With ``errors="raise"``: a column is missing, or values cannot be taken (naming the
        row and column); ``errors="coerce"`` makes such values missing instead.
    """
    import pandas as pd

    schema = _schema(input_schema)
    absent, _ignored = match_columns(df.columns, schema)
    if absent:
        raise InputError([(name, -1, None, "present", 0) for name in absent])
    columns = {c["name"]: df[c["name"]].to_numpy() for c in schema}
    prepared = _prepare_columns(columns, schema, errors)
    return pd.DataFrame(
        {n: pd.Series(v, index=df.index, dtype=v.dtype) for n, v in prepared.items()},
        index=df.index,
    )


def prepare_rows(rows: list[dict[str, Any]], input_schema: Any) -> dict[str, Any]:
    """JSON-like rows (column → value) as the pipeline's prepared columns (NumPy arrays).

    The same preparation as :func:`prepare_input`; a column absent from a row is missing.
    ``frame(columns)`` turns the result into the DataFrame ``prepare_input`` would return.
    """
    import numpy as np

    schema = _schema(input_schema)
    ready = _number_block(rows, schema)
    columns = {}
    for col in schema:
        if col["name"] in ready:
            continue
        values = np.empty(len(rows), dtype=object)
        values[:] = [row.get(col["name"]) for row in rows]
        columns[col["name"]] = values
    rest = _prepare_columns(columns, [c for c in schema if c["name"] not in ready], "raise")
    return {c["name"]: ready[c["name"]] if c["name"] in ready else rest[c["name"]] for c in schema}


def _number_block(rows: list[dict[str, Any]], schema: list[dict[str, Any]]) -> dict[str, Any]:
    """The number columns (no true/false spellings) of JSON-like rows, converted at once when
    every value is a plain number or None and none is infinite — what converting value by
    value gives. Anything else (text, booleans, ±Infinity): ``{}``, and every column goes
    through the per-value preparation, which names what is wrong."""
    import numpy as np

    names = [c["name"] for c in schema if c["kind"] == "numeric" and not c.get("boolean_values")]
    if not names or not rows:
        return {}
    flat = [row.get(name) for row in rows for name in names]
    if not _plain_numbers(flat):
        return {}
    block = np.array([np.nan if v is None else v for v in flat], dtype="float64")
    if np.isinf(block).any():
        return {}
    block = block.reshape(len(rows), len(names))
    return {name: np.ascontiguousarray(block[:, j]) for j, name in enumerate(names)}


def frame(columns: dict[str, Any]) -> Any:
    """Prepared columns (from :func:`prepare_rows`) as a DataFrame, keeping their dtypes."""
    import pandas as pd

    return pd.DataFrame({n: pd.Series(v, dtype=v.dtype) for n, v in columns.items()})


def csv_dtypes(input_schema: Any) -> dict[str, Any]:
    """``dtype=`` for ``pandas.read_csv``: every column but numbers read as the text written."""
    return {c["name"]: object for c in _schema(input_schema) if c["kind"] != "numeric"}


def read_csv(source: Any, input_schema: Any, **kwargs: Any) -> Any:
    """``pandas.read_csv`` with :func:`csv_dtypes` (codes such as ``007`` stay text)."""
    import pandas as pd

    return pd.read_csv(source, dtype=csv_dtypes(input_schema), **kwargs)


def onnx_inputs(X: Any, manifest: Any) -> dict[str, Any]:
    """Feeds for ``pipeline.onnx`` from prepared input (:func:`prepare_input`): float32
    numbers, dates as float64 hours since 1970-01-01 (NaN when missing), text for the rest.
    ``manifest``: the manifest, or its ``extra.onnx.inputs``."""
    specs = manifest["extra"]["onnx"]["inputs"] if isinstance(manifest, dict) else manifest
    return {spec["onnx_input"]: onnx_feed(X[spec["column"]], spec["type"]) for spec in specs}


def onnx_feed(values: Any, kind: str) -> Any:
    """One prepared column (a Series or an array) as its ONNX input of ``kind`` (``float``,
    ``datetime`` or ``string``): a one-column array."""
    import numpy as np

    if kind == "float":
        return np.asarray(values, dtype=np.float32).reshape(-1, 1)
    if kind == "datetime":  # whole hours, as the pipeline's date step reads them
        hours = np.asarray(values, dtype="datetime64[ns]").astype("datetime64[h]")
        out = hours.astype("int64").astype("float64")
        out[np.isnat(hours)] = np.nan
        return out.reshape(-1, 1)
    text = np.empty((len(values), 1), dtype=object)
    text[:, 0] = [str(v) for v in values]
    return text


def describe_values(values: Iterable[Any]) -> dict[str, Any]:
    """What a training column held: ``holds`` (numbers | text | booleans | mixed) and, when
    its two values spell true and false, ``boolean_values`` {"true": …, "false": …}."""
    present: dict[tuple[type, Any], Any] = {}
    kinds: set[str] = set()
    for value in values:
        if _missing(value):
            continue
        kinds.add(_kind_of(value))
        if len(present) <= 2:
            present.setdefault((type(value), value), _plain(value))
    out: dict[str, Any] = {"holds": kinds.pop() if len(kinds) == 1 else "mixed"}
    if len(present) == 2:
        first, second = present.values()
        truths = (_truth(first), _truth(second))
        if set(truths) == {True, False}:
            true, false = (first, second) if truths[0] else (second, first)
            out["boolean_values"] = {"true": true, "false": false}
    return out


def complete_schema(pipe: Any, input_schema: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``input_schema`` with ``holds`` (and ``boolean_values``) for columns lacking them,
    read from the categories the pipeline's encoders learned (pipelines saved before the
    manifest recorded the training values)."""
    learned = None
    out = []
    for col in input_schema:
        col = dict(col)
        if "holds" not in col:
            if col.get("kind") == "numeric":
                col["holds"] = "numbers"
            elif col.get("kind") == "text":
                col["holds"] = "text"
            elif col.get("kind") != "datetime":
                learned = _learned_categories(pipe) if learned is None else learned
                if col["name"] in learned:
                    col.update(describe_values(learned[col["name"]]))
        out.append(col)
    return out


def _learned_categories(pipe: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    steps = getattr(pipe, "steps", None)
    for _name, step, cols in getattr(steps[0][1] if steps else None, "transformers_", []):
        if isinstance(step, str) or isinstance(cols, str):
            continue
        for _n, part in getattr(step, "steps", [(None, step)]):
            categories = getattr(part, "categories_", None)
            if categories is not None and len(categories) == len(cols):
                for name, values in zip(cols, categories, strict=True):
                    found[str(name)] = list(values)
    return found


def _schema(input_schema: Any) -> list[dict[str, Any]]:
    return list(input_schema["input_schema"] if isinstance(input_schema, dict) else input_schema)


def _prepare_columns(
    columns: dict[str, Any], schema: list[dict[str, Any]], errors: str
) -> dict[str, Any]:
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    out, problems = {}, []
    for col in schema:
        name, kind = col["name"], col["kind"]
        prepare = _numbers if kind == "numeric" else _dates if kind == "datetime" else _others
        values, bad, expected = prepare(columns[name], col)
        if bad is not None:
            where = bad.nonzero()[0]
            problems.append((name, int(where[0]), columns[name][where[0]], expected, len(where)))
        out[name] = values
    if problems and errors == "raise":
        raise InputError(problems)
    return out


def _numbers(values: Any, col: dict[str, Any]) -> tuple[Any, Any, str]:
    import numpy as np

    booleans = col.get("boolean_values")
    expected = "a number (finite; null or empty when missing)" + (" or true/false" * bool(booleans))
    if values.dtype.kind in "iuf":
        out = values.astype("float64")
        bad = np.isinf(out)
        out[bad] = np.nan
        return out, (bad if bad.any() else None), expected

    def number(value: Any) -> Any:
        truth = _truth(value) if booleans else None
        if booleans and truth is not None:
            return float(booleans["true" if truth else "false"])
        if _kind_of(value) not in ("numbers", "text"):
            return _BAD
        try:
            number = float(value)
        except (ValueError, OverflowError):
            return _BAD
        return _BAD if number in (math.inf, -math.inf) else number

    return _finish(_map(values, number), "float64", expected)


def _plain_numbers(values: Any) -> bool:
    """Whether every value is None or a Python/NumPy int or float (not a boolean) that a
    float64 holds: the JSON case, where converting the column at once gives what converting
    each value would (``None`` and NaN missing, ±Infinity refused)."""
    import numpy as np

    for value in values:
        if value is None or type(value) is float:
            continue
        if isinstance(value, bool | np.bool_):
            return False
        if not isinstance(value, int | float | np.integer | np.floating):
            return False
        if isinstance(value, int | np.integer) and abs(int(value)) > _FLOAT_INT_MAX:
            return False  # float() of it overflows: refused value by value
    return True


def _others(values: Any, col: dict[str, Any]) -> tuple[Any, Any, str]:
    booleans, holds = col.get("boolean_values"), col.get("holds")
    if booleans:
        spellings = {(type(v), v): v for v in booleans.values()}

        def convert(value: Any) -> Any:
            exact = spellings.get((type(value), value), _BAD)
            if exact is not _BAD:
                return exact
            truth = _truth(value)
            return _BAD if truth is None else booleans["true" if truth else "false"]

        spelled = [booleans["false"], booleans["true"]]
        expected = "true or false" if spelled == [False, True] else f"{spelled[0]!r} or "
        expected += "" if spelled == [False, True] else f"{spelled[1]!r} (or true/false)"
        return _finish(_map(values, convert), object, expected)

    def as_learned(value: Any) -> Any:
        kind = _kind_of(value)
        if kind == "other":
            return _BAD
        if holds == "text" and kind != "text":
            return _number_text(value)
        if holds == "numbers" and kind == "text":
            try:
                return float(value)
            except ValueError:
                return value
        return value

    return _finish(_map(values, as_learned), object, "a single value (text or a number)")


def _dates(values: Any, col: dict[str, Any]) -> tuple[Any, Any, str]:
    import numpy as np
    import pandas as pd

    expected = "a date such as 2024-03-05 or 2024-03-05T17:30"
    if values.dtype.kind == "M":
        return to_datetime(pd.Series(values)).to_numpy(), None, expected
    texts = _map(values, lambda v: v.strip() if _kind_of(v) == "text" else v)
    dated = np.array([_kind_of(v) in ("text", "date") for v in texts], dtype=bool)
    parsed = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    if dated.any():
        day_first = bool(col.get("dayfirst"))
        parsed[dated] = to_datetime(pd.Series(texts[dated], dtype=object), day_first).to_numpy()
    present = np.array([not (isinstance(v, float) and v != v) for v in texts], dtype=bool)
    bad = np.isnat(parsed) & present
    return parsed, (bad if bad.any() else None), expected


def _finish(values: Any, dtype: Any, expected: str) -> tuple[Any, Any, str]:
    """Bad values become missing; return the column, the mask of bad ones (or None)."""
    import numpy as np

    bad = np.fromiter((v is _BAD for v in values), dtype=bool, count=len(values))
    if bad.any():
        values[bad] = np.nan
    return values.astype(dtype), (bad if bad.any() else None), expected


def _map(values: Any, convert: Callable[[Any], Any]) -> Any:
    """``convert`` each present value (memoized by type and value); missing → NaN."""
    import numpy as np
    import pandas as pd

    if len(values) > 256 and pd.api.types.infer_dtype(values, skipna=True) == "string":
        codes, uniques = pd.factorize(values)  # text only: each distinct value once
        done = [np.nan if _missing(u) else convert(u) for u in uniques]
        return np.array([*done, np.nan], dtype=object)[codes]  # code -1 (missing) → NaN
    out = np.empty(len(values), dtype=object)
    memo: dict[Any, Any] = {}
    nan = np.nan
    for i, value in enumerate(values):
        if _missing(value):
            out[i] = nan
            continue
        try:
            key = (type(value), value)
            hit = memo.get(key, memo)
        except TypeError:  # unhashable: a list or a dict
            out[i] = _BAD
            continue
        if hit is memo:
            hit = memo[key] = convert(value)
        out[i] = hit
    return out


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in NA_TEXT
    if isinstance(value, float):
        return value != value
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not a missing scalar
        return False


def _kind_of(value: Any) -> str:
    import numpy as np

    if isinstance(value, str):
        return "text"
    if isinstance(value, bool | np.bool_):
        return "booleans"
    if isinstance(value, int | float | np.integer | np.floating):
        return "numbers"
    if isinstance(value, datetime.date | np.datetime64):
        return "date"
    return "other"


def _truth(value: Any) -> bool | None:
    kind = _kind_of(value)
    if kind == "booleans":
        return bool(value)
    if kind == "numbers":
        return {1: True, 0: False}.get(value)  # type: ignore[call-overload]
    if kind == "text":
        word = value.strip().lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
    return None


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _number_text(value: Any) -> Any:
    if _kind_of(value) != "numbers":
        return str(value)
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _show(value: Any) -> str:
    text = repr(_plain(value) if not isinstance(value, list | dict) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def to_datetime(values: Any, dayfirst: bool = False) -> Any:
    """A Series of dates, times or text as naive ``datetime64[ns]`` (UTC for zoned values;
    NaT where a value is not a date). The one parse of a date column, in training and in
    every prediction.

    ISO 8601 (``2024-03-05``, ``2024-03-05T17:30``) is year-month-day whatever the column;
    ``dayfirst`` reads other layouts day first (``05/03/2024`` is 5 March), as the column's
    schema says (:func:`podium.engine.prepare.schema.reads_day_first`). Without it each value
    is read month first where it can be (pandas' ``format="mixed"``, as before the flag).
    """
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return _naive(values)
    with quiet():
        if not dayfirst:
            return _naive(pd.to_datetime(values, errors="coerce", format="mixed"))
        parsed = _naive(pd.to_datetime(values, errors="coerce", format="ISO8601"))
        rest = parsed.isna().to_numpy() & values.notna().to_numpy()
        if rest.any():
            others = pd.to_datetime(values[rest], errors="coerce", format="mixed", dayfirst=True)
            parsed[rest] = _naive(others).to_numpy()
    return parsed


def _naive(parsed: Any) -> Any:
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")
