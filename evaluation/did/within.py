"""Unit and period fixed effects absorbed exactly: the two-way within transformation.

Regressing on unit and period dummies and regressing within-transformed data give the same slope
coefficients and residuals (Frisch–Waugh–Lovell). We never build a dummy matrix. The fixed
effect with more levels A (usually the unit) is swept out by (weighted) group means; the one
with fewer levels B (usually the period) is then partialled out exactly by a small least-squares
step. That is the FWL identity M[A,B] = M_A − M_A B (B′ W M_A B)⁺ B′ W M_A, so the result equals
the dummy regression to machine precision in unbalanced panels too, without the tolerance of
alternating projections (which is what fixest and pyfixest iterate to; their default tolerance is
1e-6).

The demeaned dummies M_A B are never materialised either; with C = A′WB, the units × periods
table of weight sums, every piece follows from C and integer codes:
- Gram matrix: B′W M_A B = diag(B′W1) − C′ diag(1/A′W1) C (T × T for T periods);
- B′W M_A x = B′W x̃ for x̃ = M_A x, a weighted sum of x̃ by period;
- M_A B θ = Bθ minus its weighted unit means, Bθ being θ[period] row by row.
So absorbing m columns costs a few `bincount` passes over N rows per column plus a T × T solve,
and memory stays O(N): C (needed for the Gram matrix only) is held dense only while it has at
most four cells per observation, sparse otherwise. (The N × T matrix of demeaned period dummies
this replaces took 1.7 GB and most of the time on 5,000 units × 120 periods;
docs/performance-evaluation.md.)

Weights are analytic (precision) weights: every mean is weighted, and `sqrt_weights` scales a
within-transformed column into the space where weighted least squares is ordinary least squares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.linalg import cho_solve, lapack

# Pivots of the demeaned period-dummy Gram matrix below this share of its largest diagonal entry
# are treated as exact zeros: one period dummy is always redundant given the unit effects (more in
# a disconnected panel), and this is how the pivoted Cholesky factorisation leaves it out.
_RANK_TOLERANCE = 1e-10
# C, the units × periods table of weight sums, is held dense while it has at most this many cells
# per observation (the panel is at least a quarter filled): C′ diag(1/A′W1) C then costs one dense
# product of units × T² multiply-adds, where a sparse product costs as many scalar steps with far
# more overhead per step. Sparser panels keep C sparse, so memory stays O(N).
_DENSE_CELLS_PER_ROW = 4


def codes_of(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes 0..n-1 for the distinct values of a column, and those n values, sorted.

    Hash-based (pandas.factorize), O(N) instead of np.unique's sort of all N values.
    """
    codes, levels = pd.factorize(np.asarray(values), sort=True)
    return codes.astype(np.int64, copy=False), np.asarray(levels)


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


def group_sums(codes: np.ndarray, levels: int, values: np.ndarray) -> np.ndarray:
    """Sum the rows of values (N or N × m) within each level: levels or levels × m.

    One `np.bincount` pass per column: O(N·m), single-threaded and without building an indicator
    matrix.
    """
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=levels)
    out = np.empty((levels, values.shape[1]))
    for j in range(values.shape[1]):
        out[:, j] = np.bincount(codes, weights=values[:, j], minlength=levels)
    return out


def nested_in(fe_codes: np.ndarray, cluster_codes: np.ndarray) -> bool:
    """True when every level of the fixed effect lies inside a single cluster.

    fixest does not count such fixed effects in K of the small-sample factor: with unit effects
    and clusters by unit, the unit dummies cost no degrees of freedom beyond the cluster ones.
    Checked in O(N): give each level the cluster of one of its rows (whichever the assignment
    keeps) and ask whether every row of the level has that cluster.
    """
    if fe_codes.size == 0:
        return True
    cluster_of_level = np.empty(int(fe_codes.max()) + 1, dtype=cluster_codes.dtype)
    cluster_of_level[fe_codes] = cluster_codes
    return bool((cluster_of_level[fe_codes] == cluster_codes).all())


def _cell_weight_sums(
    large: np.ndarray, n_large: int, small: np.ndarray, n_small: int, w: np.ndarray
) -> np.ndarray | sp.csr_matrix:
    """C = A′WB: the sum of weights in each (large level, small level) cell."""
    if n_large * n_small <= _DENSE_CELLS_PER_ROW * large.shape[0]:
        cells = np.bincount(large * n_small + small, weights=w, minlength=n_large * n_small)
        return cells.reshape(n_large, n_small)
    cross = sp.csr_matrix((w, (large, small)), shape=(n_large, n_small))
    cross.sum_duplicates()
    return cross


