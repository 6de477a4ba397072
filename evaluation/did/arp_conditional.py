"""Conditional and conditional-least-favourable (hybrid) tests of moment inequalities.

Andrews, Roth & Pakes (2023, "Inference for Linear Conditional Moment Inequalities", REStud;
ARP) test H0: E[y] - X δ <= 0 for some nuisance vector δ, with y ~ N(μ, Σ) and known Σ. The
statistic is the value of the linear program

    η(y) = min_{η, δ} η   s.t.   y - X δ <= η · sd,      sd = sqrt(diag Σ),

whose dual is  max_λ λ'y  over the polytope  P = {λ >= 0, λ'sd = 1, λ'X = 0}.

P does not depend on y, so we enumerate its vertices once and evaluate η(y) = max_v v'y for any
number of y at the cost of one matrix product. This replaces the per-draw and per-θ linear
programs (and the bisection of ARP's Algorithm 1) of R package HonestDiD with exact arithmetic:

- the optimal vertex γ is the dual solution; ARP condition on it being optimal. Writing
  b = Σγ / γ'Σγ and s = y - b γ'y (independent of γ'y), γ stays optimal for γ'y = c exactly when
  v's + (v'b) c <= c for every vertex v, which gives the truncation points
  V_lo = max_{v'b < 1} v's / (1 - v'b) and V_up = min_{v'b > 1} v's / (1 - v'b);
- the conditional test rejects when η / σ_B exceeds the (1 - α) quantile of a standard normal
  truncated to [V_lo, V_up] / σ_B (never below 0), σ_B² = γ'Σγ;
- the least-favourable hybrid ("C-LF") first rejects when η exceeds c_LF, the (1 - κ) quantile of
  η under the least-favourable null μ = 0 (simulated), and otherwise runs the conditional test
  at size (α - κ) / (1 - κ) with V_up capped at c_LF (ARP, section 6.2).

The vertex count is at most C(m, k + 1) for m moments and k nuisance parameters; for the
relative-magnitudes moments of an event study (m = 2 T̄ post-period moments, k = T̄ - 1) that is
C(2T̄, T̄): 70 for four post periods, 184,756 for ten. We refuse larger problems rather than
become slow silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri, ndtri_exp

MAX_VERTEX_CANDIDATES = 200_000
_VERTEX_TOL = 1e-12
_DENOM_TOL = 1e-12


def dual_vertices(sd: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Vertices of {λ >= 0, λ'sd = 1, λ'X = 0}, one per row.

    Every vertex is a basic feasible solution: with W = [sd X] of full column rank r = k + 1, λ is
    zero outside a set B of r rows and solves W_B' λ_B = e_1 there. Trying all subsets finds them.
    """
    sd = np.asarray(sd, dtype=float)
    m = sd.shape[0]
    w = np.column_stack([sd, np.asarray(x, dtype=float).reshape(m, -1)])
    r = w.shape[1]
    if np.linalg.matrix_rank(w) < r:
        raise ValueError(
            "the nuisance directions must be linearly independent of each other and sd"
        )
    if math.comb(m, r) > MAX_VERTEX_CANDIDATES:
        raise NotImplementedError(
            f"{math.comb(m, r)} candidate bases for {m} moments; at most "
            f"{MAX_VERTEX_CANDIDATES} are enumerated (about ten post-periods)"
        )
    subsets = np.array(list(combinations(range(m), r)), dtype=int)
    systems = w[subsets].transpose(0, 2, 1)  # (n, r, r) = W_B'
    scale = np.abs(w).max(axis=0)
    dets = np.linalg.det(systems / scale[:, None])
    subsets, systems = subsets[np.abs(dets) > 1e-10], systems[np.abs(dets) > 1e-10]
    e1 = np.zeros(r)
    e1[0] = 1.0
    solutions = np.linalg.solve(systems, np.broadcast_to(e1, (len(subsets), r))[..., None])[..., 0]
    feasible = np.all(
        solutions >= -_VERTEX_TOL * np.abs(solutions).max(axis=1, keepdims=True), axis=1
    )
    vertices = np.zeros((int(feasible.sum()), m))
    rows = np.repeat(np.arange(len(vertices)), r)
    vertices[rows, subsets[feasible].ravel()] = np.clip(solutions[feasible], 0.0, None).ravel()
    # A degenerate vertex is found from several bases: keep it once.
    _, first = np.unique(np.round(vertices * sd, 10), axis=0, return_index=True)
    return vertices[np.sort(first)]


