"""Rates computed from counts and denominators (`imports.master_data.indicator_rates`): a
missing count or denominator, and a denominator of 0, give a missing rate, never a zero."""

from __future__ import annotations

import math

import pandas as pd

from imports.master_data.indicator_rates import RateRule, computed_rates

COLUMNS = ["district", "indicator", "period", "period_start", "period_end", "value", "sheet",
           "row"]  # fmt: skip


def _values(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(d, i, "2013", None, None, v, "S", n) for n, (d, i, v) in enumerate(rows, start=5)],
        columns=COLUMNS,
    )


def test_rates_over_population_and_over_another_indicator() -> None:
    values = _values([("A", "sgb2", 186.0), ("B", "sgb2", float("nan")), ("C", "sgb2", 5.0),
                      ("A", "hh", 1229.0), ("C", "hh", 0.0)])  # fmt: skip
    population = pd.DataFrame({"district": ["A", "B", "C"], "period": ["2013"] * 3,
                               "population": [1675, 900, 0]})  # fmt: skip
    rates = computed_rates(values, population, {
        "quote": RateRule("sgb2", "population", 100.0), "per_hh": RateRule("sgb2", "hh"),
    })  # fmt: skip
    got = {(r.indicator, r.district): r.value for r in rates.itertuples()}
    assert got[("quote", "A")] == 186 / 1675 * 100
    assert math.isnan(got[("quote", "B")])  # no count
    assert math.isnan(got[("quote", "C")])  # nobody lives there: no rate, not 0 or inf
    assert got[("per_hh", "A")] == 186 / 1229
    assert math.isnan(got[("per_hh", "B")]) and math.isnan(got[("per_hh", "C")])
    assert list(rates.columns) == COLUMNS and set(rates["row"]) <= {5, 6, 7}


def test_no_count_in_the_file_gives_no_rate_rows() -> None:
    values = _values([("A", "hh", 10.0)])
    assert computed_rates(values, pd.DataFrame(columns=["district", "period", "population"]),
                          {"quote": RateRule("sgb2", "population")}).empty  # fmt: skip
