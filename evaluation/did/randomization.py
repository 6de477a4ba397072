"""Randomization inference for TWFE: reassign treatment start dates across units.

With very few treated clusters neither cluster-robust errors nor the wild bootstrap can be
trusted (MacKinnon & Webb 2017, 2018; Conley & Taber 2011). Randomization inference asks
instead: had the same start dates (cohorts, "never" included) fallen on other districts, how
often would the estimate look as extreme as the one observed? Following MacKinnon & Webb (2020,
"Randomization inference for difference-in-differences with few treated clusters") the statistic
is the cluster-robust t statistic, not the raw coefficient, which keeps the test reliable when
clusters differ in size.

p-value: (1 + #{|t_b| ≥ |t|}) / (B + 1) over B random reassignments plus the observed one; where
the distinct reassignments number no more than `draws`, all of them are enumerated and the
p-value is the exact share. The CI inverts the test of a constant additive effect β0 (outcome
minus β0 × treatment has no effect), which is linear in β0 for every reassignment, so the same
reassignments serve every β0.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

import numpy as np

from evaluation.did.wild_bootstrap import invert_test
from evaluation.did.within import TwoWayWithin, group_sums

_TIE = 1e-9


def distinct_assignments(labels: np.ndarray) -> np.ndarray:
    """Every distinct arrangement of a multiset of labels (rows), the observed one included."""
    values, counts = np.unique(labels, return_counts=True)
    n = labels.size
    rows: list[np.ndarray] = []

    def fill(current: np.ndarray, free: tuple[int, ...], k: int) -> None:
        if k == values.size - 1:
            done = current.copy()
            done[list(free)] = values[k]
            rows.append(done)
            return
        for chosen in itertools.combinations(free, counts[k]):
            current[list(chosen)] = values[k]
            rest = tuple(i for i in free if i not in set(chosen))
            fill(current, rest, k + 1)

    fill(np.empty(n, dtype=labels.dtype), tuple(range(n)), 0)
    return np.array(rows)


def assignment_count(labels: np.ndarray) -> int:
    _, counts = np.unique(labels, return_counts=True)
    total = math.factorial(labels.size)
    for c in counts:
        total //= math.factorial(int(c))
    return total


@dataclass(frozen=True)
class Randomization:
    """Reassignment distribution of the studentized TWFE coefficient, for any null β0.

    t_b(β0) = (a_b − β0 c_b) / sqrt(pp_b − 2β0 pq_b + β0² qq_b) per reassignment b: a_b and c_b
    are the coefficients of reassignment b's treatment in regressions of outcome and observed
    treatment, the quadratic its cluster-robust variance (without the small-sample factor, which
    is the same for all b and cancels). Entry 0 is the observed assignment; reassignments that the
    fixed effects absorb entirely are NaN and left out. enumerated: all distinct reassignments.
    """

    coef: float
    a: np.ndarray
    c: np.ndarray
    pp: np.ndarray
    pq: np.ndarray
    qq: np.ndarray
    enumerated: bool
    draws: int
    pvalue: float = np.nan
    ci_low: float = np.nan
    ci_high: float = np.nan

    def t_stats(self, null: float) -> np.ndarray:
        var = np.maximum(self.pp - 2 * null * self.pq + null**2 * self.qq, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.a - null * self.c) / np.sqrt(var)

    def pvalue_at(self, null: float) -> float:
        t = np.abs(self.t_stats(null))
        observed, others = t[0], t[1:]
        others = others[np.isfinite(others)]
        extreme = int((others >= observed * (1 - _TIE)).sum())
        return (1 + extreme) / (1 + others.size)


def randomization_inference(
    y: np.ndarray,
    x: np.ndarray,
    within: TwoWayWithin,
    unit_codes: np.ndarray,
    time_values: np.ndarray,
    unit_cohorts: np.ndarray,
    cluster_codes: np.ndarray,
    *,
    draws: int = 999,
    seed: int = 0,
    level: float = 0.95,
) -> Randomization:
    """Reassign unit_cohorts (start period per unit code, 0 = never) and restudentize.

    y, x: scaled, fixed effects absorbed; column 0 of x is the observed binary treatment, the
    others are covariates kept fixed. time_values: each row's period (comparable with cohorts).
    """
    n_units = unit_cohorts.size
    enumerated = assignment_count(unit_cohorts) <= draws
    if enumerated:
        pool = distinct_assignments(unit_cohorts)
        same = (pool == unit_cohorts).all(axis=1)
        assignments = np.vstack([unit_cohorts[None, :], pool[~same]])
    else:
        rng = np.random.default_rng(seed)
        perms = rng.permuted(np.tile(np.arange(n_units), (draws, 1)), axis=1)
        assignments = np.vstack([unit_cohorts[None, :], unit_cohorts[perms]])
    starts = assignments[:, unit_codes].T  # N × (B+1) start period of each row's unit
    treat = ((starts != 0) & (time_values[:, None] >= starts)).astype(float)
    d_all = within.sqrt_weights[:, None] * within.absorb(treat)
    covariates = x[:, 1:]
    if covariates.shape[1]:
        proj = np.linalg.pinv(covariates)
        d_all = d_all - covariates @ (proj @ d_all)
        y_c = y - covariates @ (proj @ y)
        d_obs = x[:, 0] - covariates @ (proj @ x[:, 0])
    else:
        y_c, d_obs = y, x[:, 0]
    rr = (d_all**2).sum(axis=0)
    # A reassignment the fixed effects absorb (no variation left) identifies nothing.
    rr = np.where(rr > 1e-10 * rr[0], rr, np.nan)
    a = (d_all.T @ y_c) / rr
    c = (d_all.T @ d_obs) / rr
    a, c = np.nan_to_num(a), np.nan_to_num(c)
    e = y_c[:, None] - d_all * a
    f = d_obs[:, None] - d_all * c
    n_clusters = int(cluster_codes.max()) + 1
    p = group_sums(cluster_codes, n_clusters, d_all * e)
    q = group_sums(cluster_codes, n_clusters, d_all * f)
    dist = Randomization(
        coef=float(a[0]),
        a=a,
        c=c,
        pp=(p**2).sum(axis=0) / rr**2,
        pq=(p * q).sum(axis=0) / rr**2,
        qq=(q**2).sum(axis=0) / rr**2,
        enumerated=enumerated,
        draws=assignments.shape[0] - 1,
    )
    se = np.sqrt(dist.pp[0])
    low, high = invert_test(dist.pvalue_at, dist.coef, float(se), 1 - level)
    return replace(dist, pvalue=dist.pvalue_at(0.0), ci_low=low, ci_high=high)
