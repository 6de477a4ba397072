"""Honest sensitivity analysis for event studies: relative-magnitudes bounds and breakdown M̄.

Rambachan & Roth (2023) replace "parallel trends holds" by "the post-treatment violation of
parallel trends is at most M̄ times the largest pre-treatment one" (Δ^RM(M̄), see
`evaluation.did.relative_magnitudes`). For θ = l'τ_post they give confidence sets that are valid
uniformly over that restriction, and the *breakdown value*: the largest M̄ at which the robust
confidence set still excludes zero. A breakdown of 2 reads "the effect stays significant unless the
post-period violation can be more than twice the worst pre-period one".

Method (as R package HonestDiD's ``createSensitivityResults_relativeMagnitudes`` with its default
``method = "C-LF"``): Δ^RM(M̄) is a union of polyhedra A_(s,±) δ <= 0. For each, the null
θ = θ0 becomes the moment inequalities E[A β̂] - A Γ⁻¹ (θ0, ν) <= 0 with nuisance ν, tested by the
conditional-least-favourable hybrid of Andrews, Roth & Pakes (2023, ARP; see
`evaluation.did.arp_conditional`) with first-stage size κ = α/10 and 1,000 least-favourable draws.
θ0 is in the confidence set when any of the 2T tests accepts; as in HonestDiD only the moments
that involve post-period coefficients are tested. The reported interval is the hull of the
accepted θ0.

Where we differ from HonestDiD, and why:

- HonestDiD tests a fixed grid of 1,000 θ0 in [-20 sd(θ̂), 20 sd(θ̂)] and reports the extreme
  accepted grid points, so its bounds are off by up to one grid step (and cut off at the grid's
  end). We locate each end by bisection to ~1e-9 sd(θ̂) inside a range that provably contains the
  set (the first-stage region {η <= c_LF}); `relative_magnitudes_acceptance` evaluates any grid,
  which reproduces HonestDiD's numbers exactly.
- The ARP statistic and its conditioning bounds come from the enumerated vertices of the dual
  polytope, exactly, instead of a linear program per θ0 and a bisection with tolerance 1e-6.
- The least-favourable draws are R's own (``set.seed(0)``; `evaluation.did.r_normal_draws`), so
  the simulated critical value equals HonestDiD's.
- Our default l is the average of the post-period effects; HonestDiD's is the first one.

References: Rambachan, A. & Roth, J. (2023), "A More Credible Approach to Parallel Trends",
Review of Economic Studies 90(5), 2555-2591. Andrews, I., Roth, J. & Pakes, A. (2023), "Inference
for Linear Conditional Moment Inequalities", Review of Economic Studies 90(6), 2763-2791.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from evaluation.did.arp_conditional import MomentInequalityTest
from evaluation.did.r_normal_draws import r_rmvnorm
from evaluation.did.relative_magnitudes import (
    combinations_s,
    gamma_matrix,
    identified_set,
    post_moment_rows,
    rm_constraints,
)

Method = Literal["C-LF", "Conditional"]
LF_SIMULATIONS = 1000  # HonestDiD's number of least-favourable draws
_SEARCH_POINTS = 401
_REFINE_POINTS = 66  # 64 interior points per refinement round
_REFINE_ROUNDS = 5


@dataclass(frozen=True)
class RobustInterval:
    """Robust confidence interval for θ = l'τ_post under Δ^RM(mbar); ends may be ±inf."""

    mbar: float
    low: float
    high: float

    @property
    def excludes_zero(self) -> bool:
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class RelativeMagnitudesSensitivity:
    """A sensitivity table over M̄ and the breakdown value, ready for a report.

    estimate: l'β̂_post, the effect under exact parallel trends. breakdown: largest M̄ whose
    interval excludes zero (None if even M̄ = 0 includes it), to within ``breakdown_tolerance``.
    """

    estimate: float
    l_vec: tuple[float, ...]
    alpha: float
    method: str
    intervals: tuple[RobustInterval, ...]
    breakdown: float | None
    breakdown_tolerance: float

    def to_dict(self) -> dict[str, Any]:
        def number(value: float) -> float | None:
            return value if math.isfinite(value) else None

        return {
            "estimate": self.estimate,
            "l_vec": list(self.l_vec),
            "alpha": self.alpha,
            "method": self.method,
            "intervals": [
                {"mbar": i.mbar, "ci": [number(i.low), number(i.high)]} for i in self.intervals
            ],
            "breakdown": self.breakdown,
            "breakdown_tolerance": self.breakdown_tolerance,
        }


