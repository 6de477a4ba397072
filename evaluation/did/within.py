"""Unit and period fixed effects absorbed exactly: the two-way within transformation.

Regressing on unit and period dummies and regressing within-transformed data give the same slope
coefficients and residuals (Frisch–Waugh–Lovell). We never build the N × (units + periods) dummy
matrix. The fixed effect with more levels (usually the unit) is swept out by (weighted) group
means; the one with fewer levels (usually the period) is then partialled out exactly by a small
least-squares step on its demeaned dummies. That is the FWL identity
M[A,B] = M_A − M_A B (B′ M_A B)⁺ B′ M_A, so the result equals the dummy regression to machine
precision in unbalanced panels too, without the tolerance of alternating projections (which is
what fixest and pyfixest iterate to; their default tolerance is 1e-6). The cost is one N × T
dense matrix for T periods, which is small for annual or monthly district panels.

Weights are analytic (precision) weights: every mean is weighted, and `sqrt_weights` scales a
within-transformed column into the space where weighted least squares is ordinary least squares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

# Eigenvalues of the demeaned period-dummy Gram matrix below this share of the largest one are
# treated as exact zeros: one period dummy is always redundant given the unit effects (more in a
# disconnected panel), and this is how the pseudo-inverse discards it.
_RANK_TOLERANCE = 1e-10


def codes_of(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes 0..n-1 for the distinct values of a column, and n."""
    _, codes = np.unique(values, return_inverse=True)
    codes = codes.ravel().astype(np.int64)
    return codes, int(codes.max()) + 1 if codes.size else 0


def non_singleton_rows(unit_codes: np.ndarray, time_codes: np.ndarray) -> np.ndarray:
    """Boolean mask of rows kept after repeatedly dropping fixed-effect singletons.

    A unit (or period) observed once is fitted perfectly by its own dummy: it adds nothing to the
    slope estimate but would inflate N in the small-sample factor. reghdfe and pyfixest drop such
    rows by default (Correia 2015), iterating because one drop can create another singleton.
    """
    keep = np.ones(unit_codes.shape[0], dtype=bool)
    while True:
        unit_counts = np.bincount(unit_codes[keep], minlength=unit_codes.max() + 1)
        time_counts = np.bincount(time_codes[keep], minlength=time_codes.max() + 1)
        singleton = keep & ((unit_counts[unit_codes] == 1) | (time_counts[time_codes] == 1))
        if not singleton.any():
            return keep
        keep &= ~singleton


def _indicator(codes: np.ndarray, levels: int) -> sp.csr_matrix:
    """Sparse levels × N matrix with a one where row i belongs to level g."""
    n = codes.shape[0]
    return sp.csr_matrix((np.ones(n), (codes, np.arange(n))), shape=(levels, n))


def nested_in(fe_codes: np.ndarray, cluster_codes: np.ndarray) -> bool:
    """True when every level of the fixed effect lies inside a single cluster.

    fixest does not count such fixed effects in K of the small-sample factor: with unit effects
    and clusters by unit, the unit dummies cost no degrees of freedom beyond the cluster ones.
    """
    pairs = np.unique(np.stack([fe_codes, cluster_codes], axis=1), axis=0)
    return pairs.shape[0] == np.unique(fe_codes).shape[0]


@dataclass(frozen=True)
class TwoWayWithin:
    """Residual maker for unit and period dummies under analytic weights.

    absorb(x) returns x minus its weighted least-squares fit on both sets of dummies, in the
    original units of x. sqrt_weights turns an absorbed column into the scaled space where every
    later step is plain OLS (all ones without weights).
    """

    large_codes: np.ndarray
    large_levels: int
    small_codes: np.ndarray
    small_levels: int
    weights: np.ndarray
    sqrt_weights: np.ndarray
    large_indicator: sp.csr_matrix
    large_weight_sums: np.ndarray
    small_demeaned: np.ndarray
    small_gram_pinv: np.ndarray

    @classmethod
    def build(
        cls,
        unit_codes: np.ndarray,
        time_codes: np.ndarray,
        weights: np.ndarray | None = None,
    ) -> TwoWayWithin:
        n = unit_codes.shape[0]
        w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
        n_unit, n_time = int(unit_codes.max()) + 1, int(time_codes.max()) + 1
        if n_unit >= n_time:
            large, n_large, small, n_small = unit_codes, n_unit, time_codes, n_time
        else:
            large, n_large, small, n_small = time_codes, n_time, unit_codes, n_unit
        indicator = _indicator(large, n_large)
        weight_sums = indicator @ w
        dummies = _indicator(small, n_small).T.toarray()
        demeaned = dummies - (indicator @ (w[:, None] * dummies) / weight_sums[:, None])[large]
        gram = demeaned.T @ (w[:, None] * demeaned)
        eigval, eigvec = np.linalg.eigh(gram)
        keep = eigval > _RANK_TOLERANCE * max(eigval.max(), 1.0)
        pinv = (eigvec[:, keep] / eigval[keep]) @ eigvec[:, keep].T
        return cls(
            large_codes=large,
            large_levels=n_large,
            small_codes=small,
            small_levels=n_small,
            weights=w,
            sqrt_weights=np.sqrt(w),
            large_indicator=indicator,
            large_weight_sums=weight_sums,
            small_demeaned=demeaned,
            small_gram_pinv=pinv,
        )

    def absorb(self, values: np.ndarray) -> np.ndarray:
        """Values (N or N × m) minus their weighted fit on unit and period dummies."""
        x = np.asarray(values, dtype=float)
        flat = x.ndim == 1
        x2 = x[:, None] if flat else x
        w = self.weights[:, None]
        group_means = (self.large_indicator @ (w * x2)) / self.large_weight_sums[:, None]
        within_large = x2 - group_means[self.large_codes]
        fe_coef = self.small_gram_pinv @ (self.small_demeaned.T @ (w * within_large))
        out = within_large - self.small_demeaned @ fe_coef
        return out[:, 0] if flat else out

    def annihilate_scaled(self, scaled: np.ndarray) -> np.ndarray:
        """Residual maker in the scaled (√w) space: √w · absorb(s / √w), for N × m arrays."""
        sw = self.sqrt_weights[:, None] if scaled.ndim == 2 else self.sqrt_weights
        return sw * self.absorb(scaled / sw)
