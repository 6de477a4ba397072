"""The panel's population: per district, the newest figure at or before each period's year.

The reference is the rule written as a loop over the panel's cells, as `_population` once was;
the vectorised version must agree on ragged inputs (gaps, districts without figures, several
figures in one year, quarters and months as periods).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ledger.district_panel import _population


def newest_at_or_before(known: pd.DataFrame, grid: pd.DataFrame) -> list[float]:
    known = known.assign(year=known["period"].str[:4].astype(int)).sort_values("period")
    values = []
    for district, period in zip(grid["district"], grid["period"], strict=True):
        own = known[(known["district"] == district) & (known["year"] <= int(period[:4]))]
        values.append(float(own["population"].iloc[-1]) if len(own) else np.nan)
    return values


@pytest.mark.parametrize("seed", range(20))
def test_population_is_the_newest_figure_at_or_before_each_period(seed: int) -> None:
    rng = np.random.default_rng(seed)
    districts = [f"S{d:02d}" for d in range(1, 7)]
    known = pd.DataFrame(
        [
            {"district": d, "period": period, "population": int(rng.integers(100, 9000))}
            for d in districts[:-1]  # the last district has no figure at all
            for year in range(2015, 2025)
            if rng.random() < 0.6
            for period in ([str(year)] if rng.random() < 0.8 else [str(year), f"{year}-06-30"])
        ]
    )
    periods = [f"{y}" for y in range(2014, 2026)] + [
        f"{y}-Q{q}" for y in (2018, 2024) for q in (1, 3)
    ]
    grid = pd.DataFrame([{"district": d, "period": p} for p in periods for d in districts])
    grid = grid.sample(frac=1, random_state=seed).reset_index(drop=True)  # any cell order
    found = _population(known, grid)
    assert found.index.equals(grid.index)
    np.testing.assert_array_equal(found.to_numpy(), np.array(newest_at_or_before(known, grid)))


def test_no_population_figures_leave_every_cell_missing() -> None:
    grid = pd.DataFrame({"district": ["S01", "S02"], "period": ["2020", "2021"]})
    empty = pd.DataFrame(columns=["district", "period", "population"])
    assert _population(empty, grid).isna().all()
