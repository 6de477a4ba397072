"""The relative-magnitudes restriction Δ^RM(M̄) of Rambachan & Roth (2023) as linear moments.

Event-study coefficients β = τ + δ stack T pre-periods and T̄ post-periods around the reference
period 0 (normalised, δ_0 = 0, left out of β). Δ^RM(M̄) bounds every post-period change of the
trend violation by M̄ times the largest pre-period change:

    |δ_{t+1} - δ_t| <= M̄ · max_{s<0} |δ_{s+1} - δ_s|   for t >= 0.

The set is a union of polyhedra, one for each pre-period change s (its index runs from -(T-1) to 0)
that attains the maximum and each sign of that change. For a fixed (s, sign) every first
difference is bounded by ±(the s-th difference), with factor 1 before and M̄ after period 0:
A_(s,±) δ <= 0. The rows are ordered as in R package HonestDiD (``.create_A_RM``): first all
"+difference" rows, then all "-difference" rows, identically zero rows dropped. The order matters
only to reproduce HonestDiD's simulated critical values draw for draw.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from scipy.optimize import linprog


def rm_constraints(num_pre: int, num_post: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """A with A δ <= 0 ⟺ δ ∈ Δ^RM_(s,±)(M̄); columns are β's (pre-periods, then post-periods)."""
    n = num_pre + num_post
    diffs = np.zeros((n, n + 1))  # row r: δ_{r+1} - δ_r with period 0 still included
    for r in range(n):
        diffs[r, r : r + 2] = (-1.0, 1.0)
    max_diff = np.zeros(n + 1)
    max_diff[num_pre + s - 1 : num_pre + s + 1] = (-1.0, 1.0)
    if not positive:
        max_diff = -max_diff
    bound = np.vstack([np.tile(max_diff, (num_pre, 1)), np.tile(mbar * max_diff, (num_post, 1))])
    a = np.vstack([diffs - bound, -diffs - bound])
    a = a[np.einsum("ij,ij->i", a, a) > 1e-10]
    return np.delete(a, num_pre, axis=1)  # drop the normalised period 0


def post_moment_rows(a: np.ndarray, num_pre: int) -> np.ndarray:
    """Rows that involve a post-period coefficient: the moments HonestDiD tests.

    (Its default ``postPeriodMomentsOnly = TRUE``: the pre-period rows only say which change is the
    largest, and the test stays valid using the post-period rows alone.)
    """
    return np.flatnonzero(np.any(a[:, num_pre:] != 0, axis=1))


def combinations_s(num_pre: int) -> Iterator[tuple[int, bool]]:
    """Every (s, sign) whose polyhedra make up Δ^RM, in HonestDiD's order."""
    for s in range(-(num_pre - 1), 1):
        yield s, True
    for s in range(-(num_pre - 1), 1):
        yield s, False


def gamma_matrix(l_vec: np.ndarray) -> np.ndarray:
    """An invertible matrix whose first row is l'.

    Other rows are unit vectors for every coordinate but l's largest one. The test does not depend
    on that choice: other rows only re-parametrise the nuisance directions {u : l'u = 0}.
    """
    t = l_vec.shape[0]
    pivot = int(np.argmax(np.abs(l_vec)))
    rows = [l_vec] + [np.eye(t)[j] for j in range(t) if j != pivot]
    return np.vstack(rows)


def identified_set(
    betahat: np.ndarray, num_pre: int, num_post: int, mbar: float, l_vec: np.ndarray
) -> tuple[float, float]:
    """Bounds of θ = l'τ_post when β is known exactly (no sampling error), under Δ^RM(M̄).

    For each (s, sign): with δ_pre = β_pre fixed, θ = l'β_post - l'δ_post, and l'δ_post ranges over
    an LP's optimum. The identified set is the hull of the per-(s, sign) ranges (Rambachan & Roth
    2023, Lemma 2.1 and section 4.2 take the union; it is an interval here).
    """
    theta = float(l_vec @ betahat[num_pre:])
    objective = np.concatenate([np.zeros(num_pre), l_vec])
    equality = np.hstack([np.eye(num_pre), np.zeros((num_pre, num_post))])
    low, high = math.inf, -math.inf
    bounds = [(None, None)] * (num_pre + num_post)
    for s, positive in combinations_s(num_pre):
        a = rm_constraints(num_pre, num_post, mbar, s, positive)
        common = {
            "A_ub": a,
            "b_ub": np.zeros(a.shape[0]),
            "A_eq": equality,
            "b_eq": betahat[:num_pre],
            "bounds": bounds,
            "method": "highs",
        }
        lowest = linprog(objective, **common)
        highest = linprog(-objective, **common)
        if lowest.status != 0 or highest.status != 0:
            continue  # this (s, sign) is incompatible with the pre-period coefficients
        low = min(low, theta + highest.fun)  # θ - max l'δ_post
        high = max(high, theta - lowest.fun)  # θ - min l'δ_post
    return low, high
