"""Where K new places of help would bring people closest to help (SPEC §9 `siting --objective
distance`): the p-median problem with existing places.

Each resident point i (people w_i) goes to its nearest place, new or existing; the existing ones
are at distance d0_i (infinite without any). Choose K of the candidate sites so that the
people-weighted sum of these distances is smallest (Hakimi 1964; with fixed existing places as
in ReVelle & Swain 1970). Maximal covering (`evaluation.siting`) counts only who crosses a
threshold; the p-median also values bringing the far-away closer.

The formulation is the classic assignment one (ReVelle & Swain 1970) over the pairs that can
matter: candidate j is worth assigning point i to only when it is closer than d0_i. With x_j = 1
for a chosen site, y_ij for point i going to site j and s_i for staying with the existing place:

    minimise    Σ_i w_i (Σ_j d_ij y_ij + d0_i s_i)
    subject to  Σ_j y_ij + s_i = 1,  y_ij ≤ x_j,  Σ_j x_j = K,
                x_j ∈ {0, 1},  0 ≤ y_ij, s_i ≤ 1.

With x integral the best y sends each point to its nearest chosen site (or keeps it), so y and s
need not be declared integer. Measured against the cumulative ("radius") formulation of Elloumi
(2010), written as a sparse chain: the same bound, but HiGHS's dual simplex solved the assignment
form six times faster on 1,000 points.

**Lazy radius.** A point far from everything would need every candidate. Instead each point
starts with its `first` nearest candidates; beyond the last one known, its distance is taken as
that last distance (a lower bound, since no unknown candidate is closer). The truncated programme
is a relaxation of the true one: when its optimal choice costs, measured in full, what the
truncated programme says, that choice is optimal for the true programme. Otherwise the points
whose true distance exceeded their truncation get twice as many candidates, and it is solved
again (each such point then knows every candidate within the distance the choice gave it, and
at least twice as many as before). This ends: each round widens at least one point, and a point
with all candidates known is exact.

Solved by HiGHS's branch and bound (through `scipy.optimize.milp`) to a relative gap of zero;
`optimal` is HiGHS's proof. The trade-off curve solves K = 1, 2, … each to optimality, each
starting from the radii the previous size needed (a larger K never needs wider radii in
practice, so later sizes usually take one round).

Distances are straight lines (k-d trees) unless a point×candidate matrix is given
(`siting --network`: walking distances, `evaluation.walking.walking_distance_matrix`); the
programme and its proof are the same, only the nearest candidates are found by sorting rows.

Pure: arrays in (metric coordinates, metres), a frozen result out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix
from scipy.spatial import cKDTree

# scipy.optimize's status for a programme solved to optimality.
_OPTIMAL = 0
# Candidates known per point in the first round, and the relative slack between the truncated
# programme's value and the choice's true cost that still counts as equal (floating point).
_FIRST = 16
_TOLERANCE = 1e-9
# The cost of staying unreached, in multiples of the longest distance in the programme.
_UNREACHED = 1e3


@dataclass(frozen=True)
class MedianSolution:
    """One size K solved: chosen candidates (indices, most people served first), the people
    each new site serves (those for whom it is now the nearest place) and, of these, the people
    it brings newly within `within` metres; the people-weighted sum of distances to the nearest
    place after adding them (person-metres), HiGHS's proof, and the lazy rounds it took."""

    chosen: tuple[int, ...]
    served: tuple[float, ...]
    newly_covered: tuple[float, ...]
    total_distance: float
    optimal: bool
    rounds: int

    @property
    def gain(self) -> float:
        """The people newly within `within` metres of a place (0 without a `within`)."""
        return float(sum(self.newly_covered))


@dataclass(frozen=True)
class Median:
    """best: the solution for `add` sites; curve: 1..add (the last is `best`). people: the
    people counted; total_before: their people-weighted distance to the existing places
    (infinite when there is none)."""

    add: int
    within: float | None
    people: float
    total_before: float
    covered_before: float
    candidates: int
    best: MedianSolution
    curve: tuple[MedianSolution, ...]

    @property
    def optimal(self) -> bool:
        return all(s.optimal for s in self.curve)

    @property
    def covered_after(self) -> float:
        """People within `within` of a place once the best choice is added."""
        return self.covered_before + self.best.gain

    def mean_distance(self, total: float) -> float | None:
        """People-weighted mean distance (metres) for a total, None when nobody or infinite."""
        if self.people <= 0 or not np.isfinite(total):
            return None
        return total / self.people


