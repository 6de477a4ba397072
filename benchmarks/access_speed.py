"""How fast `access` and `siting` answer at city scale (issue 18 item 6).

Run by hand from the repository root (see benchmarks/README.md):

    .venv/bin/python benchmarks/access_speed.py
    .venv/bin/python benchmarks/access_speed.py --cells 100000 --places 500 --candidates 5000

- access: `--cells` resident points (100 m census cells of a region, people drawn from a
  gamma distribution, 40 districts) and `--places` places of help, within 1,000 m: the pure
  function `evaluation.access.access` (k-d tree, per-district sums).
- siting: `--candidates` populated 100 m cells of a city of 12 × 12 km (denser in the middle),
  which are both the residents and the candidate sites, ten existing places; choose `--add`
  new places within 500 m and within 1,000 m (a 1,000 m disk holds about 300 cells of 100 m,
  so the coverage matrix has over a million entries), first the one programme for K, then the
  whole trade-off curve 1..K. Every solution is checked to be proven optimal.
- siting by distance (p-median): `--median-candidates` populated cells of the same kind of city
  (default 5,000, as for maximal covering), ten existing places, `--add` new ones, the single
  programme and the curve; proven optimal.

Wall and CPU seconds (the machine is shared; a load average above its CPU count inflates the
wall times, CPU seconds are steadier) and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from evaluation.access import access
from evaluation.p_median import p_median
from evaluation.siting import maximal_covering


def timed(label: str, work: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<58} {wall:7.2f} s wall {cpu:7.2f} s CPU")
    return result


def region(cells: int, rng: np.random.Generator) -> pd.DataFrame:
    """`cells` 100 m cell centres in a rectangle, 40 districts as vertical strips."""
    side = int(np.ceil(np.sqrt(cells)))
    index = np.arange(cells)
    x, y = (index % side) * 100.0 + 50, (index // side) * 100.0 + 50
    return pd.DataFrame(
        {
            "x": x,
            "y": y,
            "people": rng.gamma(0.7, 12.0, cells).round(),
            "district": (x / (side * 100.0) * 40).astype(int).astype(str),
        }
    )


def city(candidates: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Populated 100 m cells of a 12 km city, more of them near the middle, and their people."""
    xs, ys = np.meshgrid(np.arange(120) * 100.0 + 50, np.arange(120) * 100.0 + 50)
    cells = np.column_stack([xs.ravel(), ys.ravel()])
    weight = np.exp(-np.hypot(cells[:, 0] - 6000, cells[:, 1] - 6000) / 3000)
    chosen = rng.choice(len(cells), candidates, replace=False, p=weight / weight.sum())
    return cells[chosen], rng.gamma(0.8, 20.0, candidates).round()


def median_siting(candidates: int, add: int, rng: np.random.Generator) -> None:
    """The p-median timings: the single programme for `add`, then the curve 1..add."""
    points, people = city(candidates, rng)
    existing = rng.uniform(2000, 10000, size=(10, 2))
    before = np.hypot(*(points[:, None, :] - existing[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    label = f"siting by distance: {add} of {candidates:,} candidates"
    single = timed(label, lambda: p_median(points, people, before, points, add, curve=False))
    curve = timed(f"{label}, curve 1..{add}",
                  lambda: p_median(points, people, before, points, add))  # fmt: skip
    assert single.optimal and curve.optimal
    assert abs(single.best.total_distance - curve.best.total_distance) < 1e-6 * single.people
    mean = single.mean_distance
    print(f"  mean distance {mean(single.total_before):,.0f} m -> "
          f"{mean(single.best.total_distance):,.0f} m, optimal")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=500)
    parser.add_argument("--candidates", type=int, default=5_000)
    parser.add_argument("--add", type=int, default=10)
    parser.add_argument("--median-candidates", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    residents = region(args.cells, rng)
    extent = residents[["x", "y"]].max().to_numpy()
    places = pd.DataFrame(rng.uniform(0, 1, (args.places, 2)) * extent, columns=["x", "y"])
    districts = pd.DataFrame({"district": sorted(set(residents["district"]), key=int)})
    districts = districts.assign(name=districts["district"], need_class=None)
    result = timed(
        f"access: {args.cells:,} cells x {args.places:,} places",
        lambda: access(residents, places, districts, 1000.0),
    )
    print(f"  covered {result.total['share']:.1%} of {result.total['people']:,.0f} people")

    points, people = city(args.candidates, rng)
    existing = rng.uniform(2000, 10000, size=(10, 2))
    for within in (500.0, 1000.0):
        gaps = np.hypot(*(points[:, None, :] - existing[None, :, :]).transpose(2, 0, 1))
        covered = gaps.min(axis=1) <= within
        label = f"siting: {args.add} of {args.candidates:,} candidates, {within:,.0f} m"
        single = timed(label, lambda w=within, c=covered: maximal_covering(
            points, people, c, points, w, args.add, curve=False))  # fmt: skip
        curve = timed(f"{label}, curve 1..{args.add}", lambda w=within, c=covered: maximal_covering(
            points, people, c, points, w, args.add))  # fmt: skip
        assert single.optimal and curve.optimal
        assert abs(single.best.gain - curve.best.gain) < 1e-6
        print(f"  before {single.covered_before:,.0f}, +{single.best.gain:,.0f} people, optimal")
    median_siting(args.median_candidates, args.add, rng)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
