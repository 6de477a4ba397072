"""Unit and time weights of synthetic difference-in-differences, many problems at once.

Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021, AER), Algorithm 1, solved as the authors'
R package `synthdid` solves it (`synthdid_estimate`, `sc.weight.fw`): Frank–Wolfe over the
simplex with exact line search, a ridge penalty ζ², an optional intercept (columns centred), a
first round of at most 100 iterations, "sparsification" (weights at most a quarter of the largest
set to zero, the rest renormalised) and a second round from there, stopping once an iteration
lowers the objective by no more than min_decrease² or after max_iter iterations.

Everything works on the *collapsed* panel of one adoption cohort: an (N0 + 1) × (T0 + 1) matrix
whose first N0 rows are the donors, last row the mean of the treated units, first T0 columns the
pre-periods and last column the mean over the post-periods. The weights and the estimate depend
on the panel only through it. Problems with the same options are solved as one batch (arrays with
a leading batch axis; panels with fewer donors padded), each stopping by its own criterion, so
that all placebo or bootstrap refits cost one call of the compiled loop
(`frank_wolfe_kernel`) instead of hundreds of Python ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# R synthdid defaults (synthdid_estimate): eta.lambda, min.decrease = 1e-5 · noise level,
# max.iter, max.iter.pre.sparsify; sc_estimate's "infinitesimal" eta.omega.
ETA_LAMBDA = 1e-6
ETA_OMEGA_SC = 1e-6
MIN_DECREASE_PER_NOISE = 1e-5
MAX_ITER = 10_000
MAX_ITER_PRE_SPARSIFY = 100
# sparsify_function: weights at most this share of the largest are set to zero.
SPARSIFY_SHARE = 0.25


@dataclass(frozen=True)
class SolverOptions:
    """How one cohort's weights are found; kept fixed for all refits of that cohort (as R's opts).

    zeta_omega, zeta_lambda: ridge penalties ζ (outcome units), ζ² · ‖w‖² in the objective.
    They and min_decrease may be arrays with one value per problem of a batch: the placements of
    full randomization inference each scale them by their own donors' noise level.
    update_*: solve for the weights (True) or keep the starting weights as they are (False).
    omega_intercept / lambda_intercept: allow a constant shift between the treated unit and its
    synthetic comparison (unit weights) or between pre- and post-periods (time weights).
    """

    zeta_omega: float | np.ndarray
    zeta_lambda: float | np.ndarray
    omega_intercept: bool
    lambda_intercept: bool
    update_omega: bool
    update_lambda: bool
    min_decrease: float | np.ndarray
    max_iter: int = MAX_ITER
    max_iter_pre_sparsify: int = MAX_ITER_PRE_SPARSIFY

    def fixed(self) -> SolverOptions:
        """The same options with both weights held at their starting values (jackknife)."""
        return replace(self, update_omega=False, update_lambda=False)


def noise_level(donors_pre: np.ndarray) -> float:
    """σ: standard deviation (n − 1) of the donors' period-to-period changes before the start.

    donors_pre: N0 × T0 outcomes. The scale of ζ and of the stopping rule, as R's default
    noise.level = sd(apply(Y[1:N0, 1:T0], 1, diff)).
    """
    return float(np.std(np.diff(donors_pre, axis=1), ddof=1))


def solver_options(
    estimator: str, sigma: float | np.ndarray, n_treated: int, n_post: int
) -> SolverOptions:
    """R's options for synthdid_estimate ("sdid"), sc_estimate ("sc") and did_estimate ("did").

    sdid: ζ_ω = (N_tr · T_post)^(1/4) · σ, ζ_λ = 1e-6 · σ, both intercepts, both weights solved.
    sc: ζ_ω = 1e-6 · σ, no intercept in the unit weights, time weights fixed at zero (the
    comparison is the post-period level). did: uniform weights, nothing solved.
    sigma: one noise level, or one per problem of a batch.
    """
    eta_omega = ETA_OMEGA_SC if estimator == "sc" else (n_treated * n_post) ** 0.25
    return SolverOptions(
        zeta_omega=eta_omega * sigma,
        zeta_lambda=ETA_LAMBDA * sigma,
        omega_intercept=estimator != "sc",
        lambda_intercept=True,
        update_omega=estimator != "did",
        update_lambda=estimator == "sdid",
        min_decrease=MIN_DECREASE_PER_NOISE * sigma,
    )


def starting_weights(estimator: str, n_donors: int, n_pre: int) -> tuple[np.ndarray, np.ndarray]:
    """(ω, λ) before solving: uniform, except SC's time weights, which are zero."""
    omega = np.full(n_donors, 1.0 / n_donors)
    lam = np.zeros(n_pre) if estimator == "sc" else np.full(n_pre, 1.0 / n_pre)
    return omega, lam


def sum_normalize(weights: np.ndarray) -> np.ndarray:
    """Rows rescaled to sum to one; an all-zero row becomes uniform (R's sum_normalize)."""
    total = weights.sum(axis=-1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / weights.shape[-1])
    return np.where(total != 0, weights / np.where(total != 0, total, 1.0), uniform)


def sparsify(weights: np.ndarray) -> np.ndarray:
    """Zero the weights no larger than a quarter of each row's largest, renormalise."""
    cut = weights <= SPARSIFY_SHARE * weights.max(axis=-1, keepdims=True)
    return sum_normalize(np.where(cut, 0.0, weights))


