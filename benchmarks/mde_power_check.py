"""Does a programme of exactly the minimum detectable effect get detected 80 % of the time?

Run by hand from the repository root (result in docs/inference-by-design.md):

    .venv/bin/python -m benchmarks.mde_power_check                 # 300 cities, ~10 CPU minutes
    .venv/bin/python -m benchmarks.mde_power_check --cities 100

Design: `benchmarks.city_evaluation_speed.city_panel` cities (23 districts × 10 periods, AR(1)
noise), eight treated districts in three start years. First `--cities` cities without an effect
give the MDE that `evaluate_panel`'s default reports for this design (their median); then
`--cities` other cities get exactly that effect in their treated cells, and the share in which
the default test rejects at 5 % is the power at the MDE: it should be 80 % within its Monte
Carlo error.
"""

from __future__ import annotations

import argparse
import math
import statistics

from benchmarks.city_evaluation_speed import DESIGNS, city_panel
from evaluation.panel_evaluation import evaluate_panel

DESIGN = "8 treated, staggered"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    starts = DESIGNS[DESIGN]
    mdes = []
    for city in range(args.cities):
        data = city_panel(23, 10, starts, 0.0, args.seed * 100_000 + city)
        mdes.append(evaluate_panel(data, "y", "district", "year", "cohort").mde.effect)
    mde = statistics.median(mdes)
    detected = 0
    for city in range(args.cities):
        data = city_panel(23, 10, starts, -mde, (args.seed + 1) * 100_000 + city)
        detected += evaluate_panel(data, "y", "district", "year", "cohort").pvalue <= 0.05
    power = detected / args.cities
    mcse = math.sqrt(power * (1 - power) / args.cities)
    print(f"{DESIGN}, 23 districts × 10 periods, {args.cities} cities each")
    print(f"median MDE (80 % power at 5 %): {mde:.3f} noise SDs")
    print(f"power at that effect: {power:.1%} (MCSE {mcse:.1%})")


if __name__ == "__main__":
    main()
