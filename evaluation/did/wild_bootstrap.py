"""Wild cluster bootstrap with the null imposed (WCR), p-values and CIs by test inversion.

Cameron, Gelbach & Miller (2008); Roodman, MacKinnon, Nielsen & Webb (2019, "Fast and wild")
for the algebra; MacKinnon & Webb (2017) for why the null must be imposed. Bootstrap samples are
y* = Xβ̃ + v_g ũ with ũ the residuals of the regression restricted to β_j = β0 and v_g one weight
per cluster: Rademacher (±1), or Webb's six-point distribution (±√½, ±1, ±√1.5) when there are
fewer than 12 clusters, because with G clusters Rademacher weights give only 2^G distinct
samples (Webb 2023). Where all weight vectors fit into the requested number of draws (2^G, 6^G)
they are enumerated instead of sampled.

Fixed effects are handled exactly, as in a regression with all dummies: the bootstrap residuals
are annihilated by the fixed effects as well as by the regressors, so the result equals a
dummy-variable wild bootstrap (as `wildboottest` runs it on an explicit dummy design) even when
period effects are not nested in the clusters.

Everything is linear in the weights and in the null value: for draws V (G × B) and δ = β̂ − β0,
t*_b(δ) = (n_a + δ n_b) / sqrt(A + 2δ C + δ² D), with all pieces computed once, so the p-value
can be evaluated for any β0 at O(B) cost and inverted for the CI using the same draws.
p-value: symmetric, the share of |t*| strictly above |t| (Roodman et al. 2019, eq. 13), as in
`boottest` and `wildboottest`.

Memory: one N × G matrix (observations × clusters) per restricted-residual piece, which is
small for district panels; `twfe(inference="auto")` only bootstraps below 40 clusters.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from evaluation.did.within import group_sums

# Below this many clusters use Webb's six-point weights instead of Rademacher (Webb 2023).
WEBB_BELOW = 12
RADEMACHER = np.array([-1.0, 1.0])
WEBB = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
# |t*| within this relative distance of |t| is a tie (the all-ones draw reproduces the sample).
_TIE = 1e-9


def bootstrap_weights(
    n_clusters: int, draws: int, kind: str, seed: int
) -> tuple[np.ndarray, str, bool]:
    """G × B weights, the weight kind used, and whether every vector was enumerated.

    kind: "auto" (Webb below 12 clusters, else Rademacher), "rademacher" or "webb".
    """
    if kind == "auto":
        kind = "webb" if n_clusters < WEBB_BELOW else "rademacher"
    support = {"rademacher": RADEMACHER, "webb": WEBB}.get(kind)
    if support is None:
        raise ValueError(f"unknown bootstrap weights {kind!r}")
    if support.size**n_clusters <= draws:
        grid = np.array(list(itertools.product(support, repeat=n_clusters))).T
        return grid, kind, True
    rng = np.random.default_rng(seed)
    return rng.choice(support, size=(n_clusters, draws)), kind, False


@dataclass(frozen=True)
class WildBootstrap:
    """Bootstrap distribution of the t statistic of coefficient j, for any null value.

    coef, se: estimate and its CR1 standard error. weights: "rademacher" or "webb".
    enumerated: all weight vectors used (exact bootstrap distribution).
    pvalue, ci_low, ci_high: for the null β_j = 0 and by test inversion at `level`.
    """

    coef: float
    se: float
    draws: int
    weights: str
    enumerated: bool
    num_a: np.ndarray
    num_b: np.ndarray
    den_a: np.ndarray
    den_ab: np.ndarray
    den_b: np.ndarray
    small_sample: float
    pvalue: float = np.nan
    ci_low: float = np.nan
    ci_high: float = np.nan

    def t_stat(self, null: float = 0.0) -> float:
        return (self.coef - null) / self.se

    def t_star(self, null: float = 0.0) -> np.ndarray:
        """Bootstrap t statistics for H0: β_j = null (one per draw)."""
        delta = self.coef - null
        den = self.small_sample * (self.den_a + 2 * delta * self.den_ab + delta**2 * self.den_b)
        return (self.num_a + delta * self.num_b) / np.sqrt(np.maximum(den, 0.0))

    def pvalue_at(self, null: float) -> float:
        t = abs(self.t_stat(null))
        return float(np.mean(np.abs(self.t_star(null)) > t * (1 + _TIE)))


def wild_cluster_bootstrap(
    y: np.ndarray,
    x: np.ndarray,
    cluster_codes: np.ndarray,
    *,
    coef_index: int = 0,
    annihilate: Callable[[np.ndarray], np.ndarray] | None = None,
    small_sample: float = 1.0,
    draws: int = 999,
    weights: str = "auto",
    seed: int = 0,
    level: float = 0.95,
) -> WildBootstrap:
    """WCR bootstrap for coefficient `coef_index` of the regression of y on x.

    y, x: scaled (√weight) and with fixed effects already absorbed. annihilate: the fixed-effect
    residual maker in that space (N × m → N × m); None when there are no fixed effects.
    small_sample: the CR1 factor G/(G−1)·(N−1)/(N−K); it scales t and t* alike, so p-values and
    CIs do not depend on it.
    """
    n_clusters = int(cluster_codes.max()) + 1
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ (x.T @ y)
    resid = y - x @ coef
    a = xtx_inv[:, coef_index]
    xa = x @ a
    # Restricted residuals: ũ(β0) = û + δ·q with δ = β̂_j − β0.
    q = xa / a[coef_index]
    scores = group_sums(cluster_codes, n_clusters, x * resid[:, None])
    se = float(np.sqrt(small_sample * a @ (scores.T @ scores) @ a))

    def score_matrix(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """C_h = a′X_h′u_h and K[g, h] = a′X_g′(M u_(h))_g, M the full residual maker."""
        by_cluster = np.zeros((u.shape[0], n_clusters))
        by_cluster[np.arange(u.shape[0]), cluster_codes] = u
        resid_all = by_cluster if annihilate is None else annihilate(by_cluster)
        resid_all = resid_all - x @ (xtx_inv @ (x.T @ resid_all))
        c = group_sums(cluster_codes, n_clusters, xa * u)
        k = group_sums(cluster_codes, n_clusters, xa[:, None] * resid_all)
        return c, k

    c_a, k_a = score_matrix(resid)
    c_b, k_b = score_matrix(q)
    v, kind, enumerated = bootstrap_weights(n_clusters, draws, weights, seed)
    s_a, s_b = k_a @ v, k_b @ v
    boot = WildBootstrap(
        coef=float(coef[coef_index]),
        se=se,
        draws=v.shape[1],
        weights=kind,
        enumerated=enumerated,
        num_a=c_a @ v,
        num_b=c_b @ v,
        den_a=(s_a**2).sum(axis=0),
        den_ab=(s_a * s_b).sum(axis=0),
        den_b=(s_b**2).sum(axis=0),
        small_sample=small_sample,
    )
    low, high = invert_test(boot.pvalue_at, boot.coef, se, 1 - level)
    return replace(boot, pvalue=boot.pvalue_at(0.0), ci_low=low, ci_high=high)


def invert_test(
    pvalue_at: Callable[[float], float], estimate: float, scale: float, alpha: float
) -> tuple[float, float]:
    """The set {β0 : p(β0) > alpha} as an interval, found by bracketing and bisection.

    p(β0) is a step function equal to 1 at the estimate; each bound is where it first falls to
    alpha or below, located to 1e-7 of the standard error. ±inf when it never does within
    10⁶ standard errors (too few distinct bootstrap or permutation draws for this level).
    """
    bounds = []
    for direction in (-1.0, 1.0):
        inner, step = estimate, scale if scale > 0 else max(abs(estimate), 1.0)
        outer = estimate + direction * step
        while pvalue_at(outer) > alpha:
            inner, step = outer, step * 2
            outer = estimate + direction * step
            if step > 1e6 * max(scale, 1e-300):
                outer = np.nan
                break
        if np.isnan(outer):
            bounds.append(direction * np.inf)
            continue
        for _ in range(200):
            if abs(outer - inner) <= 1e-7 * max(scale, 1e-300):
                break
            middle = 0.5 * (inner + outer)
            if pvalue_at(middle) > alpha:
                inner = middle
            else:
                outer = middle
        bounds.append(0.5 * (inner + outer))
    return bounds[0], bounds[1]
