"""Synthetic DiD's placebo-rank inference: Proposition 99 and a city with two treated districts.

Reference: on California's Proposition 99 (38 donor states) the in-space placebos of R
`synthdid` (tests/data/prop99/reference_placebos.csv, via test_synthetic_prop99) put California's
−15.6 second behind Rhode Island's −31.7, so its placebo-rank p-value is 2/39 = 0.0513.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evaluation.did import synthetic_did

PROP99 = Path(__file__).parents[1] / "data" / "prop99" / "california_prop99.csv"


@pytest.fixture(scope="module")
def prop99() -> pd.DataFrame:
    return pd.read_csv(PROP99, sep=";")


def test_one_treated_unit_ranks_among_every_donor_treated_in_its_place(prop99):
    ranked = synthetic_did(
        prop99, "PacksPerCapita", "State", "Year", "treated", inference="randomization"
    )
    assert ranked.pvalue == pytest.approx(2 / 39, abs=1e-15)
    assert "all 38 placements" in ranked.inference
    # Not significant at 5 %: the interval reaches zero, bounded by Rhode Island's placebo.
    placebos = ranked.placebo_estimates["estimate"].abs().sort_values(ascending=False)
    assert ranked.ci_low == pytest.approx(ranked.estimate - placebos.iloc[0], abs=1e-12)
    assert ranked.ci_high == pytest.approx(ranked.estimate + placebos.iloc[0], abs=1e-12)
    assert ranked.ci_low < 0 < ranked.ci_high
    assert ranked.mde.effect > placebos.iloc[0]


def city(seed: int, n_units: int, n_periods: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    noise = np.zeros((n_units, n_periods))
    noise[:, 0] = rng.normal(size=n_units)
    for t in range(1, n_periods):
        noise[:, t] = 0.5 * noise[:, t - 1] + rng.normal(0, math.sqrt(0.75), n_units)
    y = rng.normal(10, 2, n_units)[:, None] - 0.1 * np.arange(n_periods)[None, :] + noise
    return pd.DataFrame(
        {
            "unit": np.repeat(np.arange(n_units), n_periods),
            "year": np.tile(np.arange(n_periods), n_units),
            "y": y.ravel(),
        }
    )


def test_two_treated_districts_are_placed_on_random_pairs_of_the_others():
    data = city(1, 23)
    data["d"] = ((data["unit"] < 2) & (data["year"] >= 6)).astype(int)
    result = synthetic_did(data, "y", "unit", "year", "d", inference="randomization", seed=3)
    # C(21, 2) = 210 pairs exceed the 199 solved at most: random placements, seeded.
    assert "199 random placements" in result.inference
    assert (result.ci_low > 0 or result.ci_high < 0) == (result.pvalue <= 0.05)
    again = synthetic_did(data, "y", "unit", "year", "d", inference="randomization", seed=3)
    assert (again.pvalue, again.ci_low) == (result.pvalue, result.ci_low)


def test_fewer_than_nineteen_donors_cannot_reach_five_percent_and_the_interval_says_so():
    data = city(2, 13)
    data["d"] = ((data["unit"] == 0) & (data["year"] >= 6)).astype(int)
    result = synthetic_did(data, "y", "unit", "year", "d", inference="randomization")
    assert result.pvalue >= 1 / 13
    assert (result.ci_low, result.ci_high) == (-math.inf, math.inf)
    assert result.mde.effect is None and result.mde.reason == "too_few_assignments"
