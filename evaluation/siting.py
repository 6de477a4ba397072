"""Where K new places of help would cover the most people not yet covered (SPEC §9 `siting`).

The maximal covering location problem (Church & ReVelle 1974): choose K of the candidate sites
so that the most people who are not yet within reach of a place are within `within` metres of a
new one. As a mixed-integer programme, with x_j = 1 when candidate j is chosen and y_i the share
of demand point i that becomes covered:

    maximise  Σ_i w_i y_i
    subject to  y_i ≤ Σ_{j covers i} x_j   (a point is covered only by a chosen site in reach)
                Σ_j x_j = K,  x_j ∈ {0, 1},  0 ≤ y_i ≤ 1.

At an optimum y_i = min(1, Σ x_j), which is 0 or 1 when x is, so y need not be declared integer.
It is solved by HiGHS to proven optimality: first the linear relaxation, which for coverage
problems is often integral already — an integral optimum of the relaxation attains the
relaxation's upper bound and is therefore optimal, which is checked, not assumed; otherwise the
mixed-integer programme by HiGHS's branch and bound (through `scipy.optimize.milp`) with a
relative gap of zero (its presolve is left out: on dense coverage matrices it costs more than
it saves). `optimal` is false only when a time limit stopped the solver before its proof. HiGHS
is an established open-source LP/MILP solver (the default of SciPy and of JuMP's tutorials).

The relaxation is one HiGHS model (through `highspy`, HiGHS's own interface) kept for the whole
trade-off curve: the first size by interior point with crossover, every further size by changing
the bound of Σ x_j and re-solving with the dual simplex from the previous optimal basis. A new
size then costs a few pivots instead of a new solve (5,000 candidates, 1 km: the curve 1..10
took ten times one solve before, now about one).

Only demand points that are not yet covered and that some candidate reaches enter the
programme; the others cannot change the answer. Each newly covered point is attributed to the
nearest chosen site, so the chosen sites' `newly_covered` sum to the gain. The trade-off curve
solves the programme for 1, 2, …, K sites (each to optimality): how many more people each further
place reaches.

Reach is the straight line unless a point×candidate distance matrix is given (`siting
--network`: walking distances).

Pure: arrays in (metric coordinates, metres), a frozen result out.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix, hstack, identity, vstack
from scipy.spatial import cKDTree

# HiGHS's verdict for a programme solved to optimality (scipy.optimize's status 0).
_OPTIMAL = 0
# How far from 0 or 1 a relaxed site choice may be to count as integral, and the relative slack
# allowed between the relaxation's bound and the integral choice's coverage.
_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Solution:
    """One solved programme: the chosen candidates (indices, most newly covered first), the
    people each covers newly, their sum, and whether HiGHS proved it optimal."""

    chosen: tuple[int, ...]
    newly_covered: tuple[float, ...]
    gain: float
    optimal: bool


@dataclass(frozen=True)
class Siting:
    """best: the solution for `add` sites; curve: the solution for 1..add sites (the last is
    `best`). covered_before: the people already covered; candidates: how many were offered."""

    add: int
    within: float
    covered_before: float
    candidates: int
    best: Solution
    curve: tuple[Solution, ...]

    @property
    def covered_after(self) -> float:
        return self.covered_before + self.best.gain

    @property
    def optimal(self) -> bool:
        return all(s.optimal for s in self.curve)


def maximal_covering(
    demand: np.ndarray,
    people: np.ndarray,
    covered: np.ndarray,
    candidates: np.ndarray,
    within: float,
    add: int,
    *,
    curve: bool = True,
    time_limit: float | None = None,
    distances: np.ndarray | None = None,
) -> Siting:
    """demand: n×2 resident points with `people` (n); covered: which are already within reach
    of a place; candidates: m×2 sites; distances: n×m metres from each point to each site
    where the straight line is not the measure (`siting --network`: walking distances). See
    the module docstring."""
    if add < 1:
        raise ValueError(f"at least one place must be added, not {add}")
    if within <= 0:
        raise ValueError(f"the distance must be positive, not {within}")
    people = np.asarray(people, dtype=float)
    covered = np.asarray(covered, dtype=bool)
    open_ = (~covered) & (people > 0)
    points, weights = np.asarray(demand, float)[open_], people[open_]
    sites = np.asarray(candidates, dtype=float).reshape(-1, 2)
    if distances is None:
        reach = coverage_matrix(points, sites, within)
    else:
        distances = np.asarray(distances, dtype=float)[open_]
        reach = csr_matrix(distances <= within, dtype=float)
    reached = np.asarray(reach.sum(axis=1)).ravel() > 0
    reach, points, weights = reach[reached], points[reached], weights[reached]
    measured = None if distances is None else distances[reached]
    sizes = range(1, add + 1) if curve else (add,)
    model = _Relaxation(reach, weights, time_limit) if len(weights) else None
    solutions = tuple(
        _solve(reach, weights, points, sites, min(k, len(sites)), time_limit, model, measured)
        for k in sizes
    )
    return Siting(
        add=add,
        within=float(within),
        covered_before=float(people[covered & (people > 0)].sum()),
        candidates=len(sites),
        best=solutions[-1],
        curve=solutions,
    )


def coverage_matrix(points: np.ndarray, sites: np.ndarray, within: float) -> csr_matrix:
    """a_ij = 1 when site j is at most `within` metres from point i (n×m, sparse)."""
    if len(points) == 0 or len(sites) == 0:
        return csr_matrix((len(points), len(sites)), dtype=float)
    pairs = cKDTree(sites).query_ball_tree(cKDTree(points), r=within)
    columns = np.repeat(np.arange(len(sites)), [len(p) for p in pairs])
    rows = np.fromiter((i for p in pairs for i in p), dtype=np.int64, count=len(columns))
    return csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(points), len(sites)), dtype=float
    )


def _solve(
    reach: csr_matrix,
    weights: np.ndarray,
    points: np.ndarray,
    sites: np.ndarray,
    k: int,
    time_limit: float | None,
    model: _Relaxation | None,
    measured: np.ndarray | None,
) -> Solution:
    n, m = reach.shape
    if n == 0 or k == 0:  # nobody left to reach: any k sites are optimal; take the first
        chosen = tuple(range(k))
        return Solution(chosen, tuple(0.0 for _ in chosen), 0.0, True)
    bound = _relaxation(model, k)
    if bound is not None:
        relaxed, value = bound
        chosen = np.flatnonzero(relaxed > 0.5)
        if _integral(relaxed) and len(chosen) == k:
            # The relaxation's optimum bounds every choice of k sites from above; an integral
            # optimum attains that bound, so it is optimal for the programme itself.
            newly = _attributed(reach, weights, points, sites, chosen, measured)
            if newly.sum() >= value - _TOLERANCE * max(1.0, abs(value)):
                return _solution(chosen, newly, optimal=True)
    # Variables: x (m site choices, binary), then y (n covered shares, continuous).
    objective = np.concatenate([np.zeros(m), -weights])
    link = hstack([-reach, identity(n, format="csr")], format="csr")  # y_i - Σ a_ij x_j ≤ 0
    count = csr_matrix(np.concatenate([np.ones(m), np.zeros(n)]))
    options: dict[str, float | bool] = {"mip_rel_gap": 0.0, "presolve": False}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        objective,
        integrality=np.concatenate([np.ones(m), np.zeros(n)]),
        bounds=Bounds(np.zeros(m + n), np.ones(m + n)),
        constraints=[
            LinearConstraint(link, -np.inf, 0.0),
            LinearConstraint(count, k, k),
        ],
        options=options,
    )
    if result.x is None:
        raise RuntimeError(f"the solver found no solution: {result.message}")
    chosen = np.flatnonzero(result.x[:m] > 0.5)
    newly = _attributed(reach, weights, points, sites, chosen, measured)
    return _solution(chosen, newly, optimal=result.status == _OPTIMAL)


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance that says nothing (its log is switched off before any call)."""
    _swallow_banner()
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


