"""Districts, population and social indicators of the synthetic city.

Modelled on Düren's 23 Sozialräume: the quarter and village names are real (DOMAIN §7), every
figure is invented. The core town is split into eight Sozialräume, the fifteen villages
incorporated in 1972 are one each.

Indicator model (all in the indicator's own unit, see `INDICATORS`): a district's SGB II rate is
a persistent level (its latent need) plus a small common trend plus AR(1) noise; child poverty,
unemployment density and basic income support in old age are linear in the same latent level
with their own district offsets and noise, so the indicators correlate across districts and are
persistent over time. Program effects are added on top of an untreated counterfactual, which is
kept so that tests can check them exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.demo.synthetic_measures import EFFECT_MULTIPLIERS


@dataclass(frozen=True)
class _DistrictTemplate:
    name: str
    population: int  # invented order of magnitude, inhabitants
    sgb2: float  # invented base level of the SGB II rate, percent


# Code order (SR01..SR23): the core town first, then the villages alphabetically.
_TEMPLATES: tuple[_DistrictTemplate, ...] = (
    _DistrictTemplate("Innenstadt-Nord", 6300, 24.0),
    _DistrictTemplate("Innenstadt-Süd", 5500, 19.5),
    _DistrictTemplate("Nord-Düren", 8400, 31.0),
    _DistrictTemplate("Ost", 6800, 25.5),
    _DistrictTemplate("Süd-Ost", 7400, 28.0),
    _DistrictTemplate("Süd-West", 5700, 17.0),
    _DistrictTemplate("West", 5100, 21.0),
    _DistrictTemplate("Rölsdorf", 4400, 13.5),
    _DistrictTemplate("Arnoldsweiler", 3600, 9.5),
    _DistrictTemplate("Berzbuir", 1800, 8.0),
    _DistrictTemplate("Birgel", 2300, 8.5),
    _DistrictTemplate("Birkesdorf", 7500, 21.5),
    _DistrictTemplate("Derichsweiler", 2400, 8.5),
    _DistrictTemplate("Echtz", 3300, 10.5),
    _DistrictTemplate("Gürzenich", 5000, 11.5),
    _DistrictTemplate("Hoven", 1900, 9.0),
    _DistrictTemplate("Konzendorf", 1750, 8.0),
    _DistrictTemplate("Krauthausen", 1800, 8.0),
    _DistrictTemplate("Kufferath", 1700, 7.5),
    _DistrictTemplate("Lendersdorf", 3700, 10.0),
    _DistrictTemplate("Mariaweiler", 3100, 13.5),
    _DistrictTemplate("Merken", 2500, 8.5),
    _DistrictTemplate("Niederau", 3400, 12.0),
)

# Which quarters a smaller city keeps: a mix of core town and villages at every size.
_PRIORITY = (
    "Nord-Düren", "Süd-Ost", "Ost", "Innenstadt-Nord", "Birkesdorf", "West", "Rölsdorf",
    "Gürzenich", "Mariaweiler", "Innenstadt-Süd", "Süd-West", "Niederau", "Lendersdorf", "Echtz",
    "Arnoldsweiler", "Hoven", "Derichsweiler", "Merken", "Birgel", "Krauthausen", "Berzbuir",
    "Konzendorf", "Kufferath",
)  # fmt: skip

NEEDIEST = "Nord-Düren"  # long-standing programme area; always need rank 1
TOTAL_POPULATION = 93_300  # Düren had 93,323 inhabitants at the end of 2023 (DOMAIN §7)
MIN_POPULATION, MAX_POPULATION = 1_500, 9_000


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str  # German name as the committee reads it
    unit: str
    frequency: str  # "year" (year-end stock, period "2024") or "quarter" (period "2024-Q3")


INDICATORS: tuple[IndicatorInfo, ...] = (
    IndicatorInfo("sgb2_quote", "SGB-II-Quote", "%", "year"),
    IndicatorInfo("kinderarmut", "Kinderarmut (SGB-II-Quote unter 15 Jahren)", "%", "year"),
    IndicatorInfo("arbeitslosigkeit", "Arbeitslosendichte (je 100 Einw. 15-64)", "je 100",
                  "quarter"),
    IndicatorInfo("grundsicherung_alter", "Grundsicherung im Alter (je 100 Einw. 65+)", "%",
                  "year"),
)  # fmt: skip


def district_frame(n_districts: int) -> pd.DataFrame:
    """Codes and names of the districts of a city with `n_districts` Sozialräume.

    Up to 23: a subset of Düren's quarters (by `_PRIORITY`, in code order). Above 23, extra
    districts are called "Synthetischer Sozialraum NN".
    """
    if not 8 <= n_districts <= 99:
        raise ValueError(f"districts must be between 8 and 99, got {n_districts}")
    kept = set(_PRIORITY[:n_districts])
    names = [t.name for t in _TEMPLATES if t.name in kept]
    names += [f"Synthetischer Sozialraum {i}" for i in range(24, n_districts + 1)]
    codes = [f"SR{i:02d}" for i in range(1, n_districts + 1)]
    return pd.DataFrame({"district": codes, "name": names})


def latent_need(districts: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Persistent base level of the SGB II rate per district (percent), indexed by code.

    Template level plus noise; Nord-Düren is made the neediest district.
    """
    template = {t.name: t.sgb2 for t in _TEMPLATES}
    base = districts["name"].map(template).astype("float64")
    extra = base.isna()
    base[extra] = rng.uniform(7.0, 18.0, size=int(extra.sum()))
    level = (base + rng.normal(0.0, 1.2, size=len(base))).clip(7.5, 32.0)
    level.index = pd.Index(districts["district"])
    needy = districts.index[districts["name"].eq(NEEDIEST)]
    if len(needy):
        code = districts.loc[needy[0], "district"]
        others = level.drop(code)
        level[code] = max(level[code], others.max() + 1.0)
    return level


