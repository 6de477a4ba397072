"""Simulated cities of Düren's size: size, coverage and power of the default evaluation with
1–8 treated districts among 23 (spot checks with 12 and 60), unequal district sizes and
heteroskedastic AR(1) noise (docs/simulation-city-scale.md has the design and the results).

Run by hand from the repository root, as a module so that the worktree's `evaluation` is used:

    .venv/bin/python -m benchmarks.simulation_city_scale --draws 50             # a smoke run
    .venv/bin/python -m benchmarks.simulation_city_scale --designs 2,3,4 --draws 1000 --out A.csv
    .venv/bin/python -m benchmarks.simulation_city_scale --summarise A.csv B.csv [--draws 400]

The city is benchmarks/simulation_study.py's (district effects N(10, 2²), year effects −0.1 pp a
year plus N(0, 0.3²) shocks, AR(1) errors with ρ = 0.5, ten years, parallel trends, treatment
assigned at random), with one change: districts differ in size. Populations are log-normal
(median POP_MEDIAN, clipped to POP_RANGE), and a district's noise SD is NOISE_SD ·
sqrt(POP_MEDIAN / population): a rate over 1,500 residents is noisier than over 12,000. The
effect is constant, EFFECT pp in every treated district-year from the start on, so every
estimator's target is EFFECT; each city is evaluated without it (size) and with it (coverage,
power) on the same noise, by the new and the old default (benchmarks/city_scale_rows.py).

City c of design d takes its numbers from SeedSequence((seed, d, c)) alone, so the first N cities
of a long run are an N-city run. Raw rows are appended to --out (default
$TMPDIR/budget-monitor-bench/simulation-city-scale-<seed>.csv) city by city.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.city_scale_rows import (
    METHODS,
    RawRows,
    code_state,
    evaluate_defaults,
    markdown,
    summarise,
)
from benchmarks.simulation_study import (
    DISTRICT_SD,
    LEVEL,
    PERIODS,
    RHO,
    YEAR_SD,
    YEAR_TREND,
    Design,
    canonical_starts,
    city_frame,
)

POP_MEDIAN, POP_LOG_SD, POP_RANGE = 4_000.0, 0.6, (1_500.0, 12_000.0)
NOISE_SD = 1.0  # percentage points, for a district of median size
EFFECT = 1.0  # percentage points, constant
# Starts (first treated year of 1..10: cohort size); one cohort starts in year 6.
DESIGNS = (
    Design("23 districts, 1 treated", 23, ((6, 1),), ()),
    Design("23 districts, 2 treated", 23, ((6, 2),), ()),
    Design("23 districts, 3 treated", 23, ((6, 3),), ()),
    Design("23 districts, 5 treated", 23, ((6, 5),), ()),
    Design("23 districts, 8 treated", 23, ((6, 8),), ()),
    Design("23 districts, 3 treated in cohorts 1+1+1", 23, ((4, 1), (6, 1), (8, 1)), ()),
    Design("23 districts, 5 treated in cohorts 2+2+1", 23, ((4, 2), (6, 2), (8, 1)), ()),
    Design("12 districts, 2 treated", 12, ((6, 2),), ()),
    Design("12 districts, 3 treated in cohorts 1+1+1", 12, ((4, 1), (6, 1), (8, 1)), ()),
    Design("60 districts, 2 treated", 60, ((6, 2),), ()),
    Design("60 districts, 5 treated in cohorts 2+2+1", 60, ((4, 2), (6, 2), (8, 1)), ()),
)


def populations(n: int, rng: np.random.Generator) -> np.ndarray:
    """Residents per district: log-normal around POP_MEDIAN, clipped to POP_RANGE."""
    drawn = POP_MEDIAN * np.exp(POP_LOG_SD * rng.standard_normal(n))
    return np.clip(drawn, *POP_RANGE)


def simulate_city(design: Design, city: int, seed: int, design_index: int) -> pd.DataFrame:
    """One city without effect: unit, period (1..10), outcome (pp), cohort (0 = never)."""
    rng = np.random.default_rng(np.random.SeedSequence((seed, design_index, city)))
    n = design.districts
    starts = canonical_starts(design)[rng.permutation(n)]
    sd = NOISE_SD * np.sqrt(POP_MEDIAN / populations(n, rng))
    shocks = rng.standard_normal((n, PERIODS))
    errors = np.empty((n, PERIODS))
    errors[:, 0] = sd * shocks[:, 0]  # stationary from the first year
    for t in range(1, PERIODS):
        errors[:, t] = RHO * errors[:, t - 1] + sd * np.sqrt(1 - RHO**2) * shocks[:, t]
    district = LEVEL + DISTRICT_SD * rng.standard_normal(n)
    years = np.arange(1, PERIODS + 1)
    year = YEAR_TREND * years + YEAR_SD * rng.standard_normal(PERIODS)
    frame = city_frame(district[:, None] + year[None, :] + errors, starts)
    names = {"district": "unit", "year": "period", "rate": "outcome", "start": "cohort"}
    return frame.rename(columns=names)[["unit", "period", "outcome", "cohort"]]


def run_city(
    design_index: int,
    city: int,
    seed: int,
    effects: tuple[float, ...] = (0.0, EFFECT),
    methods: tuple[str, ...] = METHODS,
) -> list[dict]:
    """The defaults (both unless `methods` says otherwise) on one city, once per effect added
    (0: the placebo)."""
    design = DESIGNS[design_index]
    frame = simulate_city(design, city, seed, design_index)
    post = (frame["cohort"] > 0) & (frame["period"] >= frame["cohort"])
    keys = {"design": design.name, "draw": city}
    rows = []
    for effect in effects:
        shifted = frame.assign(outcome=frame["outcome"] + effect * post)
        rows += evaluate_defaults(shifted, design.treated, effect, keys, methods)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, help="cities per design (100; summarise: first N)")
    numbers = ",".join(str(i) for i in range(len(DESIGNS)))
    parser.add_argument("--designs", default=numbers, help=f"design numbers of {numbers}")
    parser.add_argument(
        "--methods", default="new,old", help="new,old: the defaults to evaluate (both)"
    )
    parser.add_argument(
        "--effect-draws", type=int, help="add the known effect on the first N cities only (all)"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, help="raw CSV (appended city by city)")
    parser.add_argument("--summarise", type=Path, nargs="+", metavar="RAW", help="tabulate only")
    args = parser.parse_args(argv)
    by = ["design"]
    if args.summarise:
        frames = [pd.read_csv(p, keep_default_na=False, na_values=[""]) for p in args.summarise]
        raw = pd.concat(frames).drop_duplicates(["design", "draw", "effect", "method"], keep="last")
        if args.draws is not None:
            raw = raw[raw["draw"] < args.draws]
        wanted = [DESIGNS[int(d)].name for d in args.designs.split(",")]
        raw = raw[raw["design"].isin(wanted)]
        order = {design.name: i for i, design in enumerate(DESIGNS)}
        raw = raw.sort_values(
            ["design", "draw"], key=lambda c: c.map(order) if c.name == "design" else c
        )
        print(markdown(summarise(raw, by), by))
        return 0

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    draws = args.draws or 100
    out = args.out or Path(tempfile.gettempdir()) / f"simulation-city-scale-{args.seed}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    methods = tuple(f"{name} default" for name in args.methods.split(","))
    print(f"{code_state()}; raw rows to {out}", flush=True)
    rows = RawRows(out)
    for index in (int(d) for d in args.designs.split(",")):
        clock = time.process_time()
        for city in range(draws):
            shifted = args.effect_draws is None or city < args.effect_draws
            effects = (0.0, EFFECT) if shifted else (0.0,)
            rows.add(run_city(index, city, args.seed, effects, methods))
        print(f"{DESIGNS[index].name}: {draws} cities, {time.process_time() - clock:.0f} CPU s",
              flush=True)  # fmt: skip
    rows.finish(by)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