def _between_part(cross: np.ndarray | sp.csr_matrix, large_sums: np.ndarray) -> np.ndarray:
    """C′ diag(1/A′W1) C, dense (small levels × small levels), as (D^-½ C)′(D^-½ C)."""
    inverse_root = 1 / np.sqrt(large_sums)
    if sp.issparse(cross):
        scaled = sp.diags(inverse_root) @ cross
        return (scaled.T @ scaled).toarray()
    scaled = cross * inverse_root[:, None]
    # numpy's own single-threaded loop, not BLAS: for 5,000 units × 120 periods (72 million
    # multiply-adds) it takes a steady 15 ms of CPU, where one BLAS thread needs 2 ms but threaded
    # OpenBLAS took 30–80 ms of CPU and 100–250 ms of wall time on the shared 2-core benchmark
    # machine under load (benchmarks/did_performance.py): thread hand-offs, not arithmetic.
    return np.einsum("ut,us->ts", scaled, scaled, optimize=False)


def _independent_levels(gram: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Levels whose demeaned dummies are linearly independent, and the Cholesky factor of their
    Gram matrix (upper triangular), by Cholesky factorisation with complete pivoting (LAPACK
    dpstrf), which stops at the numerical rank.

    Any solution θ of the normal equations gives the same fit M_A B θ, so solving on these levels
    with the others' coefficients at zero fits as the pseudo-inverse would. A single LAPACK call
    on T × T, where an eigendecomposition issues hundreds of small BLAS calls (each a thread
    hand-off in threaded OpenBLAS, which is slow on a busy machine).
    """
    tolerance = _RANK_TOLERANCE * max(float(np.diag(gram).max()), 1.0)
    factor, pivots, rank, _ = lapack.dpstrf(gram, tol=tolerance, lower=0)
    basis = pivots[:rank] - 1
    return basis, np.triu(factor[:rank, :rank])


@dataclass(frozen=True)
class TwoWayWithin:
    """Residual maker for unit and period dummies under analytic weights.

    absorb(x) returns x minus its weighted least-squares fit on both sets of dummies, in the
    original units of x. sqrt_weights turns an absorbed column into the scaled space where every
    later step is plain OLS (all ones without weights). "large" is the fixed effect with more
    levels (swept out by means), "small" the other (partialled out by the T × T step).
    """

    large_codes: np.ndarray
    large_levels: int
    small_codes: np.ndarray
    small_levels: int
    weights: np.ndarray
    sqrt_weights: np.ndarray
    large_weight_sums: np.ndarray
    small_basis: np.ndarray
    small_gram_factor: np.ndarray

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
        large_sums = np.bincount(large, weights=w, minlength=n_large)
        small_sums = np.bincount(small, weights=w, minlength=n_small)
        cross = _cell_weight_sums(large, n_large, small, n_small, w)
        gram = np.diag(small_sums) - _between_part(cross, large_sums)
        basis, factor = _independent_levels(gram)
        return cls(
            large_codes=large,
            large_levels=n_large,
            small_codes=small,
            small_levels=n_small,
            weights=w,
            sqrt_weights=np.sqrt(w),
            large_weight_sums=large_sums,
            small_basis=basis,
            small_gram_factor=factor,
        )

    def absorb(self, values: np.ndarray) -> np.ndarray:
        """Values (N or N × m) minus their weighted fit on unit and period dummies."""
        x = np.asarray(values, dtype=float)
        flat = x.ndim == 1
        x2 = x[:, None] if flat else x
        w = self.weights[:, None]
        within_large = x2 - self._large_means(w * x2)
        scores = group_sums(self.small_codes, self.small_levels, w * within_large)
        fe_coef = np.zeros((self.small_levels, x2.shape[1]))
        fe_coef[self.small_basis] = cho_solve(
            (self.small_gram_factor, False), scores[self.small_basis]
        )
        fitted = fe_coef[self.small_codes]
        out = within_large - fitted + self._large_means(w * fitted)
        return out[:, 0] if flat else out

    def _large_means(self, weighted: np.ndarray) -> np.ndarray:
        """Per row, the weighted mean over its large-effect level (weighted: w · values, N × m)."""
        sums = group_sums(self.large_codes, self.large_levels, weighted)
        return (sums / self.large_weight_sums[:, None])[self.large_codes]

    def annihilate_scaled(self, scaled: np.ndarray) -> np.ndarray:
        """Residual maker in the scaled (√w) space: √w · absorb(s / √w), for N × m arrays."""
        sw = self.sqrt_weights[:, None] if scaled.ndim == 2 else self.sqrt_weights
        return sw * self.absorb(scaled / sw)
