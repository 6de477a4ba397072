"""Need index per district and period: where the burdened quarters are, and whether need persists.

Small-area social reporting as in Berlin's Monitoring Soziale Stadtentwicklung (SPEC §7 `need`,
DOMAIN §4). Per period:

1. Suppression. A district is listed with a reason and used for nothing else when its population
   (the newest at or before the period) is unknown ("population unknown") or below
   `min_population` ("population 196 below 300"), or when a need indicator has no value
   ("indicator kinderarmut missing"). Several reasons are joined with "; ".
2. z-scores of every need indicator across the remaining districts of that period, with the
   population standard deviation (ddof 0); the sign is turned where `higher_is_worse` is false, so
   that a higher z always means more need. An indicator without spread in a period (all values
   equal, or a single district) carries no information there: its z is 0 for every district.
3. need_index: the weighted mean of those z-scores (weights need not sum to 1).
4. need_rank: 1 = most need; ties share the best rank (method "min": 1, 1, 3).
5. need_class from z, the need index standardised again across the same districts (ddof 0):
   z ≥ 1.5 "very_high", 1.0 ≤ z < 1.5 "high", −1.0 < z < 1.0 "medium", z ≤ −1.0 "low" (Berlin's
   class bounds with the sign turned to need). z is rounded to 9 decimals before it is compared
   and before ranking, so a value that is exactly on a bound in exact arithmetic is not moved
   across it by a floating-point error.

Periods are string labels that start with a four-digit year ("2018", "2024-Q3", "2024-07");
labels of one frequency are zero-padded so that they sort as strings. The indicator values must
use one frequency. Population may use another: a population label of the same frequency counts
when it sorts at or before the period; one of a different frequency counts when its year is at or
before the period's year (a year-end population serves every quarter of that year, a quarterly
population every later year-end). Rows with a missing population are ignored.

A "period with values" is one in which at least one district is ranked. The default period is
the newest of them; `change` compares with the previous one (null when the district was not ranked
there), and `persistent` counts consecutive ones back from the reported period, so a period in
which the district was suppressed ends the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# Class bounds of the standardised need index (Berlin MSS, sign turned to need).
VERY_HIGH_FROM = 1.5
HIGH_FROM = 1.0
LOW_TO = -1.0
BURDENED_CLASSES = ("high", "very_high")

# Decimals kept before comparing z with the class bounds and before ranking.
_STABLE_DECIMALS = 9

_PANEL_COLUMNS = [
    "district",
    "period",
    "population",
    "need_index",
    "need_rank",
    "need_class",
    "class_z",
    "reason",
]


class NeedDataError(ValueError):
    """Why the need table cannot be computed: a code and its values (the front doors word it,
    catalogue keys `cli.need.<code>`); the English text is for logs and tracebacks only."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(f"{code}: {values}")
        self.code = code
        self.values = values


@dataclass(frozen=True)
class NeedRow:
    """One ranked district in one period.

    population: inhabitants used for the period (newest at or before it). need_index: weighted
    mean of the indicators' z-scores, higher = more need (a unitless number of standard
    deviations). change: need index minus the one of the previous period with values (None where
    the district was not ranked then). persistent: consecutive periods, ending with this one, in
    class "high" or "very_high" (0 when not now).
    """

    key: str
    name: str
    population: int
    need_index: float
    need_rank: int
    need_class: str
    change: float | None
    persistent: int


