"""Where K new places of help would bring people closest to help (SPEC §9 `siting --objective
distance`): the p-median problem with existing places.

Each resident point i (people w_i) goes to its nearest place, new or existing; the existing ones
are at distance d0_i (infinite without any). Choose K of the candidate sites so that the
people-weighted sum of these distances is smallest (Hakimi 1964; with fixed existing places as
in ReVelle & Swain 1970). Maximal covering (`evaluation.siting`) counts only who crosses a
threshold; the p-median also values bringing the far-away closer.

The programme is the classic assignment one (ReVelle & Swain 1970). With x_j = 1 for a chosen
site, y_ij for point i going to site j and s_i for staying with the existing place:

    minimise    Σ_i w_i (Σ_j d_ij y_ij + d0_i s_i)
    subject to  Σ_j y_ij + s_i = 1,  y_ij ≤ x_j,  Σ_j x_j = K,
                x_j ∈ {0, 1},  0 ≤ y_ij, s_i ≤ 1.

**How it is solved, and proven.** Handing the whole programme to a MILP solver is exact but slow:
a good choice of 10 among 5,000 populated cells leaves 741,000 (point, candidate) pairs nearer
than the chosen place, and HiGHS took minutes. So the work is split in three, each in compiled
loops (`evaluation.p_median_kernels`):

1. *A good choice*: greedy addition, then exchanges of one chosen site for one candidate while
   any lowers the total (Teitz & Bart 1968), started again from the best choices step 2 meets.
2. *A bound*: Lagrangian relaxation of the assignment rows with prices λ_i (Cornuéjols, Fisher &
   Nemhauser 1977): L(λ) = Σ λ_i + Σ min(0, w_i d0_i − λ_i) + the K smallest ρ_j, with
   ρ_j = Σ_i min(0, w_i d_ij − λ_i), is below the optimum for every λ. Its maximum equals the
   linear relaxation's value, which for these problems is usually the optimum itself; it is
   approached by the volume algorithm. When the bound reaches the choice's total (to a relative
   1e-9, the precision of the sums), the choice is proven optimal.
3. *Otherwise, branch and bound on what is left*: the bound excludes every candidate j whose
   opening alone lifts it above the best total (L + ρ_j − ρ_[K] > best) and every pair whose use
   does (… + (w_i d_ij − λ_i)⁺ > best); HiGHS's branch and bound (`scipy.optimize.milp`, relative
   gap zero) solves the programme on the rest, which holds every choice that could be better.
   `optimal` is then HiGHS's proof.

The prices are capped at twice each point's second-nearest place in the first choice (or its
existing place), so that only the pairs below that distance are kept (2.1 million instead of 22
for 5,000 cells); the bound is valid for any prices, the cap can only make it weaker, and step 3
needs no cap.

A point no place can reach (walking distances across separate pieces of a network, and no
existing place) stays at a penalty far beyond every real distance, so that it is reached if any
choice can; its true distance stays infinite in the totals reported.

The trade-off curve solves K = 1, 2, … each to optimality, each starting from the choice and the
prices of the size before. K = 1 is solved by measuring every candidate.

Distances are straight lines (computed from the coordinates) unless a point×candidate matrix is
given (`siting --network`: walking distances, `evaluation.walking.walking_distance_matrix`).

Pure: arrays in (metric coordinates, metres), a frozen result out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, csr_matrix

from evaluation import p_median_kernels as kernels

# scipy.optimize's status for a programme solved to optimality.
_OPTIMAL = 0
# The relative gap between bound and total that counts as none: the sums are of floating-point
# numbers, so two totals this close are the same.
_TOLERANCE = 1e-9
# Volume steps per size before the bound hands over to branch and bound.
_STEPS = 3000
# Prices are capped at this multiple of a point's second-nearest place (module docstring).
_PRICE_RADIUS = 2.0
# The cost of staying unreached, in multiples of the longest finite distance.
_UNREACHED = 1e3


@dataclass(frozen=True)
class MedianSolution:
    """One size K solved: chosen candidates (indices, most people served first), the people
    each new site serves (those for whom it is now the nearest place) and, of these, the people
    it brings newly within `within` metres; the people-weighted sum of distances to the nearest
    place after adding them (person-metres), whether that is proven optimal, and the proven
    lower bound on that sum (equal to it when optimal)."""

    chosen: tuple[int, ...]
    served: tuple[float, ...]
    newly_covered: tuple[float, ...]
    total_distance: float
    optimal: bool
    bound: float

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
    where unreachable); time_limit: seconds for each branch and bound (step 3). See the module
    docstring."""
    if add < 1:
        raise ValueError(f"at least one place must be added, not {add}")
    people = np.asarray(people, dtype=float)
    living = people > 0
    sites = np.asarray(candidates, dtype=float).reshape(-1, 2)
    if len(sites) == 0:
        raise ValueError("no candidate sites")
    problem = _Problem.of(
        np.asarray(demand, float).reshape(-1, 2)[living],
        people[living],
        np.asarray(existing, dtype=float)[living],
        sites,
        None if distances is None else np.asarray(distances, dtype=float)[living],
    )
    solutions: list[MedianSolution] = []
    chosen, prices = np.empty(0, np.int64), None
    for k in range(1, add + 1) if curve else (add,):
        solution, chosen, prices = _solve(problem, min(k, len(sites)), chosen, prices,
                                          within, time_limit)  # fmt: skip
        solutions.append(solution)
    weights, before = problem.weights, problem.before
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


