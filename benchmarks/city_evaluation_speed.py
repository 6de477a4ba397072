"""How long the default evaluation takes on a city's panel (issue 14 §5: at most 2 s).

Run by hand from the repository root (figures in docs/inference-by-design.md):

    .venv/bin/python benchmarks/city_evaluation_speed.py              # 23 districts × 10 periods
    .venv/bin/python benchmarks/city_evaluation_speed.py --runs 3 --districts 60

For each design (treated districts and their start periods) a simulated panel of `--districts`
districts × `--periods` periods (district and year effects, AR(1) noise) is evaluated with
`evaluate_panel(data, ...)` and no options, exactly what `budget-monitor evaluate` and the report
call: the method `auto` picks (synthetic DiD with one or two treated districts, Callaway &
Sant'Anna from three), randomization inference, the pre-trend test, the minimum detectable
effect and the breakdown M̄. Each design is called once untimed (imports, caches), then `--runs`
times; the table gives the median wall and CPU seconds (`time.process_time`, all threads) and, for
Callaway & Sant'Anna, the part of it spent in the sensitivity analysis. All designs run side by
side in one process, so a loaded machine inflates them alike; the CPU column is the steadier one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from evaluation.did import trend_sensitivity as sensitivity_module
from evaluation.panel_evaluation import evaluate_panel

GOAL_SECONDS = 2.0
# Start period (1-based) of each treated district, per design.
DESIGNS: dict[str, tuple[int, ...]] = {
    "1 treated": (6,),
    "2 treated, one start": (6, 6),
    "3 treated, three starts of one": (4, 6, 8),
    "5 treated, staggered": (4, 4, 6, 6, 8),
    "8 treated, staggered": (4, 4, 4, 6, 6, 6, 8, 8),
}


def city_panel(
    districts: int, periods: int, starts: tuple[int, ...], effect: float, seed: int
) -> pd.DataFrame:
    """Districts with unit and year effects, AR(1) noise (SD 1), `effect` from each start."""
    rng = np.random.default_rng(seed)
    noise = np.zeros((districts, periods))
    noise[:, 0] = rng.normal(size=districts)
    for t in range(1, periods):
        noise[:, t] = 0.5 * noise[:, t - 1] + rng.normal(0, np.sqrt(0.75), districts)
    level = rng.normal(10, 2, districts)[:, None] - 0.1 * np.arange(periods)[None, :]
    cohort = np.zeros(districts)
    cohort[rng.permutation(districts)[: len(starts)]] = starts
    year = np.arange(1, periods + 1)
    treated = (cohort[:, None] > 0) & (year[None, :] >= cohort[:, None])
    return pd.DataFrame(
        {
            "district": np.repeat(np.arange(districts), periods),
            "year": np.tile(year, districts),
            "y": (level + noise + effect * treated).ravel(),
            "cohort": np.repeat(cohort, periods),
        }
    )


def timed(call: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


class SensitivityClock:
    """Adds up the wall time spent in the breakdown-M̄ search during the timed calls."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._original = sensitivity_module.breakdown_mbar

    def __enter__(self) -> SensitivityClock:
        def clocked(*args: object, **kwargs: object) -> float | None:
            start = time.perf_counter()
            try:
                return self._original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        sensitivity_module.breakdown_mbar = clocked
        return self

    def __exit__(self, *exc: object) -> None:
        sensitivity_module.breakdown_mbar = self._original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=23)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--effect",
        type=float,
        default=-1.5,
        help="effect in the treated cells, in noise SDs; a clear one, so that the sensitivity "
        "analysis (only run for significant results) is part of the time",
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{args.districts} districts × {args.periods} periods, median of {args.runs} runs\n")
    print("| design | method | wall s | CPU s | of it sensitivity (wall) | goal ≤ 2 s |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for name, starts in DESIGNS.items():
        data = city_panel(args.districts, args.periods, starts, args.effect, args.seed)
        result = evaluate_panel(data, "y", "district", "year", "cohort")  # warm-up
        walls, cpus = [], []
        with SensitivityClock() as clock:
            for _ in range(args.runs):
                wall, cpu = timed(
                    lambda d=data: evaluate_panel(d, "y", "district", "year", "cohort")
                )
                walls.append(wall)
                cpus.append(cpu)
        cpu = statistics.median(cpus)
        print(
            f"| {name} | {result.method} | {statistics.median(walls):.2f} | {cpu:.2f} | "
            f"{clock.seconds / args.runs:.2f} | {'met' if cpu <= GOAL_SECONDS else 'missed'} |"
        )
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
