"""The dataset profile's numbers against pandas and SciPy on fixed data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import association
from typer.testing import CliRunner

from podium.cli import app
from podium.engine import DataError
from podium.engine.prepare.profile import ColumnProfile, Profile, profile
from podium.engine.prepare.profile_plots import cramers_v

ROWS = 400


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    x = rng.normal(10, 3, ROWS)
    x[rng.random(ROWS) < 0.05] = np.nan
    colour = rng.choice(["red", "green", "blue"], ROWS)
    label = np.where((np.nan_to_num(x) > 10) ^ (rng.random(ROWS) < 0.2), "yes", "no")
    return pd.DataFrame(
        {
            "x": x,
            "count": rng.integers(0, 6, ROWS),
            "colour": colour,
            "shade": np.where(colour == "red", "warm", rng.choice(["cool", "warm"], ROWS)),
            "city": [f"city{i % 37}" for i in range(ROWS)],
            "day": pd.date_range("2024-01-01", periods=ROWS, freq="D").strftime("%Y-%m-%d"),
            "row_id": np.arange(ROWS),
            "flat": 1,
            "label": label,
        }
    )


@pytest.fixture(scope="module")
def result(table: pd.DataFrame) -> Profile:
    return profile(table, "label")


def _col(p: Profile, name: str) -> ColumnProfile:
    return next(c for c in p["columns"] if c["name"] == name)


def _bars(plot: Any) -> int:
    series = plot["series"][0]
    counts = series["x"] if series["mark"] == "barh" else series["y"]
    return int(sum(counts))


class TestColumns:
    def test_numeric_statistics_match_pandas(self, table: pd.DataFrame, result: Profile) -> None:
        x, col = table["x"], _col(result, "x")
        assert col["kind"] == "numeric"
        assert col["missing"] == int(x.isna().sum()) > 0
        assert col["missing_share"] == round(x.isna().mean(), 4)
        assert col["unique"] == x.nunique()
        assert col["min"] == x.min()
        assert col["max"] == x.max()
        assert col["mean"] == pytest.approx(x.mean(), rel=1e-12)
        assert col["std"] == pytest.approx(x.std(), rel=1e-12)
        expected = x.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).to_numpy()
        assert col["quantiles"] is not None
        assert list(col["quantiles"]) == ["5%", "25%", "50%", "75%", "95%"]
        np.testing.assert_allclose(list(col["quantiles"].values()), expected, rtol=1e-12)

    def test_histogram_counts_sum_to_the_present_rows(
        self, table: pd.DataFrame, result: Profile
    ) -> None:
        for name in ("x", "count", "colour", "city", "day"):
            col = _col(result, name)
            assert col["histogram"] is not None, name
            assert _bars(col["histogram"]) + col["missing"] == ROWS, name
        rect = _col(result, "x")["histogram"]
        assert rect is not None
        series = rect["series"][0]
        assert series["mark"] == "rect"
        assert len(series["x"]) == 30
        counts, edges = np.histogram(table["x"].dropna(), bins=30)
        assert series["y"] == counts.tolist()
        np.testing.assert_allclose(series["x2"], edges[1:])

    def test_few_whole_numbers_are_one_bar_each(self, table: pd.DataFrame, result: Profile) -> None:
        hist = _col(result, "count")["histogram"]
        assert hist is not None
        counts = table["count"].value_counts().sort_index()
        assert hist["series"][0]["x"] == [str(v) for v in counts.index]
        assert hist["series"][0]["y"] == counts.tolist()

    def test_many_categories_end_in_one_other_bar(self, result: Profile) -> None:
        hist = _col(result, "city")["histogram"]
        assert hist is not None
        labels = hist["series"][0]["y"]
        assert len(labels) == 21
        assert labels[-1] == "(17 other values)"

    def test_top_values(self, table: pd.DataFrame, result: Profile) -> None:
        top = _col(result, "colour")["top"]
        counts = table["colour"].value_counts()
        assert [(t["value"], t["count"]) for t in top] == list(counts.items())
        assert top[0]["share"] == round(counts.iloc[0] / ROWS, 4)

    def test_dates_and_ids(self, result: Profile) -> None:
        day = _col(result, "day")
        assert day["kind"] == "datetime"
        assert (day["min"], day["max"]) == ("2024-01-01T00:00:00", "2025-02-03T00:00:00")
        row_id = _col(result, "row_id")
        assert (row_id["kind"], row_id["role"], row_id["histogram"]) == ("id", "ignored", None)

    def test_json_without_nan(self, result: Profile) -> None:
        json.dumps(result, allow_nan=False)


class TestCorrelations:
    def test_pearson_and_spearman_match_pandas_and_scipy(
        self, table: pd.DataFrame, result: Profile
    ) -> None:
        plots = {p["id"]: p for p in result["correlations"]}
        pearson, spearman = plots["correlation_pearson"], plots["correlation_spearman"]
        assert pearson["heatmap"]["rows"] == ["x", "count"]
        both = table[["x", "count"]].dropna()
        expected = both.corr().loc["x", "count"]
        assert pearson["heatmap"]["values"][0][1] == pytest.approx(expected, abs=1e-4)
        rho = stats.spearmanr(both["x"], both["count"]).statistic
        assert spearman["heatmap"]["values"][1][0] == pytest.approx(rho, abs=1e-4)

    def test_cramers_v_matches_scipy(self, table: pd.DataFrame, result: Profile) -> None:
        heat = next(p for p in result["correlations"] if p["id"] == "cramers_v")["heatmap"]
        assert heat["rows"] == ["colour", "shade", "city", "label"]
        crosstab = pd.crosstab(table["colour"], table["shade"]).to_numpy()
        expected = association(crosstab, method="cramer", correction=False)
        assert heat["values"][0][1] == pytest.approx(expected, abs=1e-4)
        assert heat["values"][0][0] == 1.0

    def test_cramers_v_leaves_missing_out(self) -> None:
        a = np.array([0, 0, 1, 1, -1, 1])
        b = np.array([0, 0, 1, 1, 1, -1])
        assert cramers_v(a, b) == pytest.approx(1.0)


class TestTarget:
    def test_distribution_and_feature_against_target(
        self, table: pd.DataFrame, result: Profile
    ) -> None:
        target = result["target"]
        assert target is not None
        assert target["task"] == "binary"
        dist = target["distribution"]
        assert dist is not None
        counts = table["label"].value_counts()
        assert dict(zip(dist["series"][0]["x"], dist["series"][0]["y"], strict=True)) == dict(
            counts
        )
        x_vs = _col(result, "x")["vs_target"]
        assert x_vs is not None
        assert {s["name"] for s in x_vs["series"]} == {"yes", "no"}
        for series in x_vs["series"]:  # shares of each class's present rows
            assert sum(series["y"]) == pytest.approx(1.0)
        colour_vs = _col(result, "colour")["vs_target"]
        assert colour_vs is not None
        assert colour_vs["kind"] == "heatmap"
        share = pd.crosstab(table["colour"], table["label"], normalize="index")
        heat = colour_vs["heatmap"]
        i, j = heat["rows"].index("red"), heat["cols"].index("yes")
        assert heat["values"][i][j] == pytest.approx(share.loc["red", "yes"], abs=1e-4)

    def test_regression_target_means_per_category(self, table: pd.DataFrame) -> None:
        frame = table.assign(y=table["count"] * 1.5 + 0.25)
        result = profile(frame, "y")
        assert result["target"] is not None
        assert result["target"]["task"] == "regression"
        plot = _col(result, "colour")["vs_target"]
        assert plot is not None
        series = plot["series"][0]
        means = frame.groupby("colour")["y"].mean()
        got = dict(zip(series["y"], series["x"], strict=True))
        assert got == pytest.approx(dict(means))

    def test_findings_are_the_guardrails(self, table: pd.DataFrame) -> None:
        rng = np.random.default_rng(1)
        frame = table.assign(
            label=np.where(rng.random(ROWS) < 0.1, "rare", "common"),
        )
        frame["leak"] = frame["label"].map({"rare": 1.0, "common": 0.0})
        frame.loc[3, "label"] = None
        codes = {(f["code"], f.get("column")) for f in profile(frame, "label")["findings"]}
        assert {
            ("id_column", "row_id"),
            ("constant_column", "flat"),
            ("target_missing", "label"),
            ("class_imbalance", "label"),
            ("target_leakage", "leak"),
        } <= codes

    def test_without_target_no_target_parts(self, table: pd.DataFrame) -> None:
        result = profile(table)
        assert result["target"] is None
        assert all(c["vs_target"] is None for c in result["columns"])
        assert {f["code"] for f in result["findings"]} == {"id_column", "constant_column"}

    def test_constant_target_is_a_finding_not_a_crash(self, table: pd.DataFrame) -> None:
        result = profile(table, "flat")
        assert ("target_unusable", "flat") in {
            (f["code"], f.get("column")) for f in result["findings"]
        }
        assert result["target"] is not None
        assert result["target"]["task"] is None

    def test_unknown_target(self, table: pd.DataFrame) -> None:
        with pytest.raises(DataError, match="unknown target column 'nope'"):
            profile(table, "nope")


def test_sampling_is_stated_and_statistics_use_every_row(table: pd.DataFrame) -> None:
    result = profile(table, "label", sample_rows=100, seed=3)
    assert (result["rows"], result["sample_rows"]) == (ROWS, 100)
    assert "random sample of 100 rows (seed 3)" in result["notes"][0]
    assert _col(result, "x")["mean"] == pytest.approx(table["x"].mean())
    heat = result["correlations"][0]
    assert heat["notes"] == ["100 rows (sampled)"]
    assert (
        profile(table, "label", sample_rows=100, seed=3)["correlations"] == result["correlations"]
    )
    assert "all 400 rows" in profile(table)["notes"][0]


class TestCli:
    def test_summary_and_json(self, table: pd.DataFrame, tmp_path: Path) -> None:
        path = tmp_path / "t.csv"
        table.to_csv(path, index=False)
        result = CliRunner().invoke(
            app, ["profile", str(path), "-t", "label"], env={"COLUMNS": "200"}
        )
        assert result.exit_code == 0, result.output
        assert "profile · t.csv · 400 rows" in result.stdout
        assert "target 'label': task binary" in result.stdout
        assert "looks like an ID" in result.stdout
        as_json = CliRunner().invoke(app, ["profile", str(path), "--json"])
        assert json.loads(as_json.stdout)["rows"] == ROWS

    def test_unknown_target_is_one_line(self, table: pd.DataFrame, tmp_path: Path) -> None:
        path = tmp_path / "t.csv"
        table.to_csv(path, index=False)
        result = CliRunner().invoke(app, ["profile", str(path), "-t", "nope"])
        assert result.exit_code == 2
        assert "error: unknown target column 'nope'" in result.stderr


def test_a_target_of_many_text_values_is_capped_and_unusable() -> None:
    frame = pd.DataFrame({"x": np.arange(300) % 7, "name": [f"n{i % 120}" for i in range(300)]})
    result = profile(frame, "name")
    target = result["target"]
    assert target is not None
    assert target["task"] is None
    assert target["distribution"] is not None
    bars = target["distribution"]["series"][0]
    assert bars["x"][-1] == "(70 other values)"
    assert sum(bars["y"]) == 300
    assert "target_unusable" in {f["code"] for f in result["findings"]}