@dataclass(frozen=True)
class _Problem:
    """The arrays the kernels take: points and sites (coordinates), matrix (the distances when
    given, else empty), weights, before (true distances to the existing places) and stay (the
    same with the unreached penalty instead of infinity)."""

    points: np.ndarray
    sites: np.ndarray
    matrix: np.ndarray
    weights: np.ndarray
    before: np.ndarray
    stay: np.ndarray

    @classmethod
    def of(
        cls,
        points: np.ndarray,
        weights: np.ndarray,
        before: np.ndarray,
        sites: np.ndarray,
        matrix: np.ndarray | None,
    ) -> _Problem:
        measured = np.empty((0, 0)) if matrix is None else matrix
        longest = max(
            np.max(before, initial=0.0, where=np.isfinite(before)),
            np.max(measured, initial=0.0, where=np.isfinite(measured)),
            _diameter(points, sites) if matrix is None else 0.0,
        )
        stay = np.where(np.isfinite(before), before, _UNREACHED * max(longest, 1.0))
        return cls(np.ascontiguousarray(points), np.ascontiguousarray(sites),
                   np.ascontiguousarray(measured), weights, before, stay)  # fmt: skip

    @property
    def sites_count(self) -> int:
        return len(self.sites)

    def total(self, chosen: np.ndarray) -> float:
        """The people-weighted distance with `chosen` added, unreached points at the penalty."""
        first, _, _ = kernels.nearest_two(self.points, self.sites, self.matrix, self.stay,
                                          np.asarray(chosen, np.int64))  # fmt: skip
        return float(self.weights @ first)


def _diameter(points: np.ndarray, sites: np.ndarray) -> float:
    """The diagonal of the box around points and sites: no straight line is longer."""
    both = np.concatenate([points, sites])
    return float(np.hypot(*(both.max(axis=0) - both.min(axis=0)))) if len(both) else 0.0


