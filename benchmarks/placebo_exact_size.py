"""The exact size of the synthetic-DiD randomization test on the placebo study's own cities.

A placebo draw of `placebo_city_scale` says 0 or 1: was this one placebo programme called
significant? Its average over a few hundred draws has a Monte Carlo error of about one
percentage point. But each draw's city (its districts, its periods and the start periods of the
programme) fixes everything except which districts the programme is placed on, and that placement
is drawn uniformly. So the probability that the test rejects, given the city, can be computed
exactly: take every placement of those start periods on the city's districts in turn as the real
one, run the test as `evaluation` runs it (the same 299 seeded random placements relative to it,
or all placements where they are few), and count the rejections. Averaged over the study's cities
this is the study's expected size with only the cities' variation left in it (no coin flip per
draw), and each city's rate says whether the test is conservative on that city's data.

The placement estimates do not depend on which placement is the real one (each is solved from
scratch, `synthetic_randomization`), so one batch of every placement's estimate serves them all.
The script checks that the real placement's p-value agrees with the default evaluation's
(`evaluate_panel`), so it tests the test as the product runs it.

    .venv/bin/python -m benchmarks.placebo_exact_size --panels prop99 --treated 2 --draws 400

Prints one row per city and a summary; --out appends the rows to a CSV.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.placebo_city_scale import PANELS, draw_city
from evaluation.did.staggered_randomization import draw_assignments
from evaluation.did.synthetic_cohorts import fit_cohorts
from evaluation.did.synthetic_panel import prepare_synthetic_panel
from evaluation.did.synthetic_randomization import (
    PLACEMENTS,
    local_test,
    placement_estimates,
    placement_labels,
)
from evaluation.panel_evaluation import evaluate_panel

ALPHA = 0.05
SEED = 0  # the evaluation's default seed (`EvaluationOptions.seed`)
ENUMERATE_ALL = 10**6  # more than the placements of any city here: all of them are solved


def city_rejection_rate(city: pd.DataFrame) -> dict[str, float | int | bool]:
    """Over every placement of the city's start periods taken as the real one: the share the
    default test rejects at ALPHA, and the real placement's p-value."""
    frame = city.assign(
        treated=((city["cohort"] > 0) & (city["period"] >= city["cohort"])).astype(int)
    )
    panel = prepare_synthetic_panel(frame, "outcome", "unit", "period", "treated")
    fits = fit_cohorts(panel, "sdid")
    every, _ = placement_labels(panel, fits, ENUMERATE_ALL, SEED)
    (values,), _ = placement_estimates(panel.outcomes, every, fits, "sdid")
    index = {row.tobytes(): i for i, row in enumerate(every)}
    order = np.argsort(np.asarray(panel.units.astype(str)), kind="stable")
    pvalues = np.empty(len(every))
    enumerated = True
    for real, observed in enumerate(every):
        drawn, enumerated = draw_assignments(observed[order], PLACEMENTS, SEED)
        if enumerated:
            others = np.delete(np.arange(len(every)), real)
        else:
            rows = np.empty_like(drawn)
            rows[:, order] = drawn
            others = np.array([index[row.tobytes()] for row in rows[1:]])
        estimates = values[np.r_[real, others]]
        test = local_test(float(estimates[0]), estimates, np.ones(estimates.size), enumerated)
        pvalues[real] = test.pvalue_at(0.0)  # exactly as `placement_test` computes it
    return {
        "placements": len(every),
        "enumerated": enumerated,
        "rate": float((pvalues <= ALPHA).mean()),
        "real_pvalue": float(pvalues[0]),
    }


def product_pvalue(city: pd.DataFrame) -> float:
    """The default evaluation's p-value for the city's real placement."""
    return float(evaluate_panel(city, "outcome", "unit", "period", "cohort").to_dict()["pvalue"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--panels", default="prop99", help="comma-separated subset")
    parser.add_argument("--treated", default="2", help="k, e.g. 1,2")
    parser.add_argument("--draws", type=int, default=100)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2025, help="the placebo study's seed")
    parser.add_argument("--out", type=Path, help="CSV the rows are appended to")
    args = parser.parse_args(argv)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    rows = []
    for name in args.panels.split(","):
        spec = PANELS[name]
        panel = spec.load()
        for k in (int(k) for k in args.treated.split(",")):
            for draw in range(args.first, args.draws):
                rng = np.random.default_rng(
                    np.random.SeedSequence((args.seed, spec.index, k, draw))
                )
                city = draw_city(panel, spec, k, rng)
                started = time.process_time()
                row = {"panel": name, "treated": k, "draw": draw, **city_rejection_rate(city)}
                row["product_pvalue"] = product_pvalue(city)
                row["cpu_seconds"] = round(time.process_time() - started, 2)
                print(row, flush=True)
                rows.append(row)
                if args.out is not None:
                    pd.DataFrame([row]).to_csv(
                        args.out, mode="a", header=not args.out.exists(), index=False
                    )
    table = pd.DataFrame(rows)
    mismatch = ~np.isclose(table["real_pvalue"], table["product_pvalue"], rtol=0, atol=1e-12)
    for (name, k), cities in table.groupby(["panel", "treated"]):
        rate = cities["rate"]
        print(
            f"{name} k={k}: {len(cities)} cities, expected size {100 * rate.mean():.2f} % "
            f"(SE {100 * rate.std(ddof=1) / np.sqrt(len(cities)):.2f}), "
            f"city range {100 * rate.min():.1f}–{100 * rate.max():.1f} %, "
            f"{int(mismatch[cities.index].sum())} p-values differing from the product's"
        )
    return int(mismatch.any())


if __name__ == "__main__":
    raise SystemExit(main())