@dataclass(frozen=True)
class NeedTable:
    """The need table of one period: ranked districts (rank 1 first) and suppressed ones.

    indicators: the need-index indicators in the order of the weights. suppressed: (key, reason)
    sorted by key.
    """

    period: str
    indicators: tuple[str, ...]
    districts: tuple[NeedRow, ...]
    suppressed: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `budget-monitor need --json` (SPEC §7)."""
        return {
            "period": self.period,
            "indicators": list(self.indicators),
            "districts": [
                {
                    "key": row.key,
                    "name": row.name,
                    "population": row.population,
                    "need_index": row.need_index,
                    "need_rank": row.need_rank,
                    "need_class": row.need_class,
                    "change": row.change,
                    "persistent": row.persistent,
                }
                for row in self.districts
            ],
            "suppressed": [{"key": key, "reason": reason} for key, reason in self.suppressed],
        }


def need_class(z: float) -> str:
    """Class of a standardised need index z (bounds in the module docstring)."""
    z = round(float(z), _STABLE_DECIMALS)
    if z >= VERY_HIGH_FROM:
        return "very_high"
    if z >= HIGH_FROM:
        return "high"
    if z <= LOW_TO:
        return "low"
    return "medium"


def need_panel(
    values: pd.DataFrame,
    population: pd.DataFrame,
    weights: Mapping[str, float],
    higher_is_worse: Mapping[str, bool],
    min_population: int,
    *,
    districts: Iterable[str] = (),
    include_suppressed: bool = False,
) -> pd.DataFrame:
    """Need index, rank and class of every district in every period of `values`.

    values: long frame with columns district, indicator, period, value (NaN = missing); only the
    indicators named in `weights` are used. population: district, period, population.
    weights: indicator → weight > 0. higher_is_worse: indicator → bool (default True, as in the
    settings). districts: further keys from the master data; in every period each of them is
    ranked or suppressed even without a value row.

    Returns one row per ranked district and period, columns district, period, population,
    need_index, need_rank (Int64), need_class, class_z (the need index standardised again) and
    reason (None); with include_suppressed, suppressed rows too, with their reason and nulls.
    Sorted by period, then rank, then district.
    """
    indicators = _indicators(weights)
    frame = _period_grid(values, indicators, districts)
    frame["population"] = _population_for(population, frame)
    frame["reason"] = _suppression_reasons(frame, indicators, min_population)
    ranked = frame[frame["reason"].isna()].copy()

    total_weight = sum(float(weights[c]) for c in indicators)
    index = pd.Series(0.0, index=ranked.index)
    for code in indicators:
        sign = 1.0 if higher_is_worse.get(code, True) else -1.0
        index += float(weights[code]) * sign * _standardise(ranked[code], ranked["period"])
    ranked["need_index"] = index / total_weight
    ranked["class_z"] = _standardise(ranked["need_index"], ranked["period"])
    ranked["need_class"] = ranked["class_z"].map(need_class)
    stable = ranked["need_index"].round(_STABLE_DECIMALS)
    ranked["need_rank"] = (
        stable.groupby(ranked["period"]).rank(method="min", ascending=False).astype("Int64")
    )

    out = ranked
    if include_suppressed:
        rest = frame[frame["reason"].notna()].copy()
        out = pd.concat([ranked, rest.assign(need_rank=pd.NA)], ignore_index=True)
    out = out.reindex(columns=_PANEL_COLUMNS)
    out["need_rank"] = out["need_rank"].astype("Int64")
    out["reason"] = out["reason"].astype(object).where(out["reason"].notna(), None)
    return out.sort_values(["period", "need_rank", "district"], na_position="last").reset_index(
        drop=True
    )


def need_table(
    values: pd.DataFrame,
    population: pd.DataFrame,
    names: Mapping[str, str],
    weights: Mapping[str, float],
    higher_is_worse: Mapping[str, bool],
    min_population: int,
    period: str | None = None,
) -> NeedTable:
    """The need table of `period` (default: the newest period with values), SPEC §7 `need`.

    names: district key → display name (a key without a name is shown by its key); every named
    district appears, ranked or suppressed. Change and persistence come from the same panel
    (`need_panel`), each period with its own suppression. Raises NeedDataError for a period
    without any value row.
    """
    panel = need_panel(
        values,
        population,
        weights,
        higher_is_worse,
        min_population,
        districts=names.keys(),
        include_suppressed=True,
    )
    if panel.empty:
        raise NeedDataError("no_values", indicators=", ".join(_indicators(weights)))
    ranked = panel[panel["reason"].isna()]
    with_values = sorted(ranked["period"].unique())
    if period is None:
        period = with_values[-1] if with_values else str(panel["period"].max())
    period = str(period)
    if period not in set(panel["period"]):
        raise NeedDataError("no_values_in_period", period=period)

    now = ranked[ranked["period"] == period].set_index("district")
    earlier = [p for p in with_values if p < period]
    change = pd.Series(np.nan, index=now.index)
    if earlier:
        before = ranked[ranked["period"] == earlier[-1]].set_index("district")["need_index"]
        change = now["need_index"] - before.reindex(now.index)
    persistent = _persistence(ranked, [p for p in with_values if p <= period], now.index)

    rows = tuple(
        NeedRow(
            key=str(key),
            name=str(names.get(key, key)),
            population=int(row.population),
            need_index=float(row.need_index),
            need_rank=int(row.need_rank),
            need_class=str(row.need_class),
            change=None if pd.isna(change[key]) else float(change[key]),
            persistent=int(persistent[key]),
        )
        for key, row in now.iterrows()
    )
    gone = panel[(panel["period"] == period) & panel["reason"].notna()].sort_values("district")
    return NeedTable(
        period=period,
        indicators=_indicators(weights),
        districts=rows,
        suppressed=tuple(
            zip(gone["district"].astype(str), gone["reason"].astype(str), strict=True)
        ),
    )


def _indicators(weights: Mapping[str, float]) -> tuple[str, ...]:
    if not weights or any(not float(w) > 0 for w in weights.values()):
        raise NeedDataError("no_weights")
    return tuple(weights)


def _frequency(label: str) -> str:
    """The shape of a period label: "2024" → "9999", "2024-Q3" → "9999-Q9"."""
    if not re.match(r"\d{4}", label):
        raise NeedDataError("period_without_year", period=label)
    return re.sub(r"\d", "9", label)


def _period_grid(
    values: pd.DataFrame, indicators: tuple[str, ...], districts: Iterable[str]
) -> pd.DataFrame:
    """One row per (period, district) with a column per indicator (NaN where missing)."""
    data = values.loc[
        values["indicator"].isin(indicators), ["district", "indicator", "period", "value"]
    ]
    data = pd.DataFrame(
        {
            "district": data["district"].astype(str).to_numpy(),
            "indicator": data["indicator"].astype(str).to_numpy(),
            "period": data["period"].astype(str).to_numpy(),
            "value": pd.to_numeric(data["value"], errors="coerce").to_numpy(dtype=float),
        }
    )
    shapes = {_frequency(p) for p in data["period"].unique()}
    if len(shapes) > 1:
        raise NeedDataError("mixed_frequencies", shapes=", ".join(sorted(shapes)))
    twice = data.duplicated(["district", "indicator", "period"], keep=False)
    if twice.any():
        first = data[twice].iloc[0]
        raise NeedDataError(
            "duplicate_values",
            count=int(twice.sum()),
            district=first["district"],
            indicator=first["indicator"],
            period=first["period"],
        )
    wide = data.pivot(index=["period", "district"], columns="indicator", values="value")
    wide = wide.reindex(columns=list(indicators))
    known = pd.MultiIndex.from_product(
        [sorted(data["period"].unique()), sorted({str(d) for d in districts})],
        names=["period", "district"],
    )
    wide = wide.reindex(wide.index.union(known)) if len(known) else wide
    wide.columns = list(indicators)
    return wide.reset_index()


def _population_for(population: pd.DataFrame, grid: pd.DataFrame) -> pd.Series:
    """The newest population at or before each grid row's period (NaN where none)."""
    pop = population[["district", "period", "population"]].dropna(subset=["population"])
    pop = pd.DataFrame(
        {
            "district": pop["district"].astype(str).to_numpy(),
            "period": pop["period"].astype(str).to_numpy(),
            "population": pop["population"].to_numpy(dtype=float),
        }
    )
    twice = pop.duplicated(["district", "period"], keep=False)
    if twice.any():
        first = pop[twice].iloc[0]
        raise NeedDataError(
            "duplicate_population", district=first["district"], period=first["period"]
        )
    # Newest first: by year, then label (within a year a sub-annual label sorts after "2024").
    pop = pop.assign(year=pop["period"].str[:4]).sort_values(["year", "period"], ascending=False)
    labels = pop["period"].unique()
    result = pd.Series(np.nan, index=grid.index)
    for period in grid["period"].unique():
        usable = {p for p in labels if _at_or_before(p, period)}
        newest = pop[pop["period"].isin(usable)].drop_duplicates("district")
        rows = grid["period"] == period
        found = grid.loc[rows, "district"].map(newest.set_index("district")["population"])
        result[rows] = found.astype(float)
    return result