def frank_wolfe(
    a: np.ndarray,
    b: np.ndarray,
    start: np.ndarray,
    *,
    zeta: float | np.ndarray,
    intercept: bool,
    min_decrease: float | np.ndarray,
    max_iter: int,
    real_rows: np.ndarray | None = None,
    real_columns: np.ndarray | None = None,
) -> np.ndarray:
    """argmin over the simplex of ζ²‖x‖² + ‖A x − b‖² / n, for a batch of problems.

    a: (B, n, k), b: (B, n), start: (B, k) feasible starting points. With intercept, A and b are
    centred over their n rows first (a free constant in the fit). Exact line search along the
    Frank–Wolfe direction; each problem stops once one iteration lowers its objective by no more
    than min_decrease² (from the second iteration on) or after max_iter iterations.
    real_rows (B, n), real_columns (B, k): problems of different sizes padded to one shape; padded
    rows are zeroed and not counted in n, padded columns are never chosen (start them at 0).
    zeta and min_decrease: one value for all problems, or one per problem (B,).
    """
    n = np.full(a.shape[0], float(a.shape[1]))
    if real_rows is not None:
        n = real_rows.sum(axis=1).astype(float)
        a = a * real_rows[:, :, None]
        b = b * real_rows
    if intercept:
        a = a - a.sum(axis=1, keepdims=True) / n[:, None, None]
        b = b - b.sum(axis=1, keepdims=True) / n[:, None]
        if real_rows is not None:
            a = a * real_rows[:, :, None]
            b = b * real_rows
    # Added to the gradient before the vertex is chosen: padded columns are never chosen.
    blocked = np.zeros((a.shape[0], a.shape[2]))
    if real_columns is not None:
        blocked[~real_columns] = np.inf
    zeta_sq = np.broadcast_to(np.square(zeta), n.shape).astype(float)
    threshold = np.broadcast_to(np.square(min_decrease), n.shape).astype(float)
    result = np.array(start, dtype=float, copy=True)
    # Imported here: numba's own import costs a third of a second, which evaluations without
    # synthetic DiD (and every other command) should not pay.
    from evaluation.did.frank_wolfe_kernel import frank_wolfe_each

    frank_wolfe_each(
        np.ascontiguousarray(a, dtype=float),
        np.ascontiguousarray(b, dtype=float),
        result,
        zeta_sq,
        threshold,
        n,
        blocked,
        max_iter,
    )
    return result


def _regularised(
    a: np.ndarray,
    b: np.ndarray,
    start: np.ndarray,
    zeta: float | np.ndarray,
    intercept: bool,
    options: SolverOptions,
    **padding: np.ndarray | None,
) -> np.ndarray:
    """Two rounds of Frank–Wolfe with sparsification in between (R's default `sparsify`)."""
    settings = {
        "zeta": zeta,
        "intercept": intercept,
        "min_decrease": options.min_decrease,
        **padding,
    }
    first = frank_wolfe(a, b, start, max_iter=options.max_iter_pre_sparsify, **settings)
    return frank_wolfe(a, b, sparsify(first), max_iter=options.max_iter, **settings)


def solve_collapsed(
    collapsed: np.ndarray,
    options: SolverOptions,
    omega_start: np.ndarray,
    lambda_start: np.ndarray,
    real_donors: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights and estimates for a batch of collapsed panels of one shape.

    collapsed: (B, N0 + 1, T0 + 1); omega_start: (B, N0); lambda_start: (B, T0).
    real_donors (B, N0): for panels with fewer donors, padded with rows of zeros that are False
    here and start with weight 0; they get no weight and do not change the others.
    Returns ω (B, N0), λ (B, T0) and τ (B,) with
    τ = (treated post − λ·treated pre) − (ω·donors post − ω'·donors pre·λ).
    Time weights are solved first (regress each donor's post mean on its pre-periods, across
    donors), then unit weights (the treated pre-path on the donors' pre-paths, across periods).
    """
    n0 = collapsed.shape[1] - 1
    t0 = collapsed.shape[2] - 1
    donors_pre = collapsed[:, :n0, :t0]
    omega, lam = omega_start, lambda_start
    if options.update_lambda:
        lam = _regularised(
            donors_pre,
            collapsed[:, :n0, t0],
            lambda_start,
            options.zeta_lambda,
            options.lambda_intercept,
            options,
            real_rows=real_donors,
        )
    if options.update_omega:
        omega = _regularised(
            donors_pre.transpose(0, 2, 1),
            collapsed[:, n0, :t0],
            omega_start,
            options.zeta_omega,
            options.omega_intercept,
            options,
            real_columns=real_donors,
        )
    return omega, lam, weighted_gap(collapsed, omega, lam)


def weighted_gap(collapsed: np.ndarray, omega: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """τ = (treated post − λ·treated pre) − (ω·donors post − ω'·donors pre·λ), per problem.

    Linear in the collapsed panel for given weights: applied to the collapsed treatment
    indicator it gives how the estimate moves when the treated cells move (test inversion).
    """
    n0 = collapsed.shape[1] - 1
    t0 = collapsed.shape[2] - 1
    return (
        collapsed[:, n0, t0]
        - np.einsum("bi,bi->b", omega, collapsed[:, :n0, t0])
        - np.einsum("bt,bt->b", lam, collapsed[:, n0, :t0])
        + np.einsum("bi,bit,bt->b", omega, collapsed[:, :n0, :t0], lam)
    )
