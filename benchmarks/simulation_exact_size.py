"""The exact size of the default evaluation on simulated cities, by enumeration: every placement
of the city's start periods is evaluated as if it were the real one, and the share of placements
rejected at 5 % is the probability of a false positive under random assignment, without
Monte Carlo error (docs/simulation-city-scale.md, "The one miss").

Run by hand from the repository root, as a module so that the worktree's `evaluation` is used:

    .venv/bin/python -m benchmarks.simulation_exact_size --design 8 --cities 0,1,2,3

The cities are benchmarks/simulation_city_scale.py's (the same seeds). Every placement is a whole
evaluation, so a design is only practical where the placements are few (12 districts, cohorts
1+1+1: 1,320 placements, about three minutes a city).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Iterator

import numpy as np
import pandas as pd

from benchmarks.simulation_city_scale import DESIGNS, simulate_city
from evaluation.panel_evaluation import evaluate_panel

ALPHA = 0.05


def placement_pvalues(frame: pd.DataFrame, cohorts: tuple[tuple[int, int], ...]) -> np.ndarray:
    """The default evaluation's p-value for every distinct placement of the cohorts ((start,
    size), …) on the city's districts, the others never treated."""
    units = sorted(frame["unit"].unique())
    pvalues = []
    for placed in _placements(units, cohorts):
        moved = frame.assign(cohort=frame["unit"].map(lambda u, p=placed: p.get(u, 0)))
        evaluated = evaluate_panel(moved, "outcome", "unit", "period", "cohort").to_dict()
        pvalues.append(float(evaluated["pvalue"]))
    return np.array(pvalues)


def _placements(units: list, cohorts: tuple[tuple[int, int], ...]) -> Iterator[dict[object, int]]:
    """Every distinct choice of districts for each cohort in turn: district -> start."""
    if not cohorts:
        yield {}
        return
    (start, size), rest = cohorts[0], cohorts[1:]
    for chosen in itertools.combinations(units, size):
        left = [u for u in units if u not in chosen]
        for placed in _placements(left, rest):
            yield dict.fromkeys(chosen, start) | placed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--design", type=int, default=8, help="design number (8: 12 districts)")
    parser.add_argument("--cities", default="0", help="comma-separated city numbers")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    design = DESIGNS[args.design]
    print(design.name)
    for city in (int(c) for c in args.cities.split(",")):
        cpu = time.process_time()
        frame = simulate_city(design, city, args.seed, args.design)
        pvalues = placement_pvalues(frame, design.cohorts)
        print(
            f"city {city}: {pvalues.size} placements, exact size "
            f"{np.mean(pvalues <= ALPHA):.2%}, {np.unique(pvalues).size} distinct p-values, "
            f"{time.process_time() - cpu:.0f} s CPU",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
