"""Shared data for the DiD tests: Callaway & Sant'Anna's mpdta and small simulated panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REFERENCE = Path(__file__).parents[1] / "data" / "did-reference"


@pytest.fixture(scope="session")
def mpdta() -> pd.DataFrame:
    """500 US counties × 2003–2007 (R package `did`), with the TWFE treatment dummy d.

    d = 1 from the county's first year of a higher minimum wage on (first.treat > 0 and
    year ≥ first.treat); w = exp(lpop), population, as analytic weights; x a time-varying
    covariate built deterministically from the data (lpop itself does not vary over time).
    """
    data = pd.read_csv(REFERENCE / "mpdta.csv")
    start = data["first.treat"]
    data["d"] = ((start > 0) & (data["year"] >= start)).astype(float)
    data["w"] = np.exp(data["lpop"])
    data["x"] = data["lpop"] * (data["year"] - 2005) + np.sin(data["countyreal"])
    data["state"] = data["countyreal"] // 1000
    return data


def simulate_panel(
    n_units: int = 30,
    n_periods: int = 8,
    cohorts: dict[int, int] | None = None,
    effect: float = 0.0,
    seed: int = 0,
    noise: float = 1.0,
) -> pd.DataFrame:
    """Balanced panel with unit and period effects and a constant effect from each start.

    cohorts: start period → number of units starting then (the rest never treated); periods are
    numbered 1..n_periods. Columns: unit, time, cohort (0 = never), d, y.
    """
    rng = np.random.default_rng(seed)
    cohorts = cohorts if cohorts is not None else {5: n_units // 3}
    starts = np.zeros(n_units, dtype=int)
    position = 0
    for start, count in cohorts.items():
        starts[position : position + count] = start
        position += count
    unit = np.repeat(np.arange(n_units), n_periods)
    time = np.tile(np.arange(1, n_periods + 1), n_units)
    cohort = starts[unit]
    d = ((cohort > 0) & (time >= cohort)).astype(float)
    y = (
        rng.normal(0, 1, n_units)[unit]
        + rng.normal(0, 1, n_periods)[time - 1]
        + effect * d
        + rng.normal(0, noise, unit.size)
    )
    return pd.DataFrame({"unit": unit, "time": time, "cohort": cohort, "d": d, "y": y})


@pytest.fixture
def panel_factory():
    return simulate_panel
