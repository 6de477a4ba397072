"""Plain-language caveats that travel with every DiD result.

Every caveat is a `Caveat` (a code and its numbers); its English sentence, for a reader who is
not a statistician, comes from evaluation.caveat_codes.ENGLISH and the report words it from the
same code through its message catalogue. Each check is a small pure function with its
threshold named below, so tests can probe the boundary and reports can cite the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from evaluation.caveat_codes import Caveat

# Fewer treated or control clusters than this and cluster-robust inference becomes unreliable
# even with the wild bootstrap (MacKinnon & Webb 2017, 2018).
MIN_GROUP_CLUSTERS = 5
# Below this many clusters CR1 over-rejects noticeably; the wild bootstrap with Webb's six-point
# weights is the usual remedy (Webb 2023; Cameron, Gelbach & Miller 2008).
FEW_CLUSTERS = 12
# Joint pre-trend test: warn at the 10 % level, since the test has little power (Roth 2022).
PRETREND_ALPHA = 0.10
MIN_PRE_PERIODS = 2
# Selection on need: treated mean in the last pre-period at least this many control standard
# deviations away from the control mean ...
EXTREME_LEVEL_SD = 1.0
# ... or a last-period move away from their own earlier level, relative to controls, with a
# two-sided z statistic at least this large (5 % level): Ashenfelter's dip.
DIP_Z = 1.96


def missing_rows(outcome: str, n_outcome: int, n_other: int) -> list[Caveat]:
    out = []
    if n_outcome:
        out.append(Caveat("missing_outcome", {"n": n_outcome, "outcome": outcome}))
    if n_other:
        out.append(Caveat("missing_other", {"n": n_other}))
    return out


def singletons_dropped(n: int) -> list[Caveat]:
    return [Caveat("singletons", {"n": n})] if n else []


def cluster_counts(n_clusters: int | None, n_treated: int, n_control: int) -> list[Caveat]:
    """Caveats on how many clusters (or units) carry the comparison."""
    out = []
    if n_treated < MIN_GROUP_CLUSTERS:
        out.append(Caveat("few_treated_clusters", {"n": n_treated}))
    if n_control < MIN_GROUP_CLUSTERS:
        out.append(Caveat("few_control_clusters", {"n": n_control}))
    if n_clusters is not None and n_clusters < FEW_CLUSTERS:
        out.append(Caveat("few_clusters", {"n": n_clusters}))
    return out


def no_never_treated() -> Caveat:
    return Caveat("no_never_treated")


def staggered_timing(cohorts: Iterable[object]) -> Caveat:
    return Caveat("staggered_twfe", {"starts": ", ".join(str(c) for c in sorted(cohorts))})


def continuous_dose() -> Caveat:
    return Caveat("dose")


def staggered_event_study() -> Caveat:
    return Caveat("staggered_event")


def collinear_event_times(rel_times: Iterable[int]) -> Caveat:
    return Caveat("collinear_event", {"periods": ", ".join(str(r) for r in rel_times)})


def treatment_switches_off(n_units: int) -> Caveat:
    return Caveat("switches_off", {"n": n_units})


def classical_errors_in_panel() -> Caveat:
    return Caveat("classical_errors")


def pretrend_rejected(pvalue: float) -> list[Caveat]:
    if not np.isfinite(pvalue) or pvalue >= PRETREND_ALPHA:
        return []
    return [Caveat("pretrend_rejected", {"p": float(pvalue), "alpha": PRETREND_ALPHA})]


def no_pretrend_test() -> Caveat:
    return Caveat("no_pretrend_test")


def few_pre_periods(pre_periods: dict[object, int]) -> list[Caveat]:
    """pre_periods: cohort → number of observed periods before its start."""
    short = {c: n for c, n in pre_periods.items() if n < MIN_PRE_PERIODS}
    if not short:
        return []
    detail = ", ".join(f"{c}: {n}" for c, n in sorted(short.items(), key=lambda kv: str(kv[0])))
    return [Caveat("few_pre_periods", {"n": MIN_PRE_PERIODS, "cohorts": detail})]


@dataclass(frozen=True)
class SelectionCheck:
    """Regression-to-the-mean diagnostics for one start cohort.

    level_sd: (treated mean − control mean) / control SD in the last pre-period.
    dip: treated minus control change from the earlier pre-period mean to the last pre-period
    (outcome units); dip_z: dip over its standard error (NaN without an earlier pre-period).
    """

    cohort: object
    last_pre_period: object
    level_sd: float
    dip: float
    dip_z: float

    @property
    def extreme(self) -> bool:
        return bool(np.isfinite(self.level_sd) and abs(self.level_sd) >= EXTREME_LEVEL_SD)

    @property
    def dipped(self) -> bool:
        return bool(np.isfinite(self.dip_z) and abs(self.dip_z) >= DIP_Z)


def selection_checks(
    panel: pd.DataFrame, outcome: str, unit: str, time: str, cohort: str
) -> list[SelectionCheck]:
    """Was each cohort selected on an extreme or temporarily bad last pre-period?

    For cohort g, t0 is the last period before g. Controls are the never-treated units (cohort 0
    or missing), else those not yet treated at g. Level: standardised mean difference at t0.
    Dip: each unit's y(t0) minus its mean over the earlier pre-periods; the treated-minus-control
    mean of that deviation, over control SD × sqrt(1/n_T + 1/n_C) (the controls' spread stands in
    for both groups, since there may be a single treated unit). A unit's value in a period is the
    mean of its non-missing outcomes there.
    """
    units, unit_levels = pd.factorize(panel[unit])
    periods, times = pd.factorize(panel[time].to_numpy(), sort=True)
    return coded_selection_checks(
        panel[outcome].to_numpy(dtype=float),
        units,
        len(unit_levels),
        periods,
        times,
        panel[cohort].fillna(0).to_numpy(),
    )


def coded_selection_checks(
    y: np.ndarray,
    units: np.ndarray,
    n_units: int,
    periods: np.ndarray,
    times: np.ndarray,
    starts: np.ndarray,
) -> list[SelectionCheck]:
    """`selection_checks` on integer codes, for callers that have them already.

    Per row: y the outcome (NaN = missing), units 0..n_units−1 (−1 = unknown), periods the index
    into `times` (the sorted distinct periods; −1 = unknown), starts the cohort (0 = never).

    All cohorts at once: one units × periods table of unit-period means with running sums over
    the periods, from which every cohort's y(t0) and earlier means are read as units × cohorts
    arrays; the per-cohort statistics are column reductions. Memory: units × periods, as one
    pivot of the panel.
    """
    never = starts == 0
    cohorts = np.sort(pd.unique(starts[~never]))
    last = np.searchsorted(times, cohorts, side="left") - 1
    known = (units >= 0) & (periods >= 0)
    table = _UnitPeriodTable.of(y, units, periods, known, n_units, times.size)
    level = table.value[:, np.maximum(last, 0)]
    deviation = level - table.mean_before(last)
    treated = np.zeros((n_units, cohorts.size), dtype=bool)
    rows = known & ~never
    treated[units[rows], np.searchsorted(cohorts, starts[rows])] = True
    control = _controls(units[known], starts[known], never[known], cohorts, n_units)
    lt, lc = _column_moments(level, treated), _column_moments(level, control)
    dt, dc = _column_moments(deviation, treated), _column_moments(deviation, control)
    checks = []
    for j, g in enumerate(cohorts):
        if last[j] < 0 or lt.count[j] == 0 or lc.count[j] < 2:
            continue
        sd_c = float(lc.sd[j])
        level_sd = float(lt.mean[j] - lc.mean[j]) / sd_c if sd_c > 0 else np.nan
        dip, dip_z = np.nan, np.nan
        if last[j] >= 1 and dt.count[j] > 0 and dc.count[j] >= 2:
            dip = float(dt.mean[j] - dc.mean[j])
            scale = float(dc.sd[j]) * np.sqrt(1 / dt.count[j] + 1 / dc.count[j])
            dip_z = dip / scale if scale > 0 else np.nan
        checks.append(SelectionCheck(g, times[last[j]], level_sd, dip, dip_z))
    return checks


def _controls(
    units: np.ndarray, starts: np.ndarray, never: np.ndarray, cohorts: np.ndarray, n_units: int
) -> np.ndarray:
    """Units × cohorts: is the unit a control for the cohort?

    Never-treated units when there are any (the same for every cohort), else the units with a
    row whose start lies after the cohort's (not yet treated).
    """
    if never.any():
        is_never = np.zeros(n_units, dtype=bool)
        is_never[units[never]] = True
        return np.repeat(is_never[:, None], cohorts.size, axis=1)
    latest = np.full(n_units, -np.inf)
    np.maximum.at(latest, units, starts.astype(float))
    return latest[:, None] > cohorts[None, :].astype(float)


class _Moments(NamedTuple):
    count: np.ndarray
    mean: np.ndarray
    sd: np.ndarray


def _column_moments(values: np.ndarray, member: np.ndarray) -> _Moments:
    """Per column: count, mean and SD (divisor n − 1) of the non-missing member values."""
    ok = member & ~np.isnan(values)
    count = ok.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(ok, values, 0.0).sum(axis=0) / count
        squares = np.where(ok, (values - mean) ** 2, 0.0).sum(axis=0)
        sd = np.where(count >= 2, np.sqrt(squares / (count - 1)), np.nan)
    return _Moments(count, mean, sd)


@dataclass(frozen=True)
class _UnitPeriodTable:
    """Units × periods: each unit's mean outcome in each period (NaN if none), with the running
    sum and count of those values over the periods before each one."""

    value: np.ndarray
    sum_before: np.ndarray
    count_before: np.ndarray

    @classmethod
    def of(
        cls,
        y: np.ndarray,
        units: np.ndarray,
        periods: np.ndarray,
        known: np.ndarray,
        n_units: int,
        n_periods: int,
    ) -> _UnitPeriodTable:
        ok = known & ~np.isnan(y)
        cell = units[ok] * n_periods + periods[ok]
        size = n_units * n_periods
        counts = np.bincount(cell, minlength=size).reshape(n_units, n_periods)
        sums = np.bincount(cell, weights=y[ok], minlength=size).reshape(n_units, n_periods)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = sums / counts
        has = counts > 0
        zero = np.zeros((n_units, 1))
        sum_before = np.hstack([zero, np.cumsum(np.where(has, value, 0.0), axis=1)[:, :-1]])
        count_before = np.hstack([zero, np.cumsum(has, axis=1)[:, :-1]])
        return cls(value, sum_before, count_before)

    def mean_before(self, period: np.ndarray) -> np.ndarray:
        """Units × len(period): each unit's mean over the periods before each given one."""
        column = np.maximum(period, 0)
        count = self.count_before[:, column]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(count > 0, self.sum_before[:, column] / count, np.nan)


def selection_on_need(checks: Iterable[SelectionCheck], outcome: str) -> list[Caveat]:
    out = []
    for c in checks:
        where = {"cohort": str(c.cohort), "outcome": outcome, "period": str(c.last_pre_period)}
        if c.extreme:
            out.append(Caveat("regression_to_mean", {**where, "level_sd": c.level_sd}))
        if c.dipped:
            out.append(Caveat("ashenfelter_dip", {**where, "dip": c.dip, "z": c.dip_z}))
    return out