def _solve(
    problem: _Problem,
    k: int,
    start: np.ndarray,
    prices: np.ndarray | None,
    within: float | None,
    time_limit: float | None,
) -> tuple[MedianSolution, np.ndarray, np.ndarray | None]:
    """Size k, from the choice and prices of the size before: (solution, choice, prices)."""
    if len(problem.weights) == 0 or k >= problem.sites_count:  # nobody, or every site
        chosen = np.arange(k) if len(problem.weights) == 0 else np.arange(problem.sites_count)
        return _finished(problem, chosen, within, optimal=True, bound=None), chosen, prices
    if k == 1:  # measure every candidate
        saved = kernels.gains(problem.points, problem.sites, problem.matrix, problem.weights,
                              problem.stay, np.ones(problem.sites_count, np.bool_))  # fmt: skip
        chosen = np.array([int(np.argmax(saved))])
        return _finished(problem, chosen, within, optimal=True, bound=None), chosen, None
    chosen = _greedy(problem, start, k)
    first, _, second = kernels.nearest_two(problem.points, problem.sites, problem.matrix,
                                           problem.stay, chosen)  # fmt: skip
    upper = float(problem.weights @ first)
    relaxation = _Relaxation.of(problem, np.minimum(problem.stay, _PRICE_RADIUS * second), k)
    start_prices = problem.weights * first if prices is None else prices
    bound, prices, trial, trial_total = relaxation.maximise(problem, start_prices, upper)
    if trial_total < upper:
        trial = _exchange(problem, trial)
        trial_total = problem.total(trial)
        if trial_total < upper:
            chosen, upper = trial, trial_total
    if upper - bound <= _TOLERANCE * upper:
        return _finished(problem, chosen, within, optimal=True, bound=bound), chosen, prices
    chosen, optimal = _branch_and_bound(problem, relaxation, prices, chosen, upper, time_limit)
    return _finished(problem, chosen, within, optimal, bound), chosen, prices


def _greedy(problem: _Problem, start: np.ndarray, k: int) -> np.ndarray:
    """`start` and then, one at a time, the candidate that saves the most, up to k sites."""
    chosen = [int(c) for c in start]
    allowed = np.ones(problem.sites_count, np.bool_)
    allowed[chosen] = False
    while len(chosen) < k:
        current, _, _ = kernels.nearest_two(problem.points, problem.sites, problem.matrix,
                                            problem.stay, np.array(chosen, np.int64))  # fmt: skip
        saved = kernels.gains(problem.points, problem.sites, problem.matrix, problem.weights,
                              current, allowed)  # fmt: skip
        best = int(np.argmax(saved))
        chosen.append(best)
        allowed[best] = False
    return np.array(chosen, np.int64)


def _exchange(problem: _Problem, chosen: np.ndarray) -> np.ndarray:
    """Exchange one chosen site for one candidate, the best exchange each time, while any
    lowers the total by more than the sums' precision."""
    chosen = np.array(chosen, np.int64)
    allowed = np.ones(problem.sites_count, np.bool_)
    while True:
        allowed[:] = True
        allowed[chosen] = False
        change, site, slot = kernels.best_swap(
            problem.points, problem.sites, problem.matrix, problem.weights, problem.stay,
            chosen, allowed,
        )  # fmt: skip
        if site < 0 or change >= -_TOLERANCE * problem.total(chosen):
            return chosen
        chosen[slot] = site


@dataclass(frozen=True)
class _Relaxation:
    """The Lagrangian relaxation for k sites over the pairs below each point's price cap."""

    start: np.ndarray
    site: np.ndarray
    distance: np.ndarray
    cap: np.ndarray
    k: int

    @classmethod
    def of(cls, problem: _Problem, radius: np.ndarray, k: int) -> _Relaxation:
        start, site, distance = kernels.pairs_within(problem.points, problem.sites, problem.matrix,
                                                     radius, problem.sites_count)  # fmt: skip
        return cls(start, site, distance, problem.weights * radius, k)

    def maximise(
        self, problem: _Problem, prices: np.ndarray, upper: float
    ) -> tuple[float, np.ndarray, np.ndarray, float]:
        """(best bound, its prices, the best relaxed choice measured, its total)."""
        bound, prices, trial, total, _ = kernels.volume(
            self.start, self.site, self.distance, problem.weights, problem.weights * problem.stay,
            self.cap, np.clip(prices, 0.0, self.cap), problem.sites_count, self.k,
            problem.points, problem.sites, problem.matrix, problem.stay,
            upper, _TOLERANCE, _STEPS,
        )  # fmt: skip
        return float(bound), prices, trial, float(total)

    def floors(self, problem: _Problem, prices: np.ndarray) -> np.ndarray:
        """Per candidate, the bound with that candidate forced open."""
        value, worth, order, _ = kernels.lagrangian(
            self.start, self.site, self.distance, problem.weights, problem.weights * problem.stay,
            prices, problem.sites_count, self.k,
        )  # fmt: skip
        extra = np.maximum(worth - worth[order[self.k - 1]], 0.0)
        extra[order[: self.k]] = 0.0
        return value + extra