@dataclass(frozen=True)
class _Piece:
    """The test for one (s, sign): accept θ0 unless it rejects y0 - a θ0."""

    test: MomentInequalityTest
    y0: np.ndarray
    a: np.ndarray

    def accepts(self, theta: np.ndarray) -> np.ndarray:
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        return ~self.test.rejects(self.y0[:, None] - self.a[:, None] * theta[None, :])


def _inputs(
    betahat: Any, sigma: Any, num_pre: int, num_post: int, l_vec: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated arrays; the default l averages the post-period effects."""
    beta = np.asarray(betahat, dtype=float).ravel()
    cov = np.asarray(sigma, dtype=float)
    if num_pre < 1 or num_post < 1:
        raise ValueError("need at least one pre-period and one post-period coefficient")
    if beta.shape != (num_pre + num_post,) or cov.shape != (beta.size, beta.size):
        raise ValueError("betahat must have num_pre + num_post entries and sigma match it")
    if not (np.all(np.isfinite(beta)) and np.all(np.isfinite(cov))):
        raise ValueError("betahat and sigma must be finite")
    if not np.allclose(cov, cov.T, rtol=1e-8, atol=1e-14 * np.abs(cov).max()):
        raise ValueError("sigma must be symmetric")
    lv = np.full(num_post, 1.0 / num_post) if l_vec is None else np.asarray(l_vec, float).ravel()
    if lv.shape != (num_post,) or not np.any(lv != 0):
        raise ValueError("l_vec must have num_post entries, not all zero")
    return beta, cov, lv


def _pieces(
    beta: np.ndarray,
    cov: np.ndarray,
    num_pre: int,
    num_post: int,
    mbar: float,
    alpha: float,
    l_vec: np.ndarray,
    method: Method,
    seed: int,
) -> list[_Piece]:
    """One ARP test per (s, sign), its moments y0 - a θ0 in HonestDiD's parametrisation."""
    if method not in ("C-LF", "Conditional"):
        raise ValueError("method must be 'C-LF' or 'Conditional'")
    if not (0 < alpha < 1) or mbar < 0:
        raise ValueError("need 0 < alpha < 1 and mbar >= 0")
    gamma_inv = np.linalg.inv(gamma_matrix(l_vec))
    pieces = []
    for s, positive in combinations_s(num_pre):
        a_full = rm_constraints(num_pre, num_post, mbar, s, positive)
        a_rm = a_full[post_moment_rows(a_full, num_pre)]
        moments = a_rm[:, num_pre:] @ gamma_inv
        sigma_y = a_rm @ cov @ a_rm.T
        draws = r_rmvnorm(LF_SIMULATIONS, sigma_y, seed) if method == "C-LF" else None
        test = MomentInequalityTest.build(
            moments[:, 1:], sigma_y, alpha, hybrid=method == "C-LF", lf_draws=draws
        )
        pieces.append(_Piece(test=test, y0=a_rm @ beta, a=moments[:, 0]))
    return pieces


def _edge(piece: _Piece, inside: float, outside: float) -> float:
    """Last accepted θ0 between an accepted and a rejected point, to ~1e-9 of their distance.

    Bisection, but 65-way: each round tests 64 interior points in one vectorised call (scalar
    calls would cost ten times as much) and keeps the sub-interval where acceptance last switches
    towards ``outside``. Five rounds shrink the bracket by 65^-5 ≈ 9e-10.
    """
    for _ in range(_REFINE_ROUNDS):
        points = np.linspace(inside, outside, _REFINE_POINTS)
        accepted = np.flatnonzero(piece.accepts(points[1:-1])) + 1
        last = accepted[-1] if accepted.size else 0  # furthest accepted point towards outside
        inside, outside = points[last], points[last + 1]
    return float(inside)


def _piece_interval(piece: _Piece, low: float, high: float) -> tuple[float, float] | None:
    """Hull of the θ0 one piece accepts within [low, high]; ends refined by `_edge`.

    An end at the search range's edge is returned as ±inf: then the set is not bounded there.
    """
    grid = np.linspace(low, high, _SEARCH_POINTS)
    accepted = np.flatnonzero(piece.accepts(grid))
    if accepted.size == 0:
        return None
    first, last = accepted[0], accepted[-1]
    lo = -math.inf if first == 0 else _edge(piece, grid[first], grid[first - 1])
    hi = math.inf if last == grid.size - 1 else _edge(piece, grid[last], grid[last + 1])
    return lo, hi


def _search_range(
    piece: _Piece, fallback: Callable[[], tuple[float, float]]
) -> tuple[float, float]:
    """A range that contains every θ0 the piece can accept (slightly widened to see its edges).

    For the hybrid that is the first-stage region {η <= c_LF}, exactly. Without it there is no
    such bound; the fallback (identified set ± 40 sd(θ̂)) is wide, and an accepted edge is
    reported as an unbounded end.
    """
    if piece.test.lf_cv is not None:
        low, high = piece.test.acceptance_bounds(piece.y0, piece.a)
        if math.isnan(low):
            return (0.0, 0.0)
        if math.isfinite(low) and math.isfinite(high):
            pad = 1e-6 * max(high - low, abs(high), abs(low), 1e-300)
            return low - pad, high + pad
    return fallback()


def relative_magnitudes_interval(
    betahat: Sequence[float] | np.ndarray,
    sigma: np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    mbar: float,
    alpha: float = 0.05,
    l_vec: Sequence[float] | np.ndarray | None = None,
    *,
    method: Method = "C-LF",
    seed: int = 0,
) -> tuple[float, float]:
    """Robust (1 - alpha) confidence interval for θ = l'τ_post under Δ^RM(mbar).

    betahat, sigma: event-study coefficients (pre-periods first, reference period -1 left out) and
    their covariance. l_vec: weights on the post-period effects (default: their average).
    method: "C-LF" (HonestDiD's default hybrid) or "Conditional" (ARP without the hybrid).
    seed: seed of the R-compatible least-favourable draws (HonestDiD uses 0).
    Returns (nan, nan) when no θ is accepted, and ±inf for an end that is not bounded.
    """
    beta, cov, lv = _inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    pieces = _pieces(beta, cov, num_pre_periods, num_post_periods, mbar, alpha, lv, method, seed)

    def fallback() -> tuple[float, float]:
        low, high = identified_set(beta, num_pre_periods, num_post_periods, mbar, lv)
        if not math.isfinite(low):
            low = high = float(lv @ beta[num_pre_periods:])
        sd_theta = math.sqrt(float(lv @ cov[num_pre_periods:, num_pre_periods:] @ lv))
        return (low - 40 * sd_theta, high + 40 * sd_theta)

    ends = [_piece_interval(p, *_search_range(p, fallback)) for p in pieces]
    found = [e for e in ends if e is not None]
    if not found:
        return (math.nan, math.nan)
    return (min(e[0] for e in found), max(e[1] for e in found))


def relative_magnitudes_acceptance(
    betahat: Sequence[float] | np.ndarray,
    sigma: np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    mbar: float,
    theta_grid: Sequence[float] | np.ndarray,
    alpha: float = 0.05,
    l_vec: Sequence[float] | np.ndarray | None = None,
    *,
    method: Method = "C-LF",
    seed: int = 0,
) -> np.ndarray:
    """Whether each θ0 of a grid is in the robust confidence set (HonestDiD's test inversion).

    With HonestDiD's grid (1,000 points on [-20 sd(θ̂), 20 sd(θ̂)]) the extreme accepted points
    are the bounds ``createSensitivityResults_relativeMagnitudes`` prints.
    """
    beta, cov, lv = _inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    pieces = _pieces(beta, cov, num_pre_periods, num_post_periods, mbar, alpha, lv, method, seed)
    grid = np.asarray(theta_grid, dtype=float)
    accepted = np.zeros(grid.shape, dtype=bool)
    for piece in pieces:
        accepted |= piece.accepts(grid)
    return accepted


def breakdown_mbar(
    betahat: Sequence[float] | np.ndarray,
    sigma: np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    alpha: float = 0.05,
    l_vec: Sequence[float] | np.ndarray | None = None,
    *,
    tolerance: float = 1e-4,
    mbar_max: float = 1e3,
    method: Method = "C-LF",
    seed: int = 0,
) -> float | None:
    """Largest M̄ whose robust confidence interval for θ excludes zero (None if M̄ = 0's does not).

    Search: the interval widens with M̄ (Δ^RM(M̄) grows), so "excludes zero" holds on [0, M̄*)
    and fails beyond. We double M̄ from 1 until the interval covers zero (bracketing), then bisect
    until the bracket is shorter than ``tolerance``; the lower end is returned, so the interval at
    the result excludes zero and the one at result + tolerance includes it. If the interval still
    excludes zero at ``mbar_max``, returns inf.
    """

    def excludes(mbar: float) -> bool:
        low, high = relative_magnitudes_interval(
            betahat, sigma, num_pre_periods, num_post_periods, mbar, alpha, l_vec,
            method=method, seed=seed,
        )  # fmt: skip
        return low > 0 or high < 0

    if tolerance <= 0:
        raise ValueError("tolerance must be positive")
    if not excludes(0.0):
        return None
    inside, outside = 0.0, 1.0
    while excludes(outside):
        if outside >= mbar_max:
            return math.inf
        inside, outside = outside, min(2.0 * outside, mbar_max)
    while outside - inside > tolerance:
        middle = 0.5 * (inside + outside)
        if excludes(middle):
            inside = middle
        else:
            outside = middle
    return inside


def relative_magnitudes_sensitivity(
    betahat: Sequence[float] | np.ndarray,
    sigma: np.ndarray,
    num_pre_periods: int,
    num_post_periods: int,
    mbars: Sequence[float] = (0.0, 0.5, 1.0, 1.5, 2.0),
    alpha: float = 0.05,
    l_vec: Sequence[float] | np.ndarray | None = None,
    *,
    tolerance: float = 1e-4,
    method: Method = "C-LF",
    seed: int = 0,
) -> RelativeMagnitudesSensitivity:
    """The robust intervals at each M̄ of ``mbars`` and the breakdown value, as one result."""
    beta, _, lv = _inputs(betahat, sigma, num_pre_periods, num_post_periods, l_vec)
    common = {"alpha": alpha, "l_vec": lv, "method": method, "seed": seed}
    intervals = tuple(
        RobustInterval(
            float(m),
            *relative_magnitudes_interval(
                beta, sigma, num_pre_periods, num_post_periods, float(m), **common
            ),
        )
        for m in mbars
    )
    breakdown = breakdown_mbar(
        beta, sigma, num_pre_periods, num_post_periods, tolerance=tolerance, **common
    )
    return RelativeMagnitudesSensitivity(
        estimate=float(lv @ beta[num_pre_periods:]),
        l_vec=tuple(float(v) for v in lv),
        alpha=alpha,
        method=method,
        intervals=intervals,
        breakdown=breakdown,
        breakdown_tolerance=tolerance,
    )