def p_median(
    demand: np.ndarray,
    people: np.ndarray,
    existing: np.ndarray,
    candidates: np.ndarray,
    add: int,
    *,
    within: float | None = None,
    curve: bool = True,
    time_limit: float | None = None,
    distances: np.ndarray | None = None,
) -> Median:
    """demand: n×2 resident points with `people` (n); existing: n distances (metres) to the
    nearest existing place, infinite where there is none; candidates: m×2 sites; within: the
    distance that counts as covered, for the covered people reported beside the distances (it
    does not enter the objective); distances: n×m metres from each point to each site where
    the straight line is not the measure (`siting --network`: walking distances, infinite
    where unreachable). See the module docstring."""
    if add < 1:
        raise ValueError(f"at least one place must be added, not {add}")
    people = np.asarray(people, dtype=float)
    living = people > 0
    points = np.asarray(demand, float).reshape(-1, 2)[living]
    weights = people[living]
    before = np.asarray(existing, dtype=float)[living]
    sites = np.asarray(candidates, dtype=float).reshape(-1, 2)
    if len(sites) == 0:
        raise ValueError("no candidate sites")
    metric = (
        _Straight(points, sites)
        if distances is None
        else _Measured(np.asarray(distances, dtype=float)[living])
    )
    known = np.full(len(points), min(_FIRST, len(sites)), dtype=np.int64)
    solutions = []
    for k in range(1, add + 1) if curve else (add,):
        solution, known = _solve(metric, weights, before, min(k, len(sites)), known, within,
                                 time_limit)  # fmt: skip
        solutions.append(solution)
    return Median(
        add=add,
        within=within,
        people=float(weights.sum()),
        total_before=float((weights * before).sum()) if len(weights) else 0.0,
        covered_before=float(weights[before <= within].sum()) if within is not None else 0.0,
        candidates=len(sites),
        best=solutions[-1],
        curve=tuple(solutions),
    )


