"""One synthetic-DiD fit per adoption cohort, and refits of it on other samples of units.

A cohort is the set of treated units that start in the same period. Its problem is the block
design of R `synthdid`: the never-treated donors plus the cohort's units, all periods, the periods
before the start as pre-periods. With staggered starts each cohort is fitted on its own and the
effects are averaged with weights proportional to treated unit-periods (units × post-periods),
as the Stata `sdid` command does (Clarke, Pailañir, Athey & Imbens 2023), following Arkhangelsky
et al. (2021, footnote on staggered adoption). With a single cohort this is exactly R's
synthdid_estimate, sc_estimate or did_estimate.

Refits (placebo, jackknife, bootstrap) keep each cohort's options, ζ included, and start from its
fitted weights restricted to the units drawn and renormalised, as R's vcov does. Every refit of
all replications is one call: identical draws are solved once, the rest in batches of equal
shape (see `synthetic_weights`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from evaluation.did.synthetic_panel import SyntheticPanel
from evaluation.did.synthetic_weights import (
    SolverOptions,
    noise_level,
    solve_collapsed,
    solver_options,
    starting_weights,
    sum_normalize,
)

# One draw of units for a refit: per cohort (in the order of the fits) the rows of the panel that
# act as donors and those that act as treated, or None where the cohort is absent from the draw.
Draw = tuple[tuple[np.ndarray, np.ndarray] | None, ...]


@dataclass(frozen=True)
class CohortFit:
    """The fit of one cohort on the full sample.

    start: number of pre-periods (column of the first treated period). treated: panel rows.
    omega: unit weights over the panel's donors (rows 0..n_donors−1); lam: time weights over the
    pre-periods. sigma: noise level. pre_rmse: root mean squared gap between the treated mean and
    its synthetic comparison over the pre-periods, the comparison shifted by the intercept where
    the estimator has one (see `synthetic_path`).
    """

    start: int
    treated: np.ndarray
    options: SolverOptions
    omega: np.ndarray
    lam: np.ndarray
    estimate: float
    sigma: float
    pre_rmse: float


def unit_rows(outcomes: np.ndarray, start: int) -> np.ndarray:
    """Per unit its pre-period outcomes and its post-period mean: N × (start + 1)."""
    return np.column_stack([outcomes[:, :start], outcomes[:, start:].mean(axis=1)])


def synthetic_path(
    outcomes: np.ndarray, treated: np.ndarray, omega: np.ndarray, start: int, intercept: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Treated mean and synthetic comparison in every period, for charts and the fit check.

    The comparison is ω · donors, plus (for SDID and DiD, whose unit weights have an intercept)
    the mean pre-period gap, so that it is the fitted line of the unit-weight regression. The
    estimate equals the post-period mean gap minus the λ-weighted pre-period gap.
    """
    path = outcomes[treated].mean(axis=0)
    synthetic = omega @ outcomes[: omega.size]
    if intercept:
        synthetic = synthetic + (path - synthetic)[:start].mean()
    return path, synthetic


def fit_cohorts(panel: SyntheticPanel, estimator: str) -> list[CohortFit]:
    """Each cohort against all donors, weights solved as R does for `estimator`."""
    fits = []
    for start, treated in panel.cohort_rows().items():
        sigma = noise_level(panel.outcomes[: panel.n_donors, :start])
        n_post = panel.outcomes.shape[1] - start
        options = solver_options(estimator, sigma, treated.size, n_post)
        omega0, lambda0 = starting_weights(estimator, panel.n_donors, start)
        rows = unit_rows(panel.outcomes, start)
        collapsed = np.vstack([rows[: panel.n_donors], rows[treated].mean(axis=0)])
        omega, lam, tau = solve_collapsed(collapsed[None], options, omega0[None], lambda0[None])
        path, synthetic = synthetic_path(
            panel.outcomes, treated, omega[0], start, options.omega_intercept
        )
        rmse = float(np.sqrt(np.mean((path - synthetic)[:start] ** 2)))
        fits.append(
            CohortFit(start, treated, options, omega[0], lam[0], float(tau[0]), sigma, rmse)
        )
    return fits


def cohort_weights(fits: list[CohortFit], n_periods: int) -> np.ndarray:
    """Aggregation weights: each cohort's treated unit-periods over all treated unit-periods."""
    cells = np.array([f.treated.size * (n_periods - f.start) for f in fits], dtype=float)
    return cells / cells.sum()


def refit(
    outcomes: np.ndarray, fits: list[CohortFit], draws: list[Draw], *, fixed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Per draw and cohort the re-estimated effect and the number of treated rows.

    Returns (estimates, counts), both draws × cohorts; a cohort absent from a draw has estimate
    NaN and count 0. fixed: keep the weights (renormalised to the drawn donors) instead of
    solving for them, as the jackknife of Arkhangelsky et al. (Algorithm 3) does.
    """
    n_cohorts = len(fits)
    estimates = np.full((len(draws), n_cohorts), np.nan)
    counts = np.zeros((len(draws), n_cohorts))
    for k, fit in enumerate(fits):
        rows = unit_rows(outcomes, fit.start)
        options = fit.options.fixed() if fixed else fit.options
        # Identical draws are solved once; the others in one batch, padded to the most donors.
        unique: dict[tuple, list[int]] = defaultdict(list)
        for d, draw in enumerate(draws):
            part = draw[k]
            if part is not None:
                unique[(part[0].tobytes(), part[1].tobytes())].append(d)
        if not unique:
            continue
        groups = list(unique.values())
        parts = [draws[g[0]][k] for g in groups]
        sizes = np.array([p[0].size for p in parts])
        real = np.arange(sizes.max())[None, :] < sizes[:, None]
        donors = np.zeros(real.shape, dtype=int)
        donors[real] = np.concatenate([p[0] for p in parts])
        treated_rows = np.stack([rows[p[1]].mean(axis=0) for p in parts])
        collapsed = np.concatenate(
            [rows[donors] * real[:, :, None], treated_rows[:, None, :]], axis=1
        )
        omega0 = np.zeros(real.shape)
        omega0[real] = np.concatenate([sum_normalize(fit.omega[p[0]]) for p in parts])
        lambda0 = np.broadcast_to(fit.lam, (len(groups), fit.lam.size))
        padded = None if real.all() else real
        _, _, tau = solve_collapsed(collapsed, options, omega0, lambda0, padded)
        for g, value, part in zip(groups, tau, parts, strict=True):
            estimates[g, k] = value
            counts[g, k] = part[1].size
    return estimates, counts


def aggregate(
    estimates: np.ndarray, counts: np.ndarray, fits: list[CohortFit], n_periods: int
) -> np.ndarray:
    """Per draw the treated-unit-period weighted mean of the cohort effects present in it."""
    post = np.array([n_periods - f.start for f in fits], dtype=float)
    cells = counts * post
    return np.nansum(estimates * cells, axis=1) / cells.sum(axis=1)
