"""Targeting: does spending per inhabitant follow need? (SPEC §7 `targeting`, DOMAIN §1)

Descriptive benefit-incidence analysis over the districts that have a need index (suppressed
districts are left out upstream) and a population > 0; zero spending counts.

- spearman: Spearman's rank correlation of need index and per-capita spending
  (scipy.stats.spearmanr; ties get average ranks). spearman_ci: percentile bootstrap interval,
  resampling districts with replacement (`draws` draws, numpy Generator seeded with `seed`);
  draws in which either variable has no spread are left out. With 15–40 districts the interval is
  wide, and the result carries a warning below `FEW_DISTRICTS`.
- Concentration curve: districts sorted from MOST to LEAST need; x = cumulative share of the
  population, y = cumulative share of spending, starting at (0, 0). Districts with the same need
  index form one step, so the curve does not depend on how ties happen to be ordered.
- concentration_index = 2 × (½ − area under the curve), i.e. twice the area between the diagonal
  and the curve, the area by the trapezoid rule (exact for this piecewise-linear curve; computed
  in exact fractions from integer cents and inhabitants).
  SIGN CONVENTION (that of benefit-incidence analysis, O'Donnell et al. 2008, ch. 8, with
  districts ranked from the most disadvantaged): NEGATIVE when spending is concentrated among the
  neediest (curve above the diagonal), positive when it favours the least needy, 0 when spending
  is proportional to population; range −1 to 1.
- top_fifth_spending_share: the share of spending reaching the neediest fifth of the population:
  districts are taken from the most needy until their population reaches 20 %, the boundary
  district (or group of tied districts) counted with the fraction of its population needed to
  reach 20 % and the same fraction of its spending. This is the curve's height at x = 0.2, so
  top_fifth_population_share is 0.2 by construction; it is kept for the comparison in the report.

Verdict (thresholds are the module constants below):
- "follows": spearman ≥ FOLLOWS_MIN_SPEARMAN, the lower end of its interval > 0, and the
  neediest fifth receives more than its population share;
- "does_not_follow": spearman ≤ AGAINST_MAX_SPEARMAN, or the neediest fifth receives less than
  its population share;
- "unclear" otherwise (including a rank correlation that cannot be computed because every
  district spends the same per inhabitant);
- "not_assessable": fewer than MIN_DISTRICTS districts, or total spending ≤ 0.

Money stays integer cents; per_capita is Decimal euros rounded half up to cents. Floats appear
only inside the rank statistics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.caveat_codes import Caveat, english

FOLLOWS_MIN_SPEARMAN = 0.3
AGAINST_MAX_SPEARMAN = -0.1
NEEDIEST_SHARE = Fraction(1, 5)
MIN_DISTRICTS = 3
FEW_DISTRICTS = 20

_CENT = Decimal("0.01")
_TIE_DECIMALS = 9


@dataclass(frozen=True)
class TargetingRow:
    """One district: need (rank 1 = most need), inhabitants, spending in cents, € per inhabitant."""

    key: str
    need_index: float
    need_rank: int
    population: int
    amount_cents: int
    per_capita: Decimal


@dataclass(frozen=True)
class Targeting:
    """How well spending of one year follows need (see the module docstring for every number).

    spearman_ci: (low, high) at level 1 − alpha. concentration_curve: columns
    cum_population_share, cum_spending_share, first row (0, 0), last (1, 1).
    concentration_index: NEGATIVE = spending concentrated among the neediest.
    verdict: one English sentence; verdict_code: "follows", "does_not_follow", "unclear" or
    "not_assessable" (for the report's message catalogue). excluded: (key, reason) of districts
    with a need index but no usable population. draws_used: bootstrap draws with spread.
    """

    year: int
    spearman: float
    spearman_ci: tuple[float, float]
    districts: tuple[TargetingRow, ...]
    top_fifth_spending_share: float
    top_fifth_population_share: float
    concentration_curve: pd.DataFrame
    concentration_index: float
    verdict: str
    verdict_code: str
    draws: int
    draws_used: int
    seed: int
    alpha: float
    excluded: tuple[tuple[str, str], ...] = ()
    caveats: tuple[Caveat, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """The caveats' English sentences."""
        return english(self.caveats)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `budget-monitor targeting --json` (SPEC §7) plus the figures behind it."""
        return {
            "year": self.year,
            "spearman": _number(self.spearman),
            "spearman_ci": [_number(self.spearman_ci[0]), _number(self.spearman_ci[1])],
            "districts": [
                {
                    "key": row.key,
                    "need_index": row.need_index,
                    "need_rank": row.need_rank,
                    "per_capita": str(row.per_capita),
                    "population": row.population,
                    "amount": _euros(row.amount_cents),
                }
                for row in self.districts
            ],
            "verdict": self.verdict,
            "verdict_code": self.verdict_code,
            "top_fifth_spending_share": _number(self.top_fifth_spending_share),
            "top_fifth_population_share": _number(self.top_fifth_population_share),
            "concentration_index": _number(self.concentration_index),
            "concentration_curve": [
                {"cum_population_share": _number(x), "cum_spending_share": _number(y)}
                for x, y in zip(
                    self.concentration_curve["cum_population_share"],
                    self.concentration_curve["cum_spending_share"],
                    strict=True,
                )
            ],
            "bootstrap": {
                "draws": self.draws,
                "draws_used": self.draws_used,
                "seed": self.seed,
                "level": 1 - self.alpha,
            },
            "excluded": [{"key": key, "reason": reason} for key, reason in self.excluded],
            "warnings": list(self.warnings),
            "caveats": [c.to_dict() for c in self.caveats],
        }


def targeting(
    need: pd.DataFrame,
    spending: pd.DataFrame,
    *,
    year: int,
    seed: int = 0,
    draws: int = 2000,
    alpha: float = 0.05,
) -> Targeting:
    """Rank correlation, neediest-fifth share and concentration index of one year's spending.

    need: columns key, need_index, need_rank of the non-suppressed districts (from `need_panel`
    for that year). spending: columns key, population, amount_cents (integer cents; NaN = no
    spending = 0). Districts of `spending` without a need index (suppressed) are left out; districts
    with a need index but no population > 0 are listed in `excluded`.
    """
    data, excluded = _districts(need, spending)
    rows = tuple(
        TargetingRow(
            key=r.key,
            need_index=float(r.need_index),
            need_rank=int(r.need_rank),
            population=int(r.population),
            amount_cents=int(r.amount_cents),
            per_capita=(Decimal(int(r.amount_cents)) / (Decimal(int(r.population)) * 100)).quantize(
                _CENT, rounding=ROUND_HALF_UP
            ),
        )
        for r in data.itertuples()
    )
    n = len(rows)
    need_index = data["need_index"].to_numpy(dtype=float)
    per_capita = (data["amount_cents"] / data["population"]).to_numpy(dtype=float)
    total = sum(row.amount_cents for row in rows)

    spearman, ci, used = math.nan, (math.nan, math.nan), 0
    if n >= MIN_DISTRICTS:
        spearman = _spearman(need_index, per_capita)
        ci, used = _bootstrap_interval(need_index, per_capita, seed, draws, alpha)
    if total > 0:
        curve = concentration_curve(data)
        index = float(concentration_index(curve))
        top_fifth = _height_at(curve, NEEDIEST_SHARE)
    else:
        curve, index, top_fifth = [(Fraction(0), Fraction(0))], math.nan, None

    code, sentence = _verdict(n, total, year, spearman, ci, top_fifth, index, alpha)
    notes = list(_warnings(n, draws, used))
    return Targeting(
        year=int(year),
        spearman=spearman,
        spearman_ci=ci,
        districts=rows,
        top_fifth_spending_share=math.nan if top_fifth is None else float(top_fifth),
        top_fifth_population_share=float(NEEDIEST_SHARE),
        concentration_curve=pd.DataFrame(
            {
                "cum_population_share": [float(x) for x, _ in curve],
                "cum_spending_share": [float(y) for _, y in curve],
            }
        ),
        concentration_index=index,
        verdict=sentence,
        verdict_code=code,
        draws=draws,
        draws_used=used,
        seed=seed,
        alpha=alpha,
        excluded=excluded,
        caveats=tuple(notes),
    )


def concentration_curve(data: pd.DataFrame) -> list[tuple[Fraction, Fraction]]:
    """Exact curve points (population share, spending share) from (0, 0), most need first.

    data: columns need_index, population, amount_cents. Need indices equal to 9 decimals (as
    `evaluation.need` ranks them) form one step.
    """
    tier = data["need_index"].round(_TIE_DECIMALS)
    groups = (
        data.groupby(tier, sort=True)[["population", "amount_cents"]]
        .sum()
        .sort_index(ascending=False)
    )
    people = [int(p) for p in groups["population"]]
    cents = [int(c) for c in groups["amount_cents"]]
    total_people, total_cents = sum(people), sum(cents)
    points = [(Fraction(0), Fraction(0))]
    cum_people = cum_cents = 0
    for p, c in zip(people, cents, strict=True):
        cum_people += p
        cum_cents += c
        points.append((Fraction(cum_people, total_people), Fraction(cum_cents, total_cents)))
    return points


def concentration_index(curve: list[tuple[Fraction, Fraction]]) -> Fraction:
    """2 × (½ − trapezoid area under the curve): NEGATIVE when the curve lies above the diagonal."""
    area = sum(
        ((x1 - x0) * (y0 + y1) / 2 for (x0, y0), (x1, y1) in pairwise(curve)),
        Fraction(0),
    )
    return 1 - 2 * area


def _height_at(curve: list[tuple[Fraction, Fraction]], share: Fraction) -> Fraction:
    """The curve's height at population share `share` (linear within the boundary step)."""
    for (x0, y0), (x1, y1) in pairwise(curve):
        if x1 >= share:
            return y0 + (share - x0) / (x1 - x0) * (y1 - y0)
    return curve[-1][1]


def _districts(
    need: pd.DataFrame, spending: pd.DataFrame
) -> tuple[pd.DataFrame, tuple[tuple[str, str], ...]]:
    """Need districts joined with their population and cents, most need first; and the excluded."""
    frame = pd.DataFrame(
        {
            "key": need["key"].astype(str).to_numpy(),
            "need_index": need["need_index"].to_numpy(dtype=float),
            "need_rank": need["need_rank"].to_numpy(),
        }
    )
    money = pd.DataFrame(
        {
            "key": spending["key"].astype(str).to_numpy(),
            "population": pd.to_numeric(spending["population"]).to_numpy(dtype=float),
        }
    )
    # Integer cents stay integers (no float round trip); floats must hold whole cents.
    cents = pd.to_numeric(spending["amount_cents"]).reset_index(drop=True)
    if cents.dtype.kind == "f" and not (cents.dropna() == cents.dropna().round()).all():
        raise ValueError("amount_cents must be whole cents")
    money["amount_cents"] = cents.astype("Int64")
    for name, table in (("need", frame), ("spending", money)):
        twice = table["key"][table["key"].duplicated()]
        if not twice.empty:
            raise ValueError(f"district {twice.iloc[0]} appears twice in {name}")
    if frame["need_index"].isna().any():
        raise ValueError("need must hold ranked districts only (a need_index is missing)")
    data = frame.merge(money, on="key", how="left")
    usable = data["population"] > 0
    gone = data[~usable]
    excluded = tuple(
        (str(key), "population unknown" if pd.isna(pop) else f"population {int(pop)}")
        for key, pop in zip(gone["key"], gone["population"], strict=True)
    )
    data = data[usable].copy()
    data["population"] = data["population"].astype("int64")
    data["amount_cents"] = data["amount_cents"].fillna(0).astype("int64")
    data = data.sort_values(["need_index", "key"], ascending=[False, True]).reset_index(drop=True)
    return data, tuple(sorted(excluded))


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return float(stats.spearmanr(x, y).statistic)


def _bootstrap_interval(
    x: np.ndarray, y: np.ndarray, seed: int, draws: int, alpha: float
) -> tuple[tuple[float, float], int]:
    """Percentile interval of Spearman's rho over district resamples; and the draws used.

    Each draw picks n districts with replacement (indices from numpy's default_rng(seed), one
    (draws, n) integer array); rho of a draw is the Pearson correlation of its average ranks,
    which is what scipy.stats.spearmanr computes.
    """
    n = x.size
    picks = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    rank_x = stats.rankdata(x[picks], axis=1)
    rank_y = stats.rankdata(y[picks], axis=1)
    rank_x -= rank_x.mean(axis=1, keepdims=True)
    rank_y -= rank_y.mean(axis=1, keepdims=True)
    spread = np.sqrt((rank_x**2).sum(axis=1) * (rank_y**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (rank_x * rank_y).sum(axis=1) / spread
    rho = rho[spread > 0]
    if rho.size == 0:
        return (math.nan, math.nan), 0
    low, high = np.quantile(rho, [alpha / 2, 1 - alpha / 2])
    return (float(low), float(high)), int(rho.size)


def _verdict(
    n: int,
    total_cents: int,
    year: int,
    spearman: float,
    ci: tuple[float, float],
    top_fifth: Fraction | None,
    index: float,
    alpha: float,
) -> tuple[str, str]:
    if n < MIN_DISTRICTS:
        return "not_assessable", (
            f"Targeting cannot be assessed: fewer than {MIN_DISTRICTS} districts have both a "
            "need index and a population."
        )
    if total_cents <= 0 or top_fifth is None:
        return "not_assessable", (
            f"Targeting cannot be assessed: there is no net spending in the districts in {year}."
        )
    level = f"{1 - alpha:.0%}"
    evidence = (
        f"(Spearman {spearman:.2f}, {level} interval {ci[0]:.2f} to {ci[1]:.2f}); "
        f"the neediest fifth of the population receives {float(top_fifth):.0%} of the spending, "
        f"and the concentration index is {index:+.2f} (negative means spending is concentrated "
        "in the neediest districts, positive in the least needy)."
    )
    if spearman >= FOLLOWS_MIN_SPEARMAN and ci[0] > 0 and top_fifth > NEEDIEST_SHARE:
        return "follows", f"Spending follows need: it rises with the need index {evidence}"
    if spearman <= AGAINST_MAX_SPEARMAN or top_fifth < NEEDIEST_SHARE:
        return "does_not_follow", f"Spending does not follow need {evidence}"
    if math.isnan(spearman):
        return "unclear", (
            "No clear relation between need and spending: the rank correlation cannot be "
            "computed because need or spending per inhabitant is the same in every district, "
            f"and the concentration index is {index:+.2f}."
        )
    return "unclear", f"No clear relation between need and spending {evidence}"


def _warnings(n: int, draws: int, used: int) -> tuple[Caveat, ...]:
    notes = []
    if MIN_DISTRICTS <= n < FEW_DISTRICTS:
        notes.append(Caveat("few_districts_targeting", {"n": n}))
    if 0 < used < draws:
        notes.append(Caveat("bootstrap_no_spread", {"k": draws - used, "n": draws}))
    return tuple(notes)


def _number(value: float) -> float | None:
    """JSON has no NaN: a statistic that cannot be computed is null."""
    value = float(value)
    return value if math.isfinite(value) else None


def _euros(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(_CENT))