@functools.cache
def _swallow_banner() -> None:
    """HiGHS writes its English banner ("Running HiGHS … Copyright …") to the process's stdout
    when the process makes its first instance, before any option can silence it: there it would
    end up before `siting --json`'s document (SPEC §2: nothing else on stdout) and in the words a
    clerk reads. So that first instance is made here with stdout's file descriptor pointing to
    the null device, once per process: later instances print nothing, and the web server's
    other threads are not muted again."""
    sys.stdout.flush()
    kept = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(kept, 1)
        os.close(kept)


class _Relaxation:
    """The linear relaxation (module docstring) as one HiGHS model for every size K: maximise
    Σ w_i y_i subject to y_i − Σ_j a_ij x_j ≤ 0 and Σ_j x_j = K, all variables in [0, 1]."""

    def __init__(self, reach: csr_matrix, weights: np.ndarray, time_limit: float | None) -> None:
        n, m = reach.shape
        matrix = vstack(
            [hstack([-reach, identity(n)]), csr_matrix(np.r_[np.ones(m), np.zeros(n)])]
        ).tocsc()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = m + n, n + 1
        lp.col_cost_ = np.r_[np.zeros(m), weights]
        lp.col_lower_, lp.col_upper_ = np.zeros(m + n), np.ones(m + n)
        lp.row_lower_ = np.r_[np.full(n, -highspy.kHighsInf), 1.0]
        lp.row_upper_ = np.r_[np.zeros(n), 1.0]
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
        lp.a_matrix_.value_ = matrix.data
        lp.sense_ = highspy.ObjSense.kMaximize
        self._highs = _quiet_highs()
        # The first solve by interior point with crossover (a vertex and its basis), which was
        # twice as fast as the simplex from nothing; later sizes start from that basis.
        self._highs.setOptionValue("solver", "ipm")
        if time_limit is not None:
            self._highs.setOptionValue("time_limit", float(time_limit))
        self._highs.passModel(lp)
        self._sites, self._count_row = m, n

    def solve(self, k: int) -> tuple[np.ndarray, float] | None:
        """(the relaxed site choice, the relaxation's optimal coverage) for k sites, or None
        when HiGHS did not prove the relaxation optimal (a time limit)."""
        self._highs.changeRowBounds(self._count_row, float(k), float(k))
        self._highs.run()
        self._highs.setOptionValue("solver", "simplex")
        if self._highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = np.asarray(self._highs.getSolution().col_value[: self._sites], dtype=float)
        return values, float(self._highs.getInfo().objective_function_value)