def truncated_normal_quantile(p: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """p-quantile of a standard normal truncated to [low, high], accurate far in the tails.

    Above zero the upper-tail masses are used in logarithms (log Φ(-x)), so a truncation region
    at 40 standard deviations still has a quantile; below zero the mirror image is used. This is
    what TruncatedNormal::norminvp (used by HonestDiD) achieves, at numpy speed.
    """
    low, high = np.broadcast_arrays(np.asarray(low, float), np.asarray(high, float))
    out = np.empty(low.shape)
    upper = low >= 0  # mass sits in the upper tail: work with log Φ(-x)
    lower = high <= 0  # mirror image
    middle = ~(upper | lower)
    if upper.any():
        out[upper] = _upper_tail_quantile(p, low[upper], high[upper])
    if lower.any():
        out[lower] = -_upper_tail_quantile(1.0 - p, -high[lower], -low[lower])
    if middle.any():
        a, b = ndtr(low[middle]), ndtr(high[middle])
        out[middle] = ndtri(a + p * (b - a))
    return out


def _upper_tail_quantile(p: float, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    log_a, log_b = log_ndtr(-low), log_ndtr(-high)  # log P(Z > low), log P(Z > high)
    with np.errstate(divide="ignore"):
        log_tail = log_a + np.log1p(-p * -np.expm1(log_b - log_a))
    return -ndtri_exp(log_tail)


@dataclass(frozen=True)
class MomentInequalityTest:
    """The ARP test of E[y] - X δ <= 0 for one (X, Σ); y varies with the null value tested.

    vertices: dual vertices (rows). sigma: covariance of y. lf_cv: least-favourable critical
    value of η, or None for the purely conditional test. alpha, kappa: overall and first-stage size.
    """

    vertices: np.ndarray
    sigma: np.ndarray
    alpha: float
    kappa: float
    lf_cv: float | None

    @classmethod
    def build(
        cls,
        x: np.ndarray,
        sigma: np.ndarray,
        alpha: float,
        hybrid: bool,
        lf_draws: np.ndarray | None = None,
        kappa: float | None = None,
    ) -> MomentInequalityTest:
        """Enumerate the vertices and, for the hybrid, the simulated least-favourable value.

        lf_draws: rows ξ ~ N(0, Σ), the least-favourable null; c_LF is their (1 - κ) quantile of
        η(ξ) with linear interpolation (R's default quantile type 7, as HonestDiD uses).
        """
        sigma = np.asarray(sigma, dtype=float)
        sd = np.sqrt(np.diag(sigma))
        vertices = dual_vertices(sd, x)
        kappa = alpha / 10 if kappa is None else kappa
        lf_cv = None
        if hybrid:
            if lf_draws is None:
                raise ValueError("the least-favourable hybrid needs draws under the null")
            eta = (lf_draws @ vertices.T).max(axis=1)
            lf_cv = float(np.quantile(eta, 1.0 - kappa))
        return cls(vertices=vertices, sigma=sigma, alpha=alpha, kappa=kappa, lf_cv=lf_cv)

    def eta(self, y: np.ndarray) -> np.ndarray:
        """η(y) for each column of y (m x n) — the LP value, exactly."""
        return (self.vertices @ y).max(axis=0)

    def rejects(self, y: np.ndarray) -> np.ndarray:
        """Test decision for each column of y (m x n): True where H0 is rejected."""
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        values = self.vertices @ y
        best = values.argmax(axis=0)
        eta = values[best, np.arange(y.shape[1])]
        gamma = self.vertices[best]  # (n, m)
        sigma_gamma = gamma @ self.sigma  # (n, m)
        var_b = np.einsum("nm,nm->n", sigma_gamma, gamma)
        reject = np.zeros(y.shape[1], dtype=bool)
        degenerate = var_b <= np.finfo(float).eps
        reject[degenerate] = eta[degenerate] > 0  # no randomness left in the binding moment
        live = ~degenerate
        if self.lf_cv is not None:
            first_stage = live & (eta > self.lf_cv)
            reject[first_stage] = True
            live &= ~first_stage
            size = (self.alpha - self.kappa) / (1.0 - self.kappa)
        else:
            size = self.alpha
        if not live.any():
            return reject
        idx = np.flatnonzero(live)
        b = sigma_gamma[idx] / var_b[idx, None]  # (n, m)
        s = y[:, idx].T - b * eta[idx, None]  # (n, m): part of y independent of γ'y
        vs = s @ self.vertices.T  # (n, V)
        denom = 1.0 - b @ self.vertices.T  # (n, V)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = vs / denom
        v_lo = np.where(denom > _DENOM_TOL, ratio, -np.inf).max(axis=1)
        v_up = np.where(denom < -_DENOM_TOL, ratio, np.inf).min(axis=1)
        if self.lf_cv is not None:
            v_up = np.minimum(v_up, self.lf_cv)
        sigma_b = np.sqrt(var_b[idx])
        stat, z_lo, z_up = eta[idx] / sigma_b, v_lo / sigma_b, v_up / sigma_b
        inside = (z_lo <= stat) & (stat <= z_up)
        cval = np.full(len(idx), np.inf)  # outside the conditioning event: do not reject
        if inside.any():
            q = truncated_normal_quantile(1.0 - size, z_lo[inside], z_up[inside])
            cval[inside] = np.maximum(0.0, q)
        reject[idx] = stat > cval
        return reject

    def acceptance_bounds(self, y0: np.ndarray, a: np.ndarray) -> tuple[float, float]:
        """Hull of {t : η(y0 - a t) <= c_LF}, which contains every t the hybrid accepts.

        η(y0 - a t) is a maximum of affine functions of t, so the set is an interval, found from
        the vertices in closed form. Only defined for the hybrid test.
        """
        if self.lf_cv is None:
            raise ValueError("only the hybrid test has a first stage that bounds acceptance")
        slope = -(self.vertices @ a)
        level = self.vertices @ y0 - self.lf_cv  # each vertex: level + slope t <= 0
        lower, upper = -np.inf, np.inf
        with np.errstate(divide="ignore"):
            pos, neg = slope > 0, slope < 0
            if pos.any():
                upper = float(np.min(-level[pos] / slope[pos]))
            if neg.any():
                lower = float(np.max(-level[neg] / slope[neg]))
        if np.any(level[slope == 0] > 0):
            return (math.nan, math.nan)
        return (lower, upper)
