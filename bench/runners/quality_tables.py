"""Write the quality suite's real tables that other packages ship, run in bench/.venvs/tables.

Usage: ``python quality_tables.py <out dir>``. Writes ``<name>.csv`` for each table below, target
column ``target`` (class labels are words, so no reader turns them into numbers). Every table is
data the package carries in its wheel: nothing is downloaded.

- ``penguins`` (palmerpenguins): 344 penguins, species (3 classes); island and sex are
  categorical, 19 values missing.
- ``fair`` (statsmodels): 6,366 women surveyed in 1974, had an affair (binary); occupations as
  categories.
- ``anes96`` (statsmodels): 944 voters of the 1996 US election, Clinton or Dole (binary).
- ``randhie`` (statsmodels): 20,190 people of the RAND health experiment, doctor visits
  (regression).
- ``cars`` (vega_datasets): 398 cars of 1970–82 with a known mpg, miles per gallon (regression);
  origin categorical, horsepower missing on 6.
- ``seattle_weather`` (vega_datasets): 1,461 days, the weather (5 classes: sun, fog, rain,
  drizzle, snow) from precipitation, temperatures, wind and month.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

TARGET = "target"


def penguins() -> pd.DataFrame:
    import palmerpenguins

    df = palmerpenguins.load_penguins()
    return df.rename(columns={"species": TARGET})


def fair() -> pd.DataFrame:
    import statsmodels.api as sm

    df = sm.datasets.fair.load_pandas().data
    for col in ("occupation", "occupation_husb"):
        df[col] = [f"occ{int(v)}" for v in df[col]]
    df[TARGET] = ["affair" if v > 0 else "none" for v in df.pop("affairs")]
    return df


def anes96() -> pd.DataFrame:
    import statsmodels.api as sm

    df = sm.datasets.anes96.load_pandas().data.drop(columns=["logpopul"])
    df[TARGET] = ["dole" if v > 0 else "clinton" for v in df.pop("vote")]
    return df


def randhie() -> pd.DataFrame:
    import statsmodels.api as sm

    df = sm.datasets.randhie.load_pandas().data
    df[TARGET] = df.pop("mdvis")
    return df


def cars() -> pd.DataFrame:
    from vega_datasets import data

    df = data.cars().drop(columns=["Name"])
    df["Year"] = pd.to_datetime(df["Year"]).dt.year
    df = df.rename(columns={"Miles_per_Gallon": TARGET})
    df = df[df[TARGET].notna()].reset_index(drop=True)
    return df[[c for c in df.columns if c != TARGET] + [TARGET]]


def seattle_weather() -> pd.DataFrame:
    from vega_datasets import data

    df = data.seattle_weather()
    df["month"] = pd.to_datetime(df.pop("date")).dt.month
    df[TARGET] = df.pop("weather")
    return df


TABLES = {
    "penguins": penguins,
    "fair": fair,
    "anes96": anes96,
    "randhie": randhie,
    "cars": cars,
    "seattle_weather": seattle_weather,
}


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, build in TABLES.items():
        path = out / f"{name}.csv"
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            build().to_csv(tmp, index=False)
            tmp.rename(path)  # a concurrent reader never sees half a file
        print(name, path)


if __name__ == "__main__":
    main()