def _branch_and_bound(
    problem: _Problem,
    relaxation: _Relaxation,
    prices: np.ndarray,
    chosen: np.ndarray,
    upper: float,
    time_limit: float | None,
) -> tuple[np.ndarray, bool]:
    """Step 3 of the module docstring: the best choice among the candidates and pairs the bound
    leaves, or `chosen` when none is better; and HiGHS's proof."""
    floors = relaxation.floors(problem, prices)
    keep = floors <= upper * (1 + _TOLERANCE)
    keep[chosen] = True  # the best choice stays possible, so the programme can only improve it
    free = np.flatnonzero(keep)
    point, which, distance = kernels.promising_pairs(
        problem.points, problem.sites, problem.matrix, problem.weights, problem.stay, prices,
        free, floors[free], upper * (1 + _TOLERANCE),
    )  # fmt: skip
    found, optimal = _programme(point, which, distance, problem, len(free), relaxation.k,
                                time_limit)  # fmt: skip
    if found is None or problem.total(free[found]) >= upper:
        return chosen, optimal
    return free[found], optimal


def _programme(
    point: np.ndarray,
    site: np.ndarray,
    distance: np.ndarray,
    problem: _Problem,
    m: int,
    k: int,
    time_limit: float | None,
) -> tuple[np.ndarray | None, bool]:
    """Solve the programme over the given pairs and m candidates (module docstring): (chosen
    candidates or None without any solution, HiGHS's proof)."""
    p, n = len(point), len(problem.weights)
    weights = problem.weights
    # Variables: x (m sites, binary), y (p pairs), s (n: stay with the existing place), in [0, 1].
    objective = np.concatenate([np.zeros(m), weights[point] * distance, weights * problem.stay])
    pair_columns = m + np.arange(p)
    assigned = coo_matrix(  # Σ_j y_ij + s_i = 1
        (np.ones(p + n), (np.concatenate([point, np.arange(n)]),
                          np.concatenate([pair_columns, m + p + np.arange(n)]))),
        shape=(n, m + p + n),
    ).tocsr()  # fmt: skip
    opened = coo_matrix(  # y_ij − x_j ≤ 0
        (np.concatenate([np.ones(p), -np.ones(p)]),
         (np.tile(np.arange(p), 2), np.concatenate([pair_columns, site]))),
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
        return None, False
    return np.flatnonzero(result.x[:m] > 0.5), result.status == _OPTIMAL


def _finished(
    problem: _Problem,
    chosen: np.ndarray,
    within: float | None,
    optimal: bool,
    bound: float | None,
) -> MedianSolution:
    """The solution of a choice: the chosen sites, most people served first; the people each
    serves (it is their nearest place now, closer than before) and those it brings newly within
    `within`; the total with true distances (infinite for a point left unreached)."""
    chosen = np.asarray(chosen, np.int64)
    served, newly = np.zeros(len(chosen)), np.zeros(len(chosen))
    weights, before = problem.weights, problem.before
    distance, nearest, _ = kernels.nearest_two(problem.points, problem.sites, problem.matrix,
                                               before, chosen)  # fmt: skip
    gains = nearest >= 0
    np.add.at(served, nearest[gains], weights[gains])
    if within is not None:
        reached = gains & (distance <= within) & (before > within)
        np.add.at(newly, nearest[reached], weights[reached])
    total = float(weights @ distance) if len(weights) else 0.0
    order = np.argsort(-served, kind="stable")
    return MedianSolution(
        chosen=tuple(int(c) for c in chosen[order]),
        served=tuple(float(v) for v in served[order]),
        newly_covered=tuple(float(v) for v in newly[order]),
        total_distance=total,
        optimal=optimal,
        bound=total if optimal or bound is None else min(bound, total),
    )