def _relaxation(model: _Relaxation | None, k: int) -> tuple[np.ndarray, float] | None:
    """The relaxation for k sites (tests replace this to force branch and bound)."""
    return None if model is None else model.solve(k)


def _integral(values: np.ndarray) -> bool:
    return bool(np.all(np.minimum(values, 1.0 - values) <= _TOLERANCE))


def _solution(chosen: np.ndarray, newly: np.ndarray, *, optimal: bool) -> Solution:
    order = np.argsort(-newly, kind="stable")
    return Solution(
        chosen=tuple(int(c) for c in chosen[order]),
        newly_covered=tuple(float(v) for v in newly[order]),
        gain=float(newly.sum()),
        optimal=optimal,
    )


def _attributed(
    reach: csr_matrix,
    weights: np.ndarray,
    points: np.ndarray,
    sites: np.ndarray,
    chosen,
    measured: np.ndarray | None,
) -> np.ndarray:
    """The people each chosen site covers newly, every point given to its nearest chosen site
    in reach (so the parts sum to the gain); nearest by `measured` distances where given."""
    reached = np.asarray(reach[:, chosen].sum(axis=1)).ravel() > 0
    newly = np.zeros(len(chosen))
    if reached.any() and len(chosen):
        if measured is None:
            _, nearest = cKDTree(sites[chosen]).query(points[reached], k=1)
        else:
            nearest = measured[np.ix_(reached, np.asarray(chosen))].argmin(axis=1)
        np.add.at(newly, np.atleast_1d(nearest), weights[reached])
    return newly
