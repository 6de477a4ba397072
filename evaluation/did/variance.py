"""Least squares and its three variance estimators: classical, HC1 and CR1 cluster-robust.

The small-sample conventions are those of fixest and pyfixest by default (`ssc(k_adj=True,
k_fixef="nonnested", G_adj=True)`), so that our standard errors can be checked against theirs:

- CR1: V = G/(G−1) · (N−1)/(N−K) · (X′X)⁻¹ (Σ_g X_g′u_g u_g′X_g) (X′X)⁻¹, t with G−1 df;
- HC1: V = N/(N−K) · (X′X)⁻¹ (Σ_i x_i x_i′ u_i²) (X′X)⁻¹, t with N−K df;
- classical: V = Σu²/(N−K) · (X′X)⁻¹, t with N−K df.

K counts the slope coefficients plus the fixed effects, one level of every fixed effect after
the first being redundant; fixed effects nested in the cluster variable are not counted, except
one for each such set (fixest's "nested" rule, see `parameter_count`).

Inputs are in the scaled space (rows multiplied by √weight), where weighted least squares is OLS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evaluation.did.within import group_sums

# A regressor whose within-transformed residual, after projecting on the regressors before it,
# keeps less than this share of its sum of squares is collinear and dropped (pyfixest: 1e-10).
COLLINEARITY_TOLERANCE = 1e-10


def parameter_count(k: int, fe_levels: Sequence[int], fe_nested: Sequence[bool]) -> int:
    """K of the small-sample factor, by fixest's default rule.

    k: slope coefficients (intercept included when there are no fixed effects).
    fe_levels: number of levels of each fixed effect; fe_nested: whether each is nested in the
    cluster variable. Every fixed effect after the first has one redundant level; nested ones are
    subtracted and each fully nested set adds one back (pyfixest `get_ssc`, fixest issue #554).
    """
    if not fe_levels:
        return k
    k_fe = sum(fe_levels) - (len(fe_levels) - 1)
    nested = [levels for levels, flag in zip(fe_levels, fe_nested, strict=True) if flag]
    return k + k_fe - sum(nested) + len(nested)


def independent_columns(scaled: np.ndarray, reference_norms: np.ndarray) -> np.ndarray:
    """Indices of columns that are not (numerically) linear combinations of earlier ones.

    reference_norms: sum of squares of each column before the within transformation (centred),
    so a covariate that does not vary within units shows as a near-zero share and is dropped.
    """
    kept: list[int] = []
    basis = np.zeros((scaled.shape[0], 0))
    for j in range(scaled.shape[1]):
        column = scaled[:, j]
        resid = column - basis @ (basis.T @ column)
        ss = float(resid @ resid)
        if ss > COLLINEARITY_TOLERANCE * max(float(reference_norms[j]), np.finfo(float).tiny):
            kept.append(j)
            basis = np.column_stack([basis, resid / np.sqrt(ss)])
    return np.asarray(kept, dtype=int)


@dataclass(frozen=True)
class LinearFit:
    """OLS in the scaled space with its chosen variance.

    coef, vcov: slope coefficients and their covariance. resid: scaled residuals.
    df_t: degrees of freedom of the t (and F denominator) distribution. k_count: K used in the
    small-sample factor. description: the variance estimator in words, for `inference` texts;
    inference_code: the same as a code (results.INFERENCE_CODES).
    """

    coef: np.ndarray
    vcov: np.ndarray
    resid: np.ndarray
    xtx_inv: np.ndarray
    nobs: int
    nclusters: int | None
    k_count: int
    df_t: int
    small_sample: float
    description: str
    inference_code: str


def fit_linear(
    y: np.ndarray,
    x: np.ndarray,
    *,
    k_count: int,
    cluster_codes: np.ndarray | None = None,
    robust: bool = False,
    cluster_name: str | None = None,
) -> LinearFit:
    """Regress y on x (both scaled) and estimate the variance: CR1, HC1 or classical.

    k_count: K of the small-sample factor, from `parameter_count` (it differs from x.shape[1]
    when fixed effects were absorbed).
    """
    n = y.shape[0]
    xtx_inv = np.linalg.inv(x.T @ x)
    coef = xtx_inv @ (x.T @ y)
    resid = y - x @ coef
    n_clusters = None
    if cluster_codes is not None:
        n_clusters = int(cluster_codes.max()) + 1
        # the CR1 meat from per-cluster score sums
        scores = group_sums(cluster_codes, n_clusters, x * resid[:, None])
        factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - k_count)
        meat = scores.T @ scores
        df_t = n_clusters - 1
        code = "cluster_robust"
        description = (
            f"CR1 cluster-robust by {cluster_name or 'cluster'} ({n_clusters} clusters), "
            f"t with {df_t} df"
        )
    elif robust:
        factor = n / (n - k_count)
        meat = (x * resid[:, None] ** 2).T @ x
        df_t = n - k_count
        code = "heteroskedasticity_robust"
        description = f"HC1 heteroskedasticity-robust, t with {df_t} df"
    else:
        factor = 1.0
        meat = float(resid @ resid) / (n - k_count) * (x.T @ x)
        df_t = n - k_count
        code = "classical"
        description = f"classical OLS (homoskedastic, independent errors), t with {df_t} df"
    return LinearFit(
        coef=coef,
        vcov=factor * xtx_inv @ meat @ xtx_inv,
        resid=resid,
        xtx_inv=xtx_inv,
        nobs=n,
        nclusters=n_clusters,
        k_count=k_count,
        df_t=df_t,
        small_sample=factor,
        description=description,
        inference_code=code,
    )
