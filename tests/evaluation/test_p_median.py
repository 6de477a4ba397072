"""The p-median (`evaluation.p_median`) is optimal: on small random instances, with and without
existing places, the solver's choice has exactly the smallest people-weighted distance of all
C(m, K) choices found by brute force, whether the Lagrangian bound proves it alone or branch and
bound has to finish the proof; and the bound is a bound."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from evaluation import p_median as module
from evaluation.p_median import p_median


def _distances(points: np.ndarray, sites: np.ndarray) -> np.ndarray:
    return np.sqrt(((points[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))


def _brute_force(demand, people, before, sites, k) -> float:
    """The smallest people-weighted distance over every choice of k sites (plain distances,
    no k-d tree, no solver)."""
    distance = _distances(demand, sites)
    return min(
        float((people * np.minimum(before, distance[:, list(choice)].min(axis=1))).sum())
        for choice in combinations(range(len(sites)), k)
    )


def _instance(seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    n, m, k = rng.integers(15, 40), rng.integers(5, 11), int(rng.integers(1, 4))
    demand = rng.uniform(0, 5000, size=(n, 2))
    people = rng.integers(0, 500, size=n).astype(float)
    sites = rng.uniform(0, 5000, size=(m, 2))
    if seed % 2:  # two existing places
        before = _distances(demand, rng.uniform(0, 5000, size=(2, 2))).min(axis=1)
    else:  # none: every point goes to a new site
        before = np.full(n, np.inf)
    return demand, people, before, sites, k


@pytest.mark.parametrize("branching", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_the_solvers_choice_has_the_smallest_distance_of_all_choices_found_by_brute_force(
    seed: int, branching: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """branching: the bound gets no steps, so branch and bound over the candidates and pairs it
    leaves must find and prove the optimum; else the bound proves the local search's choice."""
    branched = []
    if branching:
        # No exchanges and a single step of the bound: the greedy choice stands unproven, and
        # branch and bound must better it where it is not optimal.
        monkeypatch.setattr(module, "_STEPS", 1)
        monkeypatch.setattr(module, "_exchange", lambda problem, chosen: chosen)
        solve = module._branch_and_bound
        monkeypatch.setattr(module, "_branch_and_bound",
                            lambda *a: branched.append(a[3]) or solve(*a))  # fmt: skip
    demand, people, before, sites, k = _instance(seed)
    result = p_median(demand, people, before, sites, k, within=1200.0)
    assert result.optimal
    for size, solution in enumerate(result.curve, start=1):
        best = _brute_force(demand, people, before, sites, size)
        assert solution.total_distance == pytest.approx(best, rel=1e-9), size
        assert len(solution.chosen) == size == len(set(solution.chosen))
    for solution in result.curve:
        assert solution.bound == solution.total_distance
    totals = [s.total_distance for s in result.curve]
    assert totals == sorted(totals, reverse=True)  # a further place never makes it worse
    assert bool(branched) == (branching and k > 1)  # size 1 is measured, not branched


def test_branch_and_bound_betters_a_choice_that_is_not_optimal(monkeypatch) -> None:
    """Over all seeds of the instances above, some greedy choice (no exchanges) is not optimal,
    and branch and bound replaces it (the brute-force test checks the result)."""
    monkeypatch.setattr(module, "_STEPS", 1)
    monkeypatch.setattr(module, "_exchange", lambda problem, chosen: chosen)
    bettered = 0
    for seed in range(12):
        demand, people, before, sites, k = _instance(seed)
        greedy = p_median(demand, people, before, sites, k, curve=False)
        problem = module._Problem.of(demand[people > 0], people[people > 0],
                                     before[people > 0], sites, None)  # fmt: skip
        first = module._greedy(problem, np.empty(0, np.int64), k)
        bettered += problem.total(first) > greedy.best.total_distance * (1 + 1e-9)
    assert bettered >= 1


@pytest.mark.parametrize("seed", range(12))
def test_the_bound_without_its_proof_is_below_the_optimum(seed: int, monkeypatch) -> None:
    """Stopped after a few steps of the bound and without branch and bound, the solution is not
    proven optimal, and its bound lies between nothing and the brute-force optimum."""
    monkeypatch.setattr(module, "_STEPS", 5)
    monkeypatch.setattr(module, "_exchange", lambda problem, chosen: chosen)
    monkeypatch.setattr(
        module, "_branch_and_bound", lambda problem, r, p, chosen, *a: (chosen, False)
    )
    demand, people, before, sites, k = _instance(seed)
    k = max(k, 2)  # size 1 is measured, hence always proven
    result = p_median(demand, people, before, sites, k, curve=False)
    best = _brute_force(demand, people, before, sites, k)
    assert 0 < result.best.bound <= best * (1 + 1e-12)
    assert result.best.total_distance >= best * (1 - 1e-12)
    if not result.optimal:
        assert result.best.bound < result.best.total_distance


def test_served_and_newly_covered_people_are_given_to_the_nearest_new_site() -> None:
    demand = np.array([[0, 0], [100, 0], [3000, 0], [3100, 0], [6000, 0]], float)
    people = np.array([10, 20, 30, 40, 50], float)
    before = np.array([5000, 5000, 5000, 5000, 0], float)  # a place stands at the last point
    sites = np.array([[50, 0], [3050, 0], [6000, 100]], float)
    result = p_median(demand, people, before, sites, 2, within=60.0)
    best = result.best
    assert sorted(best.chosen) == [0, 1]
    assert best.served == (70.0, 30.0) and best.chosen == (1, 0)
    assert best.newly_covered == (70.0, 30.0)
    assert best.total_distance == pytest.approx(50 * (10 + 20 + 30 + 40))
    assert result.covered_before == 50.0 and result.total_before == pytest.approx(100 * 5000)
    assert result.mean_distance(best.total_distance) == pytest.approx(5000 / 150)


def test_without_any_place_the_mean_distance_before_is_unknown() -> None:
    result = p_median(np.zeros((1, 2)), np.array([5.0]), np.array([np.inf]),
                      np.array([[3.0, 4.0]]), 1)  # fmt: skip
    assert result.mean_distance(result.total_before) is None
    assert result.best.total_distance == pytest.approx(25.0)


@pytest.mark.parametrize("seed", range(6))
def test_with_a_distance_matrix_the_choice_is_the_best_of_all_by_those_distances(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`siting --network`: distances given as a matrix (here the straight line stretched by a
    random detour factor per pair, some pairs unreachable) are the measure, also when branch
    and bound has to finish the proof."""
    monkeypatch.setattr(module, "_STEPS", 1)
    demand, people, before, sites, k = _instance(seed)
    rng = np.random.default_rng(100 + seed)
    walked = _distances(demand, sites) * rng.uniform(1.0, 2.0, size=(len(demand), len(sites)))
    walked[rng.random(walked.shape) < 0.1] = np.inf
    result = p_median(demand, people, before, sites, k, within=1200.0, distances=walked)
    assert result.optimal
    for size, solution in enumerate(result.curve, start=1):
        best = min(
            float((people * np.minimum(before, walked[:, list(c)].min(axis=1))).sum())
            for c in combinations(range(len(sites)), size)
        )
        assert solution.total_distance == pytest.approx(best, rel=1e-9), size
