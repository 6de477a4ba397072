"""The p-median's inner loops, compiled (numba): a local search for good choices and the
Lagrangian bound that proves them optimal (`evaluation.p_median` explains the method).

Why compiled: every step touches each (resident point, candidate) pair, 22 million of them for
5,000 populated cells, and the bound takes about a thousand steps. Distances come either from
coordinates (straight lines, computed on the fly: a 5,000 × 5,000 matrix would hold 200 MB) or
from a given matrix (walking distances); an empty matrix means coordinates.

Notation as in `evaluation.p_median`: w_i people at point i, d_ij the distance to candidate j,
d0_i the distance to the nearest existing place (finite: unreached points carry a penalty).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(inline="always")
def _distance(i: int, j: int, points: np.ndarray, sites: np.ndarray, matrix: np.ndarray) -> float:
    if matrix.shape[0] > 0:
        return matrix[i, j]
    dx, dy = points[i, 0] - sites[j, 0], points[i, 1] - sites[j, 1]
    return np.sqrt(dx * dx + dy * dy)


@numba.njit(cache=True)
def nearest_two(
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, before: np.ndarray,
    chosen: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Per point: the distance to its nearest place (existing or chosen), which of `chosen` that
    is (-1: an existing place), and the distance to its second-nearest place."""
    n = before.shape[0]
    first, which, second = before.copy(), np.full(n, -1, np.int64), np.full(n, np.inf)
    for i in range(n):
        for q in range(chosen.shape[0]):
            d = _distance(i, chosen[q], points, sites, matrix)
            if d < first[i]:
                second[i], first[i], which[i] = first[i], d, q
            elif d < second[i]:
                second[i] = d
    return first, which, second


