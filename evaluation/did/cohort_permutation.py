"""Callaway & Sant'Anna statistics for many reassignments of the start periods at once.

Randomization inference asks how the estimate would look had the same start periods (cohorts,
"never" included) fallen on other districts. With never-treated comparison units and no
covariates every quantity we need is linear in the outcomes for a given assignment, and the
cohort sizes do not change under reassignment, so each statistic s can be written as

    s = Σ_g mean_{i ∈ g} X_s[i, g] − mean_{j never} W_s[j],   W_s[j] = Σ_g X_s[j, g],

where X_s[i, g] is what unit i would contribute if it belonged to cohort g (its outcome
changes against the period before g, weighted by the aggregation weight of each cell). X_s is
fixed per unit; only which units sit in which cohort changes. All reassignments are then a few
matrix products of one-hot cohort membership (draws × units) with X: no estimator refit per
draw, which is what makes the exact test cheap enough to be the default.

The studentizing variance is the small-cohort-corrected (Welch) variance of `small_cohort`,
Σ_g s²_g / N_g + s²_never / N_never, with the sample variances (divisor N − 1) of X and W
within each group; a group of one unit contributes nothing (its variance cannot be estimated),
which only changes the statistic, not the exactness of the test.

Statistics: the "simple" overall ATT (post cells weighted by cohort size, as R `did`'s simple
aggregate) and the event-time effects with a universal base period: each cohort's outcomes
against its last period before the start (event time −1, the reference), so pre-period effects
are cumulative departures from that reference, as Rambachan & Roth's sensitivity analysis
expects. Event time is counted in periods (positions in the panel), not in calendar units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

REFERENCE_EVENT_TIME = -1


@dataclass(frozen=True)
class CohortContrasts:
    """Per-unit contributions of every statistic, for every cohort a unit could belong to.

    x: units × cohorts × statistics (X_s[i, g] above); statistic 0 is the overall ATT, the
    others the event times in `event_times`. start_index: position of each treated cohort's
    first period in the panel (ascending); sizes: its units; n_never: never-treated units.
    """

    x: np.ndarray
    event_times: np.ndarray
    start_index: np.ndarray
    sizes: np.ndarray
    n_never: int

    def of(self, outcomes: np.ndarray) -> CohortContrasts:
        """The same weights applied to other outcomes (e.g. the observed treatment indicator)."""
        return build_contrasts(outcomes, self.start_index, self.sizes, self.n_never)


def build_contrasts(
    outcomes: np.ndarray, start_index: np.ndarray, sizes: np.ndarray, n_never: int
) -> CohortContrasts:
    """X for the overall ATT and every event time.

    outcomes: units × periods; start_index: position of each treated cohort's first period
    (ascending); sizes: its units. The overall weights are N_g / Σ_h N_h T_h over post cells
    (T_h: cohort h's post periods); event time e weights cohort g by N_g over the cohorts that
    have both period g + e and the reference period g − 1.
    """
    n_periods = outcomes.shape[1]
    post_cells = sizes * (n_periods - start_index)
    overall_total = float(post_cells.sum())
    first = -int(start_index.max())
    last = n_periods - 1 - int(start_index.min())
    event_times = np.array([e for e in range(first, last + 1) if e != REFERENCE_EVENT_TIME])
    x = np.zeros((outcomes.shape[0], sizes.size, 1 + event_times.size))
    for g, (start, size) in enumerate(zip(start_index, sizes, strict=True)):
        base = outcomes[:, start - 1]
        x[:, g, 0] = size * (outcomes[:, start:] - base[:, None]).sum(axis=1) / overall_total
    for s, e in enumerate(event_times, start=1):
        present = (start_index + e >= 0) & (start_index + e < n_periods)
        weight = sizes * present / (sizes * present).sum()
        for g in np.flatnonzero(present):
            start = start_index[g]
            x[:, g, s] = weight[g] * (outcomes[:, start + e] - outcomes[:, start - 1])
    return CohortContrasts(
        x=x, event_times=event_times, start_index=start_index, sizes=sizes, n_never=n_never
    )


@dataclass(frozen=True)
class PermutedStatistics:
    """Every statistic under every assignment (row 0: the observed one).

    value: draws × statistics; variance: the studentizing variance of each (1 where the
    statistic is not studentized).
    """

    value: np.ndarray
    variance: np.ndarray


def _group_sums(membership: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return membership @ x, membership @ (x * x)


def permuted_statistics(
    contrasts: CohortContrasts, assignments: np.ndarray, studentize: bool
) -> PermutedStatistics:
    """Value and Welch variance of each statistic for each row of `assignments`.

    assignments: draws × units, 0 = never treated, g + 1 = the g-th treated cohort.
    """
    return _moments(contrasts, contrasts, assignments, studentize)[0]


def cross_moments(
    outcome: CohortContrasts, treatment: CohortContrasts, assignments: np.ndarray
) -> tuple[PermutedStatistics, PermutedStatistics, np.ndarray]:
    """Statistics of the outcome and of the observed treatment, and their Welch covariance.

    For the null of a constant effect β0 the adjusted outcome Y − β0·D gives the statistic
    a − β0·c with variance pp − 2β0·pq + β0²·qq: linear and quadratic in β0, so one pass over
    the draws serves every β0 of the test inversion.
    """
    stats_y, pq = _moments(outcome, treatment, assignments, True)
    stats_d, _ = _moments(treatment, treatment, assignments, True)
    return stats_y, stats_d, pq


def _moments(
    left: CohortContrasts, right: CohortContrasts, assignments: np.ndarray, studentize: bool
) -> tuple[PermutedStatistics, np.ndarray]:
    draws, n_stats = assignments.shape[0], left.x.shape[2]
    value = np.zeros((draws, n_stats))
    variance = np.zeros((draws, n_stats))
    cross = np.zeros((draws, n_stats))
    groups = [(g + 1, left.x[:, g, :], right.x[:, g, :], int(n)) for g, n in enumerate(left.sizes)]
    groups.append((0, left.x.sum(axis=1), right.x.sum(axis=1), left.n_never))
    for code, x_left, x_right, size in groups:
        member = (assignments == code).astype(float)
        sum_left, square_left = _group_sums(member, x_left)
        sign = -1.0 if code == 0 else 1.0
        value += sign * sum_left / size
        if size < 2:
            continue
        sum_right = member @ x_right
        variance += (square_left - sum_left**2 / size) / ((size - 1) * size)
        cross += (member @ (x_left * x_right) - sum_left * sum_right / size) / ((size - 1) * size)
    if not studentize:
        variance = np.ones_like(variance)
        cross = np.zeros_like(cross)
    return PermutedStatistics(value=value, variance=variance), cross


def influence(contrasts: CohortContrasts, unit_group: np.ndarray) -> np.ndarray:
    """Welch-scaled influence values of the observed assignment: units × statistics.

    ψ'ψ is the covariance matrix whose diagonal is the studentizing variance above (for the
    sensitivity analysis, which needs the event-time covariance). unit_group: as a row of
    `assignments`.
    """
    psi = np.zeros((unit_group.size, contrasts.x.shape[2]))
    for g, size in enumerate(contrasts.sizes):
        member = unit_group == g + 1
        _scatter_centred(psi, member, contrasts.x[member, g, :], int(size), 1.0)
    never = unit_group == 0
    _scatter_centred(psi, never, contrasts.x[never].sum(axis=1), contrasts.n_never, -1.0)
    return psi


def _scatter_centred(
    psi: np.ndarray, member: np.ndarray, x: np.ndarray, size: int, sign: float
) -> None:
    if size < 2:
        return
    psi[member] = sign * (x - x.mean(axis=0)) / np.sqrt(size * (size - 1))
