"""How far synthetic DiD's interval bounds lie from where the exact inversion settles.

The interval's bounds are located by re-solving every placement at them and locating them again
(`synthetic_randomization.exact_bounds`), repeated until a step moves a bound by at most
`BOUND_TOLERANCE` standard errors. For each of the placebo study's cities with the known effect
added, this script takes the product's interval and runs `--steps` further steps from it: the
largest change, in standard errors, is how far the product's bound is from the settled one.

    .venv/bin/python -m benchmarks.interval_bound_steps --panels prop99 --treated 2 --draws 40

Prints one line per city and a summary (docs/inference-by-design.md).
"""

from __future__ import annotations

import argparse
import os

import numpy as np
import pandas as pd

from benchmarks.placebo_city_scale import PANELS, draw_city, effect_size
from evaluation.did.synthetic_cohorts import cohort_weights, fit_cohorts
from evaluation.did.synthetic_panel import prepare_synthetic_panel
from evaluation.did.synthetic_randomization import (
    PLACEMENTS,
    exact_bounds,
    placement_labels,
    placement_test,
)

ALPHA = 0.05
SEED = 0  # the evaluation's default seed


def settled_distance(frame: pd.DataFrame, steps: int) -> float:
    """The largest change of either bound over `steps` further steps, in standard errors."""
    panel = prepare_synthetic_panel(frame, "outcome", "unit", "period", "treated")
    fits = fit_cohorts(panel, "sdid")
    estimate = float(cohort_weights(fits, panel.outcomes.shape[1]) @ [f.estimate for f in fits])
    test = placement_test(panel, fits, "sdid", estimate, ALPHA, SEED)
    labels, enumerated = placement_labels(panel, fits, PLACEMENTS, SEED)
    bounds = (test.ci_low, test.ci_high)
    for _ in range(steps):
        bounds = exact_bounds(
            panel.outcomes, labels, fits, "sdid", estimate, bounds, (test.se, ALPHA), enumerated
        )
    moved = np.abs(np.subtract(bounds, (test.ci_low, test.ci_high)))
    return float(np.nanmax(moved) / test.se)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", default="prop99")
    parser.add_argument("--treated", type=int, default=2)
    parser.add_argument("--draws", type=int, default=40)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2025, help="the placebo study's seed")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    for name in args.panels.split(","):
        spec = PANELS[name]
        panel = spec.load()
        effect = effect_size(panel)
        distances = []
        for draw in range(args.draws):
            rng = np.random.default_rng(
                np.random.SeedSequence((args.seed, spec.index, args.treated, draw))
            )
            city = draw_city(panel, spec, args.treated, rng)
            post = (city["cohort"] > 0) & (city["period"] >= city["cohort"])
            frame = city.assign(outcome=city["outcome"] + effect * post, treated=post.astype(int))
            distances.append(settled_distance(frame, args.steps))
            print(f"{name} draw {draw}: {distances[-1]:.5f} SE", flush=True)
        found = np.array(distances)
        print(
            f"{name} k={args.treated}: {found.size} cities, largest change {found.max():.4f} SE, "
            f"median {np.median(found):.5f}, share above 0.01 SE {(found > 0.01).mean():.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