class _Straight:
    """Straight-line distances between resident points and candidate sites (k-d trees)."""

    def __init__(self, points: np.ndarray, sites: np.ndarray) -> None:
        self.points, self.sites, self.tree = points, sites, cKDTree(sites)
        self.sites_count = len(sites)

    def nearest(self, rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """The `count` nearest sites of the points `rows`: (distances, sites), nearest first."""
        distance, site = self.tree.query(self.points[rows], k=count)
        return (np.asarray(distance, float).reshape(len(rows), -1),
                np.asarray(site).reshape(len(rows), -1))  # fmt: skip

    def closer(self, rows: np.ndarray, radius: np.ndarray) -> np.ndarray:
        """How many sites lie within `radius` of each point of `rows`."""
        return np.asarray(self.tree.query_ball_point(self.points[rows], radius,
                                                     return_length=True))  # fmt: skip

    def to_chosen(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each point's distance to its nearest chosen site, and which of `chosen` it is."""
        distance, nearest = cKDTree(self.sites[chosen]).query(self.points, k=1)
        return np.asarray(distance, float), np.asarray(nearest)


class _Measured:
    """Distances given as an n×m matrix (walking distances): the same questions by sorting."""

    def __init__(self, distances: np.ndarray) -> None:
        self.distances, self.sites_count = distances, distances.shape[1]

    def nearest(self, rows: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        site = np.argsort(self.distances[rows], axis=1, kind="stable")[:, :count]
        return np.take_along_axis(self.distances[rows], site, axis=1), site

    def closer(self, rows: np.ndarray, radius: np.ndarray) -> np.ndarray:
        return (self.distances[rows] <= radius[:, None]).sum(axis=1)

    def to_chosen(self, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        near = self.distances[:, chosen]
        nearest = near.argmin(axis=1)
        return near[np.arange(len(near)), nearest], nearest


def _true_costs(metric: _Straight | _Measured, before: np.ndarray, chosen) -> np.ndarray:
    """Each point's distance to its nearest place once the chosen sites are added."""
    if len(before) == 0 or len(chosen) == 0:
        return before.copy()
    distance, _ = metric.to_chosen(np.asarray(chosen))
    return np.minimum(before, distance)


def _solve(
    metric: _Straight | _Measured,
    weights: np.ndarray,
    before: np.ndarray,
    k: int,
    known: np.ndarray,
    within: float | None,
    time_limit: float | None,
) -> tuple[MedianSolution, np.ndarray]:
    rounds = 0
    while True:
        rounds += 1
        pairs = _pairs(metric, before, known)
        chosen, optimal = _programme(pairs, weights, metric.sites_count, k, time_limit)
        costs = _true_costs(metric, before, chosen)
        total = float((weights * costs).sum())
        short = (costs > pairs.cap * (1 + _TOLERANCE) + _TOLERANCE) & pairs.truncated
        if not short.any() or not optimal:
            # No point was charged less than its true distance: the truncated programme's
            # optimum is attained by a true choice, so that choice is optimal. (Without the
            # solver's proof, the choice is returned and marked not optimal.)
            found = _solution(metric, before, chosen, weights, within)
            return MedianSolution(*found, total, optimal, rounds), known
        # Widen the short points to at least every candidate within their present distance
        # (their optimum may lie there), and at least twice as far as before.
        nearer = metric.closer(np.flatnonzero(short), costs[short])
        wider = np.maximum(known[short] * 2, nearer + 1)
        known[short] = np.minimum(wider, metric.sites_count)


@dataclass(frozen=True)
class _Pairs:
    """The truncated pairs of every point: point, candidate and distance of each pair closer
    than the point's cap; cap: each point's last modelled distance (d0, or the farthest known
    candidate); truncated: whether candidates beyond the cap are unknown."""

    point: np.ndarray
    site: np.ndarray
    distance: np.ndarray
    cap: np.ndarray
    truncated: np.ndarray


def _pairs(metric: _Straight | _Measured, before: np.ndarray, known: np.ndarray) -> _Pairs:
    """The candidates closer than each point's cap, grouped by how many candidates each point
    knows (one k-d tree query per group)."""
    m = metric.sites_count
    cap = before.copy()
    truncated = np.zeros(len(before), dtype=bool)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for count in np.unique(known):
        group = np.flatnonzero(known == count)
        distance, site = metric.nearest(group, int(count))
        # Beyond the farthest known candidate a point's distance is at least that far (every
        # closer candidate is known); with all candidates known that is also where the farthest
        # chosen site would put it, so the cap is exact.
        last = distance[:, -1]
        cut = last < cap[group]
        truncated[group[cut]] = count < m
        cap[group[cut]] = last[cut]
        keep = distance < cap[group][:, None]
        found.append((np.broadcast_to(group[:, None], distance.shape)[keep], site[keep],
                      distance[keep]))  # fmt: skip
    point, site, distance = (np.concatenate(parts) for parts in zip(*found, strict=True))
    return _Pairs(point, site, distance, cap, truncated)


def _programme(
    pairs: _Pairs, weights: np.ndarray, m: int, k: int, time_limit: float | None
) -> tuple[np.ndarray, bool]:
    """Solve the truncated programme (module docstring): (chosen sites, HiGHS's proof)."""
    p, n = len(pairs.point), len(weights)
    if p == 0:  # no candidate is closer than any existing place: any k sites do
        return np.arange(k), True
    # Variables: x (m sites, binary), y (p pairs), s (n: served at the cap), all in [0, 1].
    # A point no place reaches unless a new one does (walking distances across separate pieces
    # of a network) stays at a penalty far beyond every real distance: reach it if possible.
    finite = pairs.distance.max(initial=0.0) + np.max(
        pairs.cap, initial=0.0, where=np.isfinite(pairs.cap)
    )
    stay = np.where(np.isfinite(pairs.cap), pairs.cap, _UNREACHED * max(finite, 1.0))
    objective = np.concatenate([np.zeros(m), weights[pairs.point] * pairs.distance,
                                weights * stay])  # fmt: skip
    pair_columns = m + np.arange(p)
    assigned = coo_matrix(  # Σ_j y_ij + s_i = 1
        (np.ones(p + n), (np.concatenate([pairs.point, np.arange(n)]),
                          np.concatenate([pair_columns, m + p + np.arange(n)]))),
        shape=(n, m + p + n),
    ).tocsr()  # fmt: skip
    opened = coo_matrix(  # y_ij − x_j ≤ 0
        (np.concatenate([np.ones(p), -np.ones(p)]),
         (np.tile(np.arange(p), 2), np.concatenate([pair_columns, pairs.site]))),
        shape=(p, m + p + n),
    ).tocsr()  # fmt: skip
    count = csr_matrix(np.concatenate([np.ones(m), np.zeros(p + n)]))
    options: dict[str, float | bool] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        objective,
        integrality=np.concatenate([np.ones(m), np.zeros(p + n)]),
        bounds=Bounds(np.zeros(m + p + n), np.ones(m + p + n)),
        constraints=[
            LinearConstraint(assigned, 1.0, 1.0),
            LinearConstraint(opened, -np.inf, 0.0),
            LinearConstraint(count, k, k),
        ],
        options=options,
    )
    if result.x is None:
        raise RuntimeError(f"the solver found no solution: {result.message}")
    return np.flatnonzero(result.x[:m] > 0.5), result.status == _OPTIMAL


def _solution(
    metric: _Straight | _Measured,
    before: np.ndarray,
    chosen: np.ndarray,
    weights: np.ndarray,
    within: float | None,
) -> tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]]:
    """The chosen sites, most people served first; the people each serves (it is their nearest
    place now, closer than before) and those it brings newly within `within`."""
    served, newly = np.zeros(len(chosen)), np.zeros(len(chosen))
    if len(chosen) and len(before):
        distance, nearest = metric.to_chosen(np.asarray(chosen))
        gains = distance < before
        np.add.at(served, nearest[gains], weights[gains])
        if within is not None:
            reached = gains & (distance <= within) & (before > within)
            np.add.at(newly, nearest[reached], weights[reached])
    order = np.argsort(-served, kind="stable")
    return (
        tuple(int(c) for c in np.asarray(chosen)[order]),
        tuple(float(v) for v in served[order]),
        tuple(float(v) for v in newly[order]),
    )
