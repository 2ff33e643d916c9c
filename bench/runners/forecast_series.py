"""Write the forecasting suite's real series as CSV (``time``, ``value``), run inside
bench/.venvs/pycaret (sktime and statsmodels carry them in their wheels).

Usage: ``python forecast_series.py <out_dir>``. Each series keeps at most its last 240 points
(one rule for all, so the slowest anchor models finish). Prints one JSON line of what it wrote.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

CAP = 240


def series() -> dict[str, tuple[pd.Series, str]]:
    import statsmodels.api as sm
    from sktime.datasets import load_airline

    out: dict[str, tuple[pd.Series, str]] = {}
    air = load_airline()
    out["airline"] = (pd.Series(air.to_numpy(), index=air.index.to_timestamp()), "MS")
    nino = sm.datasets.elnino.load_pandas().data.set_index("YEAR")
    values = nino.to_numpy().ravel()
    start = f"{int(nino.index[0])}-01-01"
    out["elnino"] = (
        pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS")),
        "MS",
    )
    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate()
    out["co2"] = (co2.asfreq("W-SAT"), "W-SAT")
    macro = sm.datasets.macrodata.load_pandas().data
    quarters = pd.date_range("1959-01-01", periods=len(macro), freq="QS")
    for col in ("realgdp", "cpi", "unemp"):
        out[col] = (pd.Series(macro[col].to_numpy(), index=quarters), "QS")
    return out


def main() -> None:
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (s, freq) in series().items():
        s = s.dropna().iloc[-CAP:]
        frame = pd.DataFrame({"time": s.index.strftime("%Y-%m-%d"), "value": s.to_numpy()})
        frame.to_csv(folder / f"{name}.csv", index=False)
        written[name] = {"rows": len(frame), "freq": freq, "file": str(folder / f"{name}.csv")}
    print(json.dumps(written))


if __name__ == "__main__":
    main()
