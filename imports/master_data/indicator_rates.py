"""Rates the product computes from counts and their denominators (`import indicators`).

Official tables often publish counts beside their base (the BA's SGB II recipients and the
population; Hamburg's Stadtteilprofile carry both), and a published share is rounded, or based
on a denominator the city would not choose. With `[indicators.CODE] numerator = "COUNT"` and
`denominator = "population"` (or another indicator code), the values of CODE are computed per
district and period as numerator / denominator, times 100 when the unit is "%". A rate is
missing (NaN, never zero) where either part is missing or the denominator is 0; the symbols of
the parts keep their meaning in the import's `missing_by_meaning`.

Pure: frames in, a frame out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

POPULATION = "population"
_KEYS = ["district", "period"]


@dataclass(frozen=True)
class RateRule:
    """CODE = numerator / denominator × scale (scale 100 for a per-cent unit)."""

    numerator: str
    denominator: str
    scale: float = 1.0


def computed_rates(
    values: pd.DataFrame, population: pd.DataFrame, rules: Mapping[str, RateRule]
) -> pd.DataFrame:
    """The rows of every computed rate, in the columns of `values` (district, indicator,
    period, period_start, period_end, value, sheet, row: those of the numerator's row). Only
    district-periods that hold a numerator row get a rate."""
    frames = []
    for code, rule in rules.items():
        counts = values[values["indicator"] == rule.numerator]
        if counts.empty:
            continue
        if rule.denominator == POPULATION:
            base = population[[*_KEYS, POPULATION]].rename(columns={POPULATION: "base"})
        else:
            base = values.loc[values["indicator"] == rule.denominator, [*_KEYS, "value"]]
            base = base.rename(columns={"value": "base"})
        joined = counts.merge(base.astype({"base": float}), on=_KEYS, how="left")
        usable = joined["base"].notna() & (joined["base"] != 0)
        rate = (joined["value"] / joined["base"].where(usable)) * rule.scale
        frames.append(joined.drop(columns="base").assign(indicator=code, value=rate))
    if not frames:
        return values.iloc[0:0]
    return pd.concat(frames, ignore_index=True)[values.columns].astype({"value": np.float64})
