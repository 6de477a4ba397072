"""Randomization inference for synthetic DiD over all districts: exact with one or two treated.

Why not the placebo standard error. Arkhangelsky et al.'s Algorithm 4 turns the spread of
placebo estimates into a standard error and a normal interval. With one or two treated
districts among a city's twenty the placebo estimates are few and not normal, and that interval
called 7.8–8.7 % of placebo programmes significant at 5 % (docs/simulation-study.md, issue 14).

Why not placebo ranks among the never-treated. Ranking the estimate among the same estimate with
the programme moved to never-treated districts (Conley & Taber 2011; Abadie et al.'s in-space
placebos) compares it with estimates that have as many donors fewer as there are treated
districts, and, where districts differ in noise, with placebo groups that are not exchangeable
with the treated one: with two treated districts among 23 that test rejected 7.8 % of
placebo programmes (docs/inference-by-design.md).

What is done instead (Fisher's randomization test over the assignment itself). The treated
districts' start periods are placed on every possible set of districts — the treated ones
included, which serve as donors when the programme is placed elsewhere — every distinct placement
when there are at most `limit`, else `limit` random ones, and each time the estimate is
computed exactly as for the real programme: synthetic DiD from scratch, the placement's own
donors, its own noise level and regularisation. Under random assignment of the programme to
districts and no effect, the real placement is one draw from these, so

- p-value = (1 + #{|τ_b| ≥ |τ̂|}) / (B + 1): exact, whatever the district sizes and the serial
  correlation (all placements: the exact share; random ones: exact in expectation);
- 95 % interval = the constant effects β0 not rejected by the same test on the outcomes with β0
  taken out of the treated cells, every placement re-solved from scratch on those outcomes. So a
  known effect is covered exactly when the test of the outcomes without it does not reject: the
  interval's coverage is one minus the test's size, exact as the test is. The bounds are found
  in two rounds. First every placement's estimate is moved by β0 times its weighted difference
  of the treatment indicator at the weights solved on the observed outcomes (the real
  placement's estimate moves by exactly β0, its weights do not depend on β0), which locates each
  bound to within about a tenth of a standard error on states as different as Proposition 99's.
  Then all placements are re-solved at both bounds at once and the bounds are located again in
  that exact local picture, repeated until a step moves them by at most a thousandth of a
  standard error (a fixed-point iteration: one step left bounds up to 0.08 standard errors off
  on Prop 99; docs/inference-by-design.md). 0 lies outside
  exactly when p ≤ alpha, and the interval is unbounded when the placements are too few for any
  rejection (fewer than 20 with one treated district);
- minimum detectable effect = c − q_{0.2} of the placements' estimates with the estimated effect
  taken out, symmetrized (`permutation_tests.detectable_effect`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from evaluation.did.permutation_tests import DetectableEffect, detectable_effect
from evaluation.did.randomization import Randomization
from evaluation.did.staggered_randomization import draw_assignments
from evaluation.did.synthetic_cohorts import CohortFit, cohort_weights, unit_rows
from evaluation.did.synthetic_panel import SyntheticPanel
from evaluation.did.synthetic_weights import (
    solve_collapsed,
    solver_options,
    starting_weights,
    weighted_gap,
)
from evaluation.did.wild_bootstrap import invert_test

# Placements solved at most: every distinct one up to this many (all 253 placements of two
# treated districts among 23 in one start period), else this many random ones.
PLACEMENTS = 299
# The interval's bounds are re-solved until a step moves them by at most this many standard
# errors (the displayed interval has three significant digits), at most MAX_BOUND_STEPS times.
BOUND_TOLERANCE = 1e-3
MAX_BOUND_STEPS = 10


@dataclass(frozen=True)
class PlacementTest:
    """The randomization test of one synthetic-DiD estimate (see the module docstring).

    replicates: the other placements' estimates with the estimated effect taken out (the
    reference distribution shown and used for the MDE); se: their standard deviation.
    """

    se: float
    pvalue: float
    ci_low: float
    ci_high: float
    replicates: np.ndarray
    placements: int
    enumerated: bool
    mde: DetectableEffect
    description: str


def placement_test(
    panel: SyntheticPanel,
    fits: list[CohortFit],
    estimator: str,
    estimate: float,
    alpha: float,
    seed: int,
    limit: int = PLACEMENTS,
) -> PlacementTest:
    """Place the programme on other districts, re-estimate from scratch, rank the real estimate."""
    labels, enumerated = placement_labels(panel, fits, limit, seed)
    values, slopes = placement_estimates(panel.outcomes, labels, fits, estimator)
    test = local_test(estimate, values[0], slopes[0], enumerated)
    replicates = values[0, 1:] - estimate * slopes[0, 1:]
    se = float(np.std(replicates)) if replicates.size else float("nan")
    scale = se if se > 0 else 1.0
    linear = invert_test(test.pvalue_at, estimate, scale, alpha)
    low, high = exact_bounds(
        panel.outcomes, labels, fits, estimator, estimate, linear, (scale, alpha), enumerated
    )
    test = replace(test, pvalue=test.pvalue_at(0.0), ci_low=low, ci_high=high)
    n = labels.shape[0]
    how = (
        f"all {n} placements" if enumerated else f"the real and {n - 1} random placements"
    ) + " of the treated districts' start periods on all districts"
    return PlacementTest(
        se=se,
        pvalue=test.pvalue,
        ci_low=test.ci_low,
        ci_high=test.ci_high,
        replicates=replicates,
        placements=n,
        enumerated=enumerated,
        mde=detectable_effect(replicates, 1.0, alpha),
        description=(
            f"randomization inference: {how}, the treated districts serving as donors when the "
            f"programme is placed elsewhere, the estimate recomputed from scratch each time; "
            f"p-value = share of placements with an estimate at least as large in absolute value; "
            f"{100 * (1 - alpha):g} % interval = the constant effects the same test does not reject"
        ),
    )


def placement_labels(
    panel: SyntheticPanel, fits: list[CohortFit], limit: int, seed: int
) -> tuple[np.ndarray, bool]:
    """The real placement in row 0, then every other one (at most `limit`) or `limit` random
    ones; placements × panel rows, 0 = donor, k = the k-th cohort. Returns (labels, enumerated).

    Random placements are drawn over the districts in the order of their labels, not of the
    panel's rows: the panel puts the treated districts last, so permutations of its rows with a
    fixed seed would give every programme the same placements relative to its own districts and
    tie the others to the donors sorted first (found while Proposition 99's states were rejected
    in 2 of 171 placebo programmes; docs/inference-by-design.md).
    """
    observed = np.zeros(len(panel.units), dtype=int)
    for k, fit in enumerate(fits, start=1):
        observed[fit.treated] = k
    order = np.argsort(np.asarray(panel.units.astype(str)), kind="stable")
    drawn, enumerated = draw_assignments(observed[order], limit, seed)
    labels = np.empty_like(drawn)
    labels[:, order] = drawn
    return labels, enumerated


def placement_estimates(
    outcomes: np.ndarray,
    labels: np.ndarray,
    fits: list[CohortFit],
    estimator: str,
    effects: Sequence[float] = (0.0,),
) -> tuple[np.ndarray, np.ndarray]:
    """Per tested effect and placement the estimate, solved as for the real programme from
    scratch, and its slope in β0: two arrays of effects × placements.

    labels: placements × units, 0 = donor, k = the k-th cohort of `fits` (its start period);
    row 0 must be the real placement, as `placement_labels` returns it: the effects are taken
    out of its treated cells, the slopes are taken against its treatment, and its donor count is
    every placement's. effects: constant effects β0 taken out of the real treated cells before
    solving (0: the observed outcomes); all are solved in one batch, so that several cost
    little more than one (the solver's iterations, not its arithmetic, dominate).
    The slope is the estimate's change per unit of effect taken out of the real treated cells,
    at the weights solved for that effect.
    """
    n_periods = outcomes.shape[1]
    treatment = _real_treatment(labels[0], fits, n_periods)
    shifted = outcomes[None] - np.asarray(effects, dtype=float)[:, None, None] * treatment
    n_effects, n_placements = shifted.shape[0], labels.shape[0]
    values = np.zeros(n_effects * n_placements)
    slopes = np.zeros(n_effects * n_placements)
    # Each placement's donors in ascending row order, as the real fit orders them.
    donors = np.argsort(labels != 0, axis=1, kind="stable")[:, : int((labels[0] == 0).sum())]
    for k, (fit, share) in enumerate(zip(fits, cohort_weights(fits, n_periods), strict=True), 1):
        members = (labels == k).astype(float)
        members /= members.sum(axis=1, keepdims=True)
        changes = np.diff(shifted[:, :, : fit.start], axis=2)[:, donors]
        sigma = changes.reshape(n_effects * n_placements, -1).std(axis=1, ddof=1)
        options = solver_options(estimator, sigma, fit.treated.size, n_periods - fit.start)
        omega0, lambda0 = starting_weights(estimator, donors.shape[1], fit.start)
        collapsed = np.concatenate(
            [_collapse(unit_rows(data, fit.start), donors, members) for data in shifted]
        )
        omega, lam, tau = solve_collapsed(
            collapsed,
            options,
            np.broadcast_to(omega0, (collapsed.shape[0], omega0.size)),
            np.broadcast_to(lambda0, (collapsed.shape[0], lambda0.size)),
        )
        moved_cells = _collapse(unit_rows(treatment, fit.start), donors, members)
        moved = weighted_gap(np.tile(moved_cells, (n_effects, 1, 1)), omega, lam)
        values += share * tau
        slopes += share * moved
    return values.reshape(n_effects, -1), slopes.reshape(n_effects, -1)


def exact_bounds(
    outcomes: np.ndarray,
    labels: np.ndarray,
    fits: list[CohortFit],
    estimator: str,
    estimate: float,
    linear: tuple[float, float],
    search: tuple[float, float],
    enumerated: bool,
) -> tuple[float, float]:
    """The interval's bounds with every placement re-solved at them.

    At each finite bound β all placements are solved on the outcomes with β taken out; their
    estimates there, moved by their slopes at those weights, are exact at β and locate the bound
    again. The slopes hold the weights fixed, so the step falls short where the weights move
    with β; it is repeated (both bounds in one batch) until it moves a bound by at most
    BOUND_TOLERANCE standard errors, at most MAX_BOUND_STEPS times. search: the scale and alpha
    of `invert_test`. An unbounded side stays unbounded (too few placements).
    """
    bounds = list(linear)
    moving = [side for side in (0, 1) if np.isfinite(bounds[side])]
    for _ in range(MAX_BOUND_STEPS):
        if not moving:
            break
        at = [bounds[side] for side in moving]
        values, slopes = placement_estimates(outcomes, labels, fits, estimator, at)
        still = []
        for side, beta, at_values, at_slopes in zip(moving, at, values, slopes, strict=True):
            local = local_test(estimate, at_values + beta * at_slopes, at_slopes, enumerated)
            located = invert_test(local.pvalue_at, estimate, *search)[side]
            if not np.isfinite(located):
                continue
            bounds[side] = located
            if abs(located - beta) > BOUND_TOLERANCE * search[0]:
                still.append(side)
        moving = still
    return bounds[0], bounds[1]


def local_test(
    estimate: float, values: np.ndarray, slopes: np.ndarray, enumerated: bool
) -> Randomization:
    """The test of β0 with placement b's estimate values_b − β0 · slopes_b (values_b: its
    estimate extrapolated to β0 = 0); the real placement (entry 0) is the estimate itself, which
    moves one for one with β0."""
    n = values.size
    return Randomization(
        coef=estimate,
        a=np.r_[estimate, values[1:]],
        c=np.r_[1.0, slopes[1:]],
        pp=np.ones(n),
        pq=np.zeros(n),
        qq=np.zeros(n),
        enumerated=enumerated,
        draws=n - 1,
    )


def _collapse(rows: np.ndarray, donors: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Per placement its donors' rows and its treated units' mean row: B × (N0 + 1) × (T0 + 1)."""
    return np.concatenate([rows[donors], (members @ rows)[:, None, :]], axis=1)


def _real_treatment(observed: np.ndarray, fits: list[CohortFit], n_periods: int) -> np.ndarray:
    """The real programme's treatment indicator, units × periods."""
    treatment = np.zeros((observed.size, n_periods))
    for k, fit in enumerate(fits, start=1):
        treatment[observed == k, fit.start :] = 1.0
    return treatment