def population_frame(
    districts: pd.DataFrame, years: range, rng: np.random.Generator
) -> pd.DataFrame:
    """Inhabitants per district and year (year-end), summing to about 93,300 for 23 districts."""
    template = {t.name: t.population for t in _TEMPLATES}
    base = districts["name"].map(template).astype("float64").fillna(2_500.0).to_numpy()
    base = base * np.exp(rng.normal(0.0, 0.06, size=len(base)))
    base *= TOTAL_POPULATION * len(base) / len(_TEMPLATES) / base.sum()
    growth = rng.normal(0.002, 0.003, size=len(base))
    last = years[-1]
    rows = []
    for year in years:
        noise = rng.normal(0.0, 0.002, size=len(base))
        values = base * (1.0 + growth) ** (year - last) * (1.0 + noise)
        values = np.clip(np.round(values), MIN_POPULATION, MAX_POPULATION).astype("int64")
        rows.append(
            pd.DataFrame({"district": districts["district"], "year": year, "population": values})
        )
    return pd.concat(rows, ignore_index=True)


def _ar1(
    rng: np.random.Generator, shape: tuple[int, int], rho: float, sd: np.ndarray
) -> np.ndarray:
    """AR(1) noise per district (rows) over periods (columns), stationary from the start."""
    shocks = rng.normal(0.0, 1.0, size=shape) * sd[:, None]
    out = np.empty(shape)
    out[:, 0] = shocks[:, 0] / np.sqrt(1.0 - rho**2)
    for t in range(1, shape[1]):
        out[:, t] = rho * out[:, t - 1] + shocks[:, t]
    return out


