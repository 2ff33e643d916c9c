"""A finalized forecasting model, saved without pickle.

The artifact is ``forecast.json`` (the model spec — id and parameters — the column names,
the horizon and the forecast made at build time) and ``history.parquet`` (the training
series). Loading checks every file's SHA-256 against the manifest, refits the model on the
history (every model here is deterministic for a given seed) and refuses the artifact when
the refit does not reproduce the stored forecast.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.errors import ArtifactError, DataError
from podium.engine.forecast.backtest import forecaster
from podium.engine.forecast.data import DS, ID, SINGLE, SeriesData, step_time
from podium.engine.forecast.models import Forecaster, ForecastSpec

SPEC_FILE = "forecast.json"
HISTORY_FILE = "history.parquet"
FORMAT = 1


class ForecastPipeline:
    """A model fitted on all history; ``forecast(h)`` forecasts ``h`` steps past its end.

    ``forecast_`` is the forecast of ``horizon`` steps made when it was built (for a model
    with exogenous columns: with their last values held, a check value only).
    """

    podium_task_ = "forecasting"

    def __init__(self, spec: dict[str, Any], history: pd.DataFrame, model: Forecaster) -> None:
        self.spec, self.history, self.model = spec, history, model
        self.forecast_ = self._check_forecast()
        self.podium_metadata_ = {
            "model_id": spec["model_id"],
            "model_name": spec["model_name"],
            "task": "forecasting",
            "target": spec["target"],
            "classes": [],
            "input_schema": _input_schema(spec),
            "params": model.params(),
            "seed": spec["seed"],
            "examples": [],
        }

    @property
    def horizon(self) -> int:
        """The horizon the model was chosen for."""
        return int(self.spec["horizon"])

    def _future(self, h: int, exogenous: pd.DataFrame | None) -> pd.DataFrame | None:
        exog = self.spec["exogenous"]
        if not exog:
            return None
        if exogenous is None:
            raise DataError(
                f"this model uses exogenous columns ({', '.join(exog)}): give their values "
                f"for the {h} future steps (columns {self.spec['time']!r}, "
                + (f"{self.spec['series']!r}, " if self.spec["series"] else "")
                + ", ".join(repr(c) for c in exog)
                + ")"
            )
        from podium.engine.forecast.data import _dates, _values

        needed = [self.spec["time"], *([self.spec["series"]] if self.spec["series"] else []), *exog]
        lacking = [c for c in needed if c not in exogenous.columns]
        if lacking:
            raise DataError(
                f"exogenous values lack column(s) {', '.join(repr(c) for c in lacking)}: each row "
                f"holds {', '.join(repr(c) for c in needed)}"
            )
        time, dayfirst = self.spec["time"], bool(self.spec.get("dayfirst"))
        frame = pd.DataFrame({DS: _dates(exogenous[time], time, dayfirst)})
        series = self.spec["series"]
        frame.insert(0, ID, exogenous[series].astype(str) if series else SINGLE)
        for col in exog:
            frame[col] = _values(exogenous[col], col, "exogenous column").to_numpy()
        self._check_steps(frame, h)
        return frame

    def _check_steps(self, frame: pd.DataFrame, h: int) -> None:
        """Every series needs a row at each of its ``h`` future times (a DataError naming the
        missing ones and the range to send, rather than the library's own error)."""
        given = set(zip(frame[ID], frame[DS], strict=True))
        for sid, last in self.history.groupby(ID, sort=False)[DS].max().items():
            steps = pd.date_range(last, periods=h + 1, freq=self.spec["freq"])[1:]
            missing = [t for t in steps if (sid, t) not in given]
            if missing:
                where = f" of series {sid!r}" if self.spec["series"] else ""
                more = ", …" if missing[3:] else ""
                shown = ", ".join(step_time(t) for t in missing[:3]) + more
                raise DataError(
                    f"exogenous values{where} have no row for {shown}: give one row per future "
                    f"step, {step_time(steps[0])} to {step_time(steps[-1])} ({h} rows)"
                )

    def _check_forecast(self) -> pd.DataFrame:
        future = None
        if self.spec["exogenous"]:
            last = self.history.groupby(ID, sort=False).tail(1)
            steps = []
            for _, row in last.iterrows():
                dates = pd.date_range(row[DS], periods=self.horizon + 1, freq=self.spec["freq"])[1:]
                part = pd.DataFrame({ID: row[ID], DS: dates})
                for col in self.spec["exogenous"]:
                    part[col] = row[col]
                steps.append(part)
            future = pd.concat(steps, ignore_index=True)
        return self.model.predict(self.horizon, future)

    def forecast(self, h: int | None = None, exogenous: pd.DataFrame | None = None) -> pd.DataFrame:
        """``h`` steps (default: the horizon) per series: ``unique_id``, ``ds``, ``value``,
        ``lo-<level>``/``hi-<level>``; ``exogenous`` holds the future exogenous values."""
        h = self.horizon if h is None else int(h)
        if not 1 <= h <= 10_000:
            raise DataError(f"h must be between 1 and 10000, got {h}")
        self._check_reach(h)
        return self.model.predict(h, self._future(h, exogenous))

    def _check_reach(self, h: int) -> None:
        """A DataError when ``h`` steps after the last time pass the last date pandas holds
        (``Timestamp.max``), rather than the library's OutOfBoundsDatetime (a 500)."""
        last = self.history[DS].max()
        freq = self.spec["freq"]
        try:
            end = last + h * pd.tseries.frequencies.to_offset(freq)
            reaches = end <= pd.Timestamp.max
        except (OverflowError, pd.errors.OutOfBoundsDatetime):
            reaches = False
        if not reaches:
            raise DataError(
                f"h={h} steps of {freq!r} after {step_time(last)} go past "
                f"{pd.Timestamp.max.date()}, the last date a forecast can hold: ask for fewer "
                "steps"
            )

    def records(
        self, h: int | None = None, exogenous: pd.DataFrame | None = None
    ) -> list[dict[str, Any]]:
        """The forecast as JSON rows: ``{"series"?, "time", "value", "lo": {level: v},
        "hi": {level: v}}`` (``series`` only for a table with a series column)."""
        return to_records(
            self.forecast(h, exogenous), self.spec["levels"], bool(self.spec["series"])
        )


def to_records(frame: pd.DataFrame, levels: list[int], with_series: bool) -> list[dict[str, Any]]:
    """Forecast rows as the deployment's JSON answer."""
    out = []
    for values in frame.to_dict("records"):
        rec: dict[str, Any] = {}
        if with_series:
            rec["series"] = str(values[ID])
        rec["time"] = pd.Timestamp(values[DS]).isoformat()
        rec["value"] = _num(values["value"])
        rec["lo"] = {str(lv): _num(values.get(f"lo-{lv}", np.nan)) for lv in levels}
        rec["hi"] = {str(lv): _num(values.get(f"hi-{lv}", np.nan)) for lv in levels}
        out.append(rec)
    return out


def prepare_input(rows: list[dict[str, Any]] | None) -> pd.DataFrame | None:
    """Future exogenous rows of a forecast request as the frame ``forecast`` reads (None when
    there are none); their columns are checked by :meth:`ForecastPipeline.forecast`."""
    return pd.DataFrame(rows) if rows else None


def _num(value: Any) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _input_schema(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """What a forecast call may send: the future exogenous values (none for most models)."""
    if not spec["exogenous"]:
        return []
    cols = [{"name": spec["time"], "kind": "datetime", "dtype": "datetime64[ns]"}]
    if spec["series"]:
        cols.append({"name": spec["series"], "kind": "categorical", "dtype": "object"})
    cols += [{"name": c, "kind": "numeric", "dtype": "float64"} for c in spec["exogenous"]]
    return cols


def build(data: SeriesData, spec: ForecastSpec, levels: list[int], seed: int) -> ForecastPipeline:
    """Fit ``spec`` on all of ``data`` (Experiment.finalize)."""
    model = forecaster(data, spec.id, levels, seed).fit(data.frame, data.horizon)
    meta = {
        "format": FORMAT,
        "model_id": spec.id,
        "model_name": spec.name,
        "target": data.target,
        "time": data.time,
        "series": data.series,
        "exogenous": list(data.exogenous),
        "freq": data.freq,
        "season_length": data.season_length,
        "horizon": data.horizon,
        "levels": list(levels),
        "seed": seed,
        **({"dayfirst": True} if data.dayfirst else {}),
    }
    return ForecastPipeline(meta, data.frame.copy(), model)


def _refit(spec: dict[str, Any], history: pd.DataFrame) -> ForecastPipeline:
    model = Forecaster(
        spec["model_id"],
        freq=spec["freq"],
        season_length=int(spec["season_length"]),
        levels=list(spec["levels"]),
        seed=int(spec["seed"]),
        exogenous=list(spec["exogenous"]),
    ).fit(history, int(spec["horizon"]))
    return ForecastPipeline(spec, history, model)


def save(
    pipe: ForecastPipeline,
    out_dir: str | Path,
    *,
    name: str | None = None,
    metrics: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Any:
    """Write ``forecast.json``, ``history.parquet`` and ``manifest.json`` (the pipeline
    manifest of :mod:`podium.engine.artifacts.pipeline`, task ``forecasting``)."""
    from podium.engine.artifacts.pipeline import PipelineManifest, _plain_json, _versions
    from podium.engine.standalone import MANIFEST

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stored = {**pipe.spec, "forecast": _frame_json(pipe.forecast_)}
    blob = json.dumps(_plain_json(stored), indent=1, sort_keys=True).encode()
    (out / SPEC_FILE).write_bytes(blob)
    pipe.history.to_parquet(out / HISTORY_FILE, index=False)
    files = {
        n: {"sha256": _sha(out / n), "size_bytes": (out / n).stat().st_size}
        for n in (SPEC_FILE, HISTORY_FILE)
    }
    meta = pipe.podium_metadata_
    manifest = PipelineManifest(
        name=name or meta["model_id"],
        model_id=meta["model_id"],
        model_name=meta["model_name"],
        task="forecasting",
        target=meta["target"],
        classes=[],
        input_schema=meta["input_schema"],
        metrics=dict(metrics or {}),
        sha256=hashlib.sha256(blob).hexdigest(),
        size_bytes=len(blob),
        artifact=SPEC_FILE,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        library_versions=_versions(),
        extra={
            **dict(extra or {}),
            "params": meta["params"],
            "seed": meta["seed"],
            "forecast": {k: pipe.spec[k] for k in ("time", "series", "freq", "horizon", "levels")},
        },
        files=files,
    )
    (out / MANIFEST).write_text(json.dumps(_plain_json(manifest.to_dict()), indent=2))
    return manifest


def load(path: str | Path, manifest: Any) -> ForecastPipeline:
    """Check the files' SHA-256, refit on the stored history and verify the stored forecast.

    Raises
    ------
    ArtifactError
        A missing or changed file, or a refit that does not reproduce the stored forecast.
    """
    folder = Path(path)
    for name in (SPEC_FILE, HISTORY_FILE):
        want = (manifest.files.get(name) or {}).get("sha256")
        if not (folder / name).is_file():
            raise ArtifactError(f"{name} is missing from {folder}")
        if want is None or _sha(folder / name) != want:
            raise ArtifactError(f"{name} does not match its SHA-256 in manifest.json: refused")
    spec = json.loads((folder / SPEC_FILE).read_text())
    stored = spec.pop("forecast")
    history = pd.read_parquet(folder / HISTORY_FILE)
    history[ID] = history[ID].astype(str)
    pipe = _refit(spec, history)
    again = pipe.forecast_
    want = np.asarray([np.nan if v is None else v for v in stored["value"]], dtype="float64")
    if len(again) != len(want) or not np.allclose(
        again["value"].to_numpy(), want, rtol=1e-6, atol=1e-9
    ):
        raise ArtifactError(
            f"refitting {spec['model_id']!r} on the stored history did not reproduce the stored "
            "forecast (library versions differ from the ones that built it?): refused"
        )
    pipe.forecast_ = again
    return pipe


def _frame_json(frame: pd.DataFrame) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for col in frame.columns:
        values = frame[col]
        if col == DS:
            out[col] = [pd.Timestamp(v).isoformat() for v in values]
        elif col == ID:
            out[col] = [str(v) for v in values]
        else:
            out[col] = [None if not np.isfinite(v) else float(v) for v in values]
    return out


def _sha(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()
