"""Maximal covering (`evaluation.siting`) is optimal: on small random instances the solver's
choice covers exactly as many people as the best of all C(m, K) choices found by brute force."""

from __future__ import annotations

import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from evaluation import siting
from evaluation.siting import coverage_matrix, maximal_covering


def _brute_force(demand, people, covered, sites, within, k) -> float:
    """The best gain over every choice of k sites, by plain distances (no k-d tree, no solver)."""
    distance = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    reach = distance <= within
    open_ = ~covered
    return max(
        float(people[open_ & reach[:, list(choice)].any(axis=1)].sum())
        for choice in combinations(range(len(sites)), k)
    )


def _instance(seed: int):  # type: ignore[no-untyped-def]
    """A random small instance: points, people, who is covered already, sites, K."""
    rng = np.random.default_rng(seed)
    n, m, k = rng.integers(15, 40), rng.integers(5, 11), int(rng.integers(1, 4))
    demand = rng.uniform(0, 5000, size=(n, 2))
    people = rng.integers(0, 500, size=n).astype(float)
    covered = rng.random(n) < 0.2
    sites = rng.uniform(0, 5000, size=(m, 2))
    return demand, people, covered, sites, k


@pytest.mark.parametrize("branch_and_bound", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_the_solvers_choice_covers_as_many_as_the_best_choice_found_by_brute_force(
    seed: int, branch_and_bound: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both ways to the proof: the integral relaxation, and (relaxation skipped) HiGHS's
    branch and bound."""
    if branch_and_bound:
        monkeypatch.setattr(siting, "_relaxation", lambda *args, **kwargs: None)
    demand, people, covered, sites, k = _instance(seed)
    result = maximal_covering(demand, people, covered, sites, 1200.0, k)
    best = _brute_force(demand, people, covered, sites, 1200.0, k)
    assert result.optimal
    assert result.best.gain == pytest.approx(best)
    assert len(result.best.chosen) == k and len(set(result.best.chosen)) == k
    assert sum(result.best.newly_covered) == pytest.approx(result.best.gain)
    assert result.covered_before == pytest.approx(people[covered].sum())
    # the trade-off curve: each k optimal too, never falling
    gains = [s.gain for s in result.curve]
    assert gains == sorted(gains)
    for size, solution in enumerate(result.curve, start=1):
        assert solution.gain == pytest.approx(
            _brute_force(demand, people, covered, sites, 1200.0, size)
        )


def test_greedy_is_not_optimal_here_but_the_solver_is() -> None:
    """The classic trap: one central site covers the most alone, two outer sites cover more
    together; greedy takes the centre first, the MILP takes the pair."""
    demand = np.array([[0, 0], [1000, 0], [2000, 0], [3000, 0]], float)
    people = np.array([100, 60, 60, 100], float)
    sites = np.array([[500, 0], [1500, 0], [2500, 0]], float)
    result = maximal_covering(demand, people, np.zeros(4, bool), sites, 600.0, 2)
    assert result.best.gain == 320.0
    assert sorted(result.best.chosen) == [0, 2]
    assert result.curve[0].gain == 160.0


def test_coverage_counts_a_site_exactly_at_the_distance() -> None:
    reach = coverage_matrix(np.array([[0.0, 0.0], [0.0, 1000.5]]), np.array([[0.0, 1000.0]]),
                            1000.0)  # fmt: skip
    assert reach.toarray().tolist() == [[1.0], [1.0]]
    far = coverage_matrix(np.array([[0.0, 0.0]]), np.array([[0.0, 1000.001]]), 1000.0)
    assert far.nnz == 0


def test_nobody_left_to_cover_gives_zero_gain_and_no_solver_call() -> None:
    result = maximal_covering(np.zeros((2, 2)), np.array([5.0, 5.0]), np.ones(2, bool),
                              np.array([[10.0, 0.0], [20.0, 0.0]]), 100.0, 1)  # fmt: skip
    assert (result.best.gain, result.covered_before, result.optimal) == (0.0, 10.0, True)


@pytest.mark.parametrize("seed", range(6))
def test_with_a_distance_matrix_coverage_is_counted_by_those_distances(seed: int) -> None:
    """`siting --network`: a site covers whom its given (walking) distance reaches, not the
    straight line; the choice is the best of all by those distances."""
    demand, people, covered, sites, k = _instance(seed)
    m, rng = len(sites), np.random.default_rng(100 + seed)
    straight = np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(axis=2))
    walked = straight * rng.uniform(1.0, 2.0, size=straight.shape)
    result = maximal_covering(demand, people, covered, sites, 1200.0, k, distances=walked)
    reach = walked <= 1200.0
    best = max(
        float(people[~covered & reach[:, list(c)].any(axis=1)].sum())
        for c in combinations(range(m), k)
    )
    assert result.optimal and result.best.gain == pytest.approx(best)
    assert sum(result.best.newly_covered) == pytest.approx(best)


def test_the_solver_writes_nothing_to_stdout() -> None:
    """HiGHS's banner, printed by the C library at a process's first solver instance, would come
    before `siting --json`'s document (SPEC §2: one JSON document on stdout, nothing else) and
    show a clerk English. A fresh process, so that this solve makes the first instance."""
    script = (
        "import numpy as np\n"
        "from evaluation.siting import maximal_covering\n"
        "points = np.array([[0.0, 0.0], [500.0, 0.0], [3000.0, 0.0]])\n"
        "result = maximal_covering(points, np.array([10.0, 20.0, 30.0]),\n"
        "                          np.zeros(3, bool), points, 600.0, 2)\n"
        "assert result.optimal\n"
    )
    solved = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    assert solved.stdout == ""