@numba.njit(cache=True)
def gains(
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, weights: np.ndarray,
    current: np.ndarray, allowed: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """What opening each allowed candidate alone would save: Σ_i w_i (current_i − d_ij)⁺
    (-1 for a candidate not allowed). For one new place this is the whole p-median."""
    result = np.full(allowed.shape[0], -1.0)
    for j in range(allowed.shape[0]):
        if allowed[j]:
            total = 0.0
            for i in range(current.shape[0]):
                d = _distance(i, j, points, sites, matrix)
                if d < current[i]:
                    total += weights[i] * (current[i] - d)
            result[j] = total
    return result


@numba.njit(cache=True)
def best_swap(
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, weights: np.ndarray,
    before: np.ndarray, chosen: np.ndarray, allowed: np.ndarray,
) -> tuple[float, int, int]:  # fmt: skip
    """The best exchange of one chosen site q for one allowed candidate j (Teitz & Bart 1968),
    evaluated exactly in one pass over the points per candidate: (change of the total, j, q);
    j = -1 when no exchange lowers the total.

    A point whose nearest place is q goes to j or to its second-nearest place; any other point
    to j when j is nearer. So the change is −gain(j) + loss(q) − regained(j, q), where loss(q)
    moves q's points to their second-nearest place and regained(j, q) is what j saves them of
    that."""
    first, which, second = nearest_two(points, sites, matrix, before, chosen)
    k = chosen.shape[0]
    loss = np.zeros(k)
    for i in range(before.shape[0]):
        if which[i] >= 0:
            loss[which[i]] += weights[i] * (second[i] - first[i])
    best, best_j, best_q = 0.0, -1, -1
    regained = np.zeros(k)
    for j in range(allowed.shape[0]):
        if not allowed[j]:
            continue
        gain = 0.0
        regained[:] = 0.0
        for i in range(before.shape[0]):
            d = _distance(i, j, points, sites, matrix)
            if d < first[i]:
                gain += weights[i] * (first[i] - d)
                if which[i] >= 0:
                    regained[which[i]] += weights[i] * (second[i] - first[i])
            elif which[i] >= 0 and d < second[i]:
                regained[which[i]] += weights[i] * (second[i] - d)
        for q in range(k):
            change = loss[q] - gain - regained[q]
            if change < best:
                best, best_j, best_q = change, j, q
    return best, best_j, best_q


@numba.njit(cache=True)
def pairs_within(
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, radius: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (point, candidate) pairs closer than each point's radius, grouped by point (start:
    each point's first pair) and nearest first within a point: (start, site, distance)."""
    n = radius.shape[0]
    start = np.zeros(n + 1, np.int64)
    for i in range(n):
        count = 0
        for j in range(m):
            if _distance(i, j, points, sites, matrix) < radius[i]:
                count += 1
        start[i + 1] = start[i] + count
    site, distance = np.empty(start[n], np.int64), np.empty(start[n])
    for i in range(n):
        p = start[i]
        for j in range(m):
            d = _distance(i, j, points, sites, matrix)
            if d < radius[i]:
                site[p], distance[p] = j, d
                p += 1
        own = slice(start[i], start[i + 1])
        order = np.argsort(distance[own], kind="mergesort")
        site[own], distance[own] = site[own][order], distance[own][order]
    return start, site, distance


@numba.njit(cache=True)
def lagrangian(
    start: np.ndarray, site: np.ndarray, distance: np.ndarray, weights: np.ndarray,
    stay: np.ndarray, prices: np.ndarray, m: int, k: int,
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The Lagrangian bound at `prices` λ (one per point; the pairs must hold every pair with
    w_i d_ij < λ_i): L(λ) = Σ λ_i + Σ min(0, w_i d0_i − λ_i) + the k smallest ρ_j, where
    ρ_j = Σ_i min(0, w_i d_ij − λ_i) is what opening j is worth at these prices.

    Returns L(λ), ρ, the candidates by ρ (the k first are the relaxation's choice) and the
    subgradient 1 − (points served in the relaxation's choice)."""
    n = weights.shape[0]
    worth = np.zeros(m)
    value = 0.0
    for i in range(n):
        value += prices[i] + min(0.0, stay[i] - prices[i])
        for p in range(start[i], start[i + 1]):
            cost = weights[i] * distance[p]
            if cost >= prices[i]:
                break
            worth[site[p]] += cost - prices[i]
    order = np.argsort(worth, kind="mergesort")
    opened = np.zeros(m, np.bool_)
    for q in range(k):
        value += worth[order[q]]
        opened[order[q]] = True
    slope = np.ones(n)
    for i in range(n):
        if stay[i] < prices[i]:
            slope[i] -= 1.0
        for p in range(start[i], start[i + 1]):
            if weights[i] * distance[p] >= prices[i]:
                break
            if opened[site[p]]:
                slope[i] -= 1.0
    return value, worth, order, slope


@numba.njit(cache=True)
def volume(
    start: np.ndarray, site: np.ndarray, distance: np.ndarray, weights: np.ndarray,
    stay: np.ndarray, cap: np.ndarray, prices: np.ndarray, m: int, k: int,
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, before: np.ndarray,
    upper: float, tolerance: float, iterations: int,
) -> tuple[float, np.ndarray, np.ndarray, float, int]:  # fmt: skip
    """Maximise the Lagrangian bound over 0 ≤ λ ≤ cap by the volume algorithm (Barahona &
    Anbil 2000): steps along a running average of subgradients, from the best prices found,
    with Polyak's step length towards the best known total `upper`. Every fifth step the
    relaxation's choice is measured in full; a better one lowers `upper`. Stops once the bound
    is within `tolerance` (relative) of `upper`, or after `iterations` steps.

    Returns the best bound, its prices, the best choice measured and its total, and the steps
    taken. Why the volume algorithm: the plain subgradient method (Held, Wolfe & Crowder 1974)
    stalled 0.1 % below the optimum on 5,000 points; averaging the directions reached it."""
    n = weights.shape[0]
    centre = prices.copy()
    best, _, order, slope = lagrangian(start, site, distance, weights, stay, centre, m, k)
    direction = slope.copy()
    trial = centre.copy()
    choice, chosen = np.empty(k, np.int64), np.empty(k, np.int64)
    found = np.inf
    step_size, reds = 0.1, 0
    steps = 0
    for steps in range(iterations):
        if steps % 5 == 0:
            choice[:] = order[:k]
            first, _, _ = nearest_two(points, sites, matrix, before, choice)
            total = 0.0
            for i in range(n):
                total += weights[i] * first[i]
            if total < found:
                found = total
                chosen[:] = choice
                upper = min(upper, total)
        if upper - best <= tolerance * abs(upper):
            break
        norm = 0.0
        for i in range(n):
            if not ((centre[i] <= 0.0 and direction[i] < 0.0)
                    or (centre[i] >= cap[i] and direction[i] > 0.0)):  # fmt: skip
                norm += direction[i] * direction[i]
        if norm == 0.0:
            break
        length = step_size * (upper - best) / norm
        for i in range(n):
            trial[i] = min(max(centre[i] + length * direction[i], 0.0), cap[i])
        value, _, order, slope = lagrangian(start, site, distance, weights, stay, trial, m, k)
        # The share of the new subgradient in the average that makes the average shortest,
        # kept between 0.01 and 0.1 as Barahona & Anbil advise.
        ss, sd, dd = 0.0, 0.0, 0.0
        for i in range(n):
            ss += slope[i] * slope[i]
            sd += slope[i] * direction[i]
            dd += direction[i] * direction[i]
        spread = ss - 2 * sd + dd
        share = 0.1 if spread <= 0 else min(max((dd - sd) / spread, 0.01), 0.1)
        for i in range(n):
            direction[i] = share * slope[i] + (1 - share) * direction[i]
        if value > best:  # an improvement moves the centre
            ascent = 0.0
            for i in range(n):
                ascent += slope[i] * (trial[i] - centre[i])
            if ascent > 0.0:  # "green": still climbing, so lengthen the step a little
                step_size = min(step_size * 1.1, 2.0)
            best = value
            centre[:] = trial
            reds = 0
        else:  # "red": after twenty in a row, shorten the step
            reds += 1
            if reds >= 20:
                step_size, reds = max(step_size * 0.66, 1e-7), 0
    return best, centre, chosen, found, steps


@numba.njit(cache=True)
def promising_pairs(
    points: np.ndarray, sites: np.ndarray, matrix: np.ndarray, weights: np.ndarray,
    stay: np.ndarray, prices: np.ndarray, free: np.ndarray, floor: np.ndarray, upper: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The pairs (point i, free candidate f) a choice better than `upper` may use: nearer than
    the point's existing place, and not excluded by the bound, i.e. floor_f + (w_i d_ij − λ_i)⁺
    ≤ upper, where floor_f is the bound with candidate free[f] forced open. (Forcing i to be
    served by j costs the bound at least that much more.) Returns (point, f, distance)."""
    count = 0
    for i in range(stay.shape[0]):
        for f in range(free.shape[0]):
            d = _distance(i, free[f], points, sites, matrix)
            if d < stay[i] and floor[f] + max(0.0, weights[i] * d - prices[i]) <= upper:
                count += 1
    point, which, distance = np.empty(count, np.int64), np.empty(count, np.int64), np.empty(count)
    p = 0
    for i in range(stay.shape[0]):
        for f in range(free.shape[0]):
            d = _distance(i, free[f], points, sites, matrix)
            if d < stay[i] and floor[f] + max(0.0, weights[i] * d - prices[i]) <= upper:
                point[p], which[p], distance[p] = i, f, d
                p += 1
    return point, which, distance
