"""The minimum detectable effect of a randomization test, from the panel's own data.

The smallest effect the design would detect with 80 % power at 5 % is where the test's power
curve crosses 80 %. A normal-theory formula ((z + z_power) · se, Bloom 1995) takes the critical
value as fixed; under randomization inference it is not: with an effect present, the
reassignments that move treated districts into the comparison carry part of the effect, so the
null distribution widens and the critical value grows. Simulated cities showed what that costs:
at the formula's effect (with the randomization critical value) the test had about 71 % power,
not 80 % (docs/inference-by-design.md).

The power curve is therefore computed, not approximated, the way the test itself works:

1. the estimated effect is removed from the observed treated cells (Y0 = Y − θ̂·D), so the
   data behave as if nothing happened (a constant effect imputed, as for the interval);
2. each of `designs` other assignments b of the same start periods in turn plays the treated
   districts: the effect τ is added to its cells (Y0 + τ·D_b) and the randomization test is run
   against all reassignments, exactly as for the real data;
3. power(τ) is the share of those tests that reject at alpha (averaged over τ and −τ), and
   the MDE is the τ where it reaches `power` (bisection to 0.1 %).

Cost: `designs` × one pass over `REASSIGNMENTS` reassignments of the overall statistic only;
a tenth of a second for 23 districts, a few seconds for 500.

Because every statistic is linear in the outcomes for a given assignment
(`cohort_permutation`), step 2 needs no refit: per design b, the statistics of D_b under every
reassignment and their cross-moments with Y0's, then any τ is arithmetic.
"""

from __future__ import annotations

import math

import numpy as np

from evaluation.did.cohort_permutation import Assignments, CohortContrasts, cross_moments
from evaluation.did.permutation_tests import DetectableEffect

# Designs on the power curve, and the reassignments each is tested against (p-values to 1/500).
DESIGNS = 200
REASSIGNMENTS = 499
_TIE = 1e-9


def treatment_cells(group: np.ndarray, start_index: np.ndarray, n_periods: int) -> np.ndarray:
    """Units × periods: 1 from the start of the cohort each unit belongs to (group 0 = never)."""
    column = np.arange(n_periods)[None, :]
    starts = np.where(group > 0, start_index[np.maximum(group - 1, 0)], n_periods)
    return (column >= starts[:, None]).astype(float)


def randomization_mde(
    outcomes: np.ndarray,
    headline: CohortContrasts,
    assignments: Assignments,
    estimate: float,
    scale: float,
    alpha: float,
    power: float,
    studentize: bool = True,
    seed: int = 0,
    designs: int = DESIGNS,
) -> DetectableEffect:
    """See the module docstring. outcomes: units × periods; headline: the overall statistic's
    contrasts only (`build_contrasts(..., event_study=False)`); assignments: row 0 observed,
    then the reassignments; scale: a standard error, where the search for τ starts."""
    if math.floor(alpha * assignments.draws + 1e-9) < 1:
        return DetectableEffect(None, power, alpha, "too_few_assignments")
    n_periods = outcomes.shape[1]
    codes = assignments.codes[: REASSIGNMENTS + 1]
    inner = Assignments.of(codes, len(assignments.members) - 1)
    observed = treatment_cells(codes[0], headline.start_index, n_periods)
    base = headline.of(outcomes - estimate * observed)
    rng = np.random.default_rng(seed)
    rows = np.arange(1, codes.shape[0])
    chosen = rng.choice(rows, size=min(designs, rows.size), replace=False)
    curves = []
    for b in chosen:
        cells = headline.of(treatment_cells(codes[b], headline.start_index, n_periods))
        stats_y, stats_d, pq = cross_moments(base, cells, inner)
        if studentize:
            moments = (stats_y.variance[:, 0], pq[:, 0], stats_d.variance[:, 0])
        else:
            moments = (np.ones(codes.shape[0]), np.zeros(codes.shape[0]), np.zeros(codes.shape[0]))
        curves.append(_DesignCurve(stats_y.value[:, 0], stats_d.value[:, 0], *moments, own=b))

    def power_at(tau: float) -> float:
        hits = [c.rejects(tau, alpha) + c.rejects(-tau, alpha) for c in curves]
        return float(np.mean(hits)) / 2

    start = scale if math.isfinite(scale) and scale > 0 else max(abs(estimate), 1.0)
    low, high = 0.0, start
    while power_at(high) < power:
        low, high = high, 2 * high
        if high > 1e6 * start:
            return DetectableEffect(None, power, alpha, "too_few_assignments")
    while high - low > 1e-3 * high:
        middle = 0.5 * (low + high)
        if power_at(middle) >= power:
            high = middle
        else:
            low = middle
    return DetectableEffect(high, power, alpha)


class _DesignCurve:
    """Statistics of Y0 + τ·D_b under every reassignment j (row `own` is b itself): value
    a + τc, variance pp + 2τ·pq + τ²·qq."""

    def __init__(
        self,
        a: np.ndarray,
        c: np.ndarray,
        pp: np.ndarray,
        pq: np.ndarray,
        qq: np.ndarray,
        own: int,
    ) -> None:
        self.a, self.c, self.pp, self.pq, self.qq, self.own = a, c, pp, pq, qq, own

    def rejects(self, tau: float, alpha: float) -> bool:
        variance = np.maximum(self.pp + 2 * tau * self.pq + tau**2 * self.qq, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.abs((self.a + tau * self.c) / np.sqrt(variance))
        observed = t[self.own]
        others = np.delete(t, self.own)
        others = others[np.isfinite(others)]
        extreme = int((others >= observed * (1 - _TIE)).sum())
        return (1 + extreme) / (1 + others.size) <= alpha