def _at_or_before(label: str, period: str) -> bool:
    if _frequency(label) == _frequency(period):
        return label <= period
    return label[:4] <= period[:4]


def _suppression_reasons(
    frame: pd.DataFrame, indicators: tuple[str, ...], min_population: int
) -> pd.Series:
    """Why each row is left out (population first, then indicators, "; "-joined), or None."""
    pop = frame["population"]
    unknown = pd.Series(np.where(pop.isna(), "population unknown", ""), index=frame.index)
    small = pop < min_population
    too_small = pd.Series("", index=frame.index)
    too_small[small] = (
        "population " + pop[small].astype("int64").astype(str) + f" below {min_population}"
    )
    missing = frame[list(indicators)].isna()
    listed = pd.Series("", index=frame.index)
    for code in indicators:
        comma = np.where((listed != "") & missing[code], ", ", "")
        listed = listed + comma + np.where(missing[code], code, "")
    count = missing.sum(axis=1)
    gaps = pd.Series(
        np.where(count == 0, "", np.where(count == 1, "indicator ", "indicators ")),
        index=frame.index,
    )
    gaps = gaps + listed + np.where(count > 0, " missing", "")
    reason = _joined(_joined(unknown, too_small), gaps)
    return reason.astype(object).where(reason != "", None)


def _joined(first: pd.Series, second: pd.Series) -> pd.Series:
    return first + np.where((first != "") & (second != ""), "; ", "") + second


def _standardise(x: pd.Series, period: pd.Series) -> pd.Series:
    """z-score within each period, population SD (ddof 0); 0 where a period has no spread."""
    deviation = x - x.groupby(period).transform("mean")
    sd = np.sqrt((deviation**2).groupby(period).transform("mean"))
    z = deviation / sd
    return z.where(sd > 0, 0.0)


def _persistence(ranked: pd.DataFrame, periods: list[str], keys: pd.Index) -> pd.Series:
    """Consecutive periods, back from the last of `periods`, in a burdened class (per key)."""
    if not periods or keys.empty:
        return pd.Series(0, index=keys)
    burdened = (
        ranked[ranked["period"].isin(periods)]
        .assign(burdened=lambda f: f["need_class"].isin(BURDENED_CLASSES))
        .pivot(index="district", columns="period", values="burdened")
        .reindex(index=keys, columns=periods[::-1])
        .fillna(False)
        .astype(bool)
    )
    return burdened.cumprod(axis=1).sum(axis=1).astype(int)