def indicator_frames(
    districts: pd.DataFrame,
    population: pd.DataFrame,
    need: pd.Series,
    years: range,
    starts_year: Mapping[str, Mapping[str, int]],
    starts_quarter: Mapping[str, Mapping[str, int]],
    effects: Mapping[str, float],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observed, counterfactual) indicators in long format: district, indicator, period, value.

    starts_year: program -> district -> first treated year; starts_quarter: the same as a
    quarter index (year * 4 + quarter - 1). Values are rounded to one decimal as published;
    `observed - counterfactual` equals the sum of the planted effects (up to that rounding).
    """
    codes = districts["district"].to_numpy()
    n, t_years = len(codes), len(years)
    b = need.reindex(codes).to_numpy()
    pop = population[population["year"] == years[-1]].set_index("district")["population"]
    noise_scale = np.sqrt(4_000.0 / pop.reindex(codes).to_numpy()).clip(0.7, 1.3)  # small: noisier

    steps = rng.normal(-0.1, 0.3, size=t_years)
    steps[0] = 0.0
    common = np.clip(np.cumsum(steps), -1.0, 1.0)  # small common trend, pp

    year_idx = np.array(list(years))
    quarters = np.array([y * 4 + q for y in years for q in range(4)])
    effect_y = np.zeros((n, t_years))
    effect_q = np.zeros((n, len(quarters)))
    for program, size in effects.items():
        for district, year in starts_year.get(program, {}).items():
            row = int(np.flatnonzero(codes == district)[0])
            effect_y[row] += size * (year_idx >= year)
            effect_q[row] += size * (quarters >= starts_quarter[program][district])

    latent = b[:, None] + common[None, :]
    sgb2 = latent + _ar1(rng, (n, t_years), 0.5, 0.35 * noise_scale)
    # Each indicator follows the latent level with its own district-specific slope and offset,
    # so the indicators correlate strongly but not perfectly across districts.
    child_ratio = 1.75 + np.clip(rng.normal(0.0, 0.12, size=(n, 1)), -0.3, 0.3)
    child = child_ratio * latent + _ar1(rng, (n, t_years), 0.5, 0.6 * noise_scale)
    elderly_offset = np.clip(rng.normal(0.0, 0.7, size=(n, 1)), -1.4, 1.4)
    elderly = 2.0 + 0.14 * b[:, None] + elderly_offset + 0.08 * np.arange(t_years)[None, :]
    elderly = elderly + _ar1(rng, (n, t_years), 0.5, 0.15 * noise_scale)
    seasonal = np.tile([0.25, -0.05, 0.0, -0.2], t_years)
    unemployed_slope = 0.33 + np.clip(rng.normal(0.0, 0.03, size=(n, 1)), -0.06, 0.06)
    unemployed = 1.8 + unemployed_slope * np.repeat(latent, 4, axis=1) + seasonal[None, :]
    unemployed = unemployed + _ar1(rng, (n, 4 * t_years), 0.7, 0.12 * noise_scale)

    bounds = {
        "sgb2_quote": (5.0, 35.0),
        "kinderarmut": (5.0, 70.0),
        "arbeitslosigkeit": (3.0, 15.0),
        "grundsicherung_alter": (1.0, 12.0),
    }
    series = {
        "sgb2_quote": (sgb2, effect_y),
        "kinderarmut": (child, effect_y),
        "arbeitslosigkeit": (unemployed, effect_q),
        "grundsicherung_alter": (elderly, effect_y),
    }
    year_periods = [str(y) for y in years]
    quarter_periods = [f"{y}-Q{q + 1}" for y in years for q in range(4)]
    observed, counterfactual = [], []
    for info in INDICATORS:
        values, effect = series[info.code]
        low, high = bounds[info.code]
        untreated = np.clip(values, low, high)
        treated = np.clip(untreated + EFFECT_MULTIPLIERS[info.code] * effect, low, high)
        periods = quarter_periods if info.frequency == "quarter" else year_periods
        for target, matrix in ((counterfactual, untreated), (observed, treated)):
            target.append(
                pd.DataFrame(
                    {
                        "district": np.repeat(codes, len(periods)),
                        "indicator": info.code,
                        "period": np.tile(periods, n),
                        "value": np.round(matrix, 1).ravel(),
                    }
                )
            )
    observed_frame = pd.concat(observed, ignore_index=True)
    counterfactual_frame = pd.concat(counterfactual, ignore_index=True)
    missing = _missing_cells(observed_frame, pop, years)
    observed_frame.loc[missing, "value"] = np.nan
    counterfactual_frame.loc[missing, "value"] = np.nan
    return observed_frame, counterfactual_frame


def _missing_cells(frame: pd.DataFrame, population: pd.Series, years: range) -> pd.Series:
    """A few values withheld the way statistical offices do for small districts.

    Child poverty of the smallest district in the first year, and basic income support in old age
    of the two smallest districts in the first and third year. The SGB II rate and unemployment
    stay complete so that evaluations run on a balanced panel.
    """
    smallest = population.sort_values(kind="stable").index[:2].tolist()
    first, third = str(years[0]), str(years[min(2, len(years) - 1)])
    cells = [
        ("kinderarmut", smallest[0], first),
        ("grundsicherung_alter", smallest[0], first),
        ("grundsicherung_alter", smallest[1], third),
    ]
    mask = pd.Series(False, index=frame.index)
    for indicator, district, period in cells:
        mask |= (
            frame["indicator"].eq(indicator)
            & frame["district"].eq(district)
            & frame["period"].eq(period)
        )
    return mask
