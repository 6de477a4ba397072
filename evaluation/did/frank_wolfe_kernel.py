"""Synthetic DiD's Frank–Wolfe loop, compiled.

`synthetic_weights.frank_wolfe` prepares a batch of problems (centring, padding, penalties) and
hands the iterations to this kernel. Why compiled: the time weights are fitted almost without a
penalty (ζ_λ = 1e-6 σ, as R's synthdid), so many problems creep along a face of the simplex for
thousands of iterations until R's stopping rule is met; vectorised over a batch, those last few
problems paid numpy's per-call overhead every iteration, and a city's randomization test (several
hundred placements, each solved from scratch) spent 95 % of its time there. Compiled, one problem
after the other, the same arithmetic costs about a fortieth (measured in
docs/performance-evaluation.md). numba caches the machine code beside this file (or in the user's
cache directory when that is not writable), so only the first call on a machine compiles.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def frank_wolfe_each(
    a: np.ndarray,
    b: np.ndarray,
    x: np.ndarray,
    zeta_sq: np.ndarray,
    threshold: np.ndarray,
    n: np.ndarray,
    blocked: np.ndarray,
    max_iter: int,
) -> None:
    """Frank–Wolfe for each problem of the batch in turn, updating x in place.

    a (B, n, k) and b (B, n) centred and padded by `synthetic_weights.frank_wolfe`; x (B, k) the
    starting points; zeta_sq, threshold (min_decrease²), n (rows counted) one per problem;
    blocked (B, k) 0 for a real column, inf for padding.

    Compiled (numba), one problem after the other: each stops by its own criterion, and the
    problems that run to many iterations (time weights fitted almost without a penalty converge
    slowly on a face of the simplex) no longer pay a vectorised loop's per-iteration overhead.
    The arithmetic is the batched version's, element for element.
    """
    n_rows, n_cols = a.shape[1], a.shape[2]
    residual = np.empty(n_rows)
    d_err = np.empty(n_rows)
    half_grad = np.empty(n_cols)
    for p in range(a.shape[0]):
        eta = n[p] * zeta_sq[p]
        for i in range(n_rows):
            total = 0.0
            for j in range(n_cols):
                total += a[p, i, j] * x[p, j]
            residual[i] = total - b[p, i]
        previous = 0.0
        for iteration in range(1, max_iter + 1):
            vertex = 0
            lowest = np.inf
            for j in range(n_cols):
                total = 0.0
                for i in range(n_rows):
                    total += residual[i] * a[p, i, j]
                half_grad[j] = total + eta * x[p, j]
                candidate = half_grad[j] + blocked[p, j]
                if candidate < lowest:
                    lowest, vertex = candidate, j
            x_sq = 0.0
            numerator = 0.0
            for j in range(n_cols):
                x_sq += x[p, j] * x[p, j]
                numerator += half_grad[j] * x[p, j]
            numerator -= half_grad[vertex]
            # Direction d = e_vertex − x: the gap A d and the exact minimiser along it.
            denominator = 0.0
            for i in range(n_rows):
                d_err[i] = a[p, i, vertex] - b[p, i] - residual[i]
                denominator += d_err[i] * d_err[i]
            denominator += eta * (x_sq - 2 * x[p, vertex] + 1)
            step = min(max(numerator / denominator, 0.0), 1.0) if denominator > 0 else 0.0
            for j in range(n_cols):
                x[p, j] *= 1.0 - step
            x[p, vertex] += step
            squares = 0.0
            for i in range(n_rows):
                residual[i] += step * d_err[i]
                squares += residual[i] * residual[i]
            x_sq = 0.0
            for j in range(n_cols):
                x_sq += x[p, j] * x[p, j]
            value = zeta_sq[p] * x_sq + squares / n[p]
            if iteration >= 2 and previous - value <= threshold[p]:
                break
            previous = value
