"""Placebo programmes at a city's scale on real panels: does the default evaluation call a
programme that did nothing significant in 5 % of draws, and does its 95 % interval cover a known
effect 95 % of the time? (docs/placebo-city-scale.md has the design and the results.)

Run by hand from the repository root, as a module so that the worktree's `evaluation` is used:

    .venv/bin/python -m benchmarks.placebo_city_scale --draws 50            # a smoke run
    .venv/bin/python -m benchmarks.placebo_city_scale --treated 3,5,8 --draws 1000 --out A.csv
    .venv/bin/python -m benchmarks.placebo_city_scale --summarise A.csv B.csv [--draws 400]

Per draw: a city of 23 units drawn from the panel (Berlin: of the 434 planning areas; Prop99: of
the 38 states, in a random window of 10 consecutive years; Flensburg: all 13 Stadtteile), k of
them treated at random, each with a start drawn at random among the periods that leave at least
two periods before and one after it (staggered: cohorts of one unit happen). Nobody's outcome is
touched (effect 0: size); then the same draw with a constant effect added to the treated units'
cells from their start on (coverage of the 95 % interval, power). The effect is EFFECT_SDS
standard deviations of the panel's within-unit changes between consecutive periods. Each panel
is evaluated with the new default and the old one (benchmarks/city_scale_rows.py).

Draw d of panel p with k treated takes its numbers from SeedSequence((seed, p, k, d)) alone, so
the first N draws of a long run are an N-draw run. Raw rows are appended to --out (default
$TMPDIR/budget-monitor-bench/placebo-city-scale-<seed>.csv) draw by draw.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks import city_panels
from benchmarks.city_scale_rows import (
    METHODS,
    RawRows,
    code_state,
    evaluate_defaults,
    markdown,
    summarise,
)

UNITS = 23  # Düren's Sozialräume
TREATED = (1, 2, 3, 5, 8)
EFFECT_SDS = 0.5
MIN_PRE, MIN_POST = 2, 1


@dataclass(frozen=True)
class Panel:
    """A real panel and how a city is cut from it: `units` drawn (None: all), `window`
    consecutive periods (None: all), the treated counts it allows."""

    index: int  # fixed, part of the seed: a draw does not depend on which panels run
    load: Callable[[], pd.DataFrame]
    units: int | None
    window: int | None
    treated: tuple[int, ...]


PANELS = {
    "berlin": Panel(0, city_panels.berlin_mss_panel, UNITS, None, TREATED),
    "flensburg": Panel(1, city_panels.flensburg_sgb2_panel, None, None, (1, 2, 3, 5)),
    "prop99": Panel(2, city_panels.prop99_panel, UNITS, 10, TREATED),
}


def effect_size(panel: pd.DataFrame) -> float:
    """EFFECT_SDS × SD of the within-unit changes between consecutive periods (whole panel)."""
    changes = panel.sort_values(["unit", "period"]).groupby("unit")["outcome"].diff()
    return EFFECT_SDS * float(changes.std())


def draw_city(panel: pd.DataFrame, spec: Panel, k: int, rng: np.random.Generator) -> pd.DataFrame:
    """One city: its units and periods, and a `cohort` column (first treated period, 0 = never)."""
    units = np.sort(panel["unit"].unique())
    if spec.units is not None:
        units = np.sort(rng.choice(units, size=spec.units, replace=False))
    periods = np.sort(panel["period"].unique())
    if spec.window is not None:
        first = rng.integers(0, periods.size - spec.window + 1)
        periods = periods[first : first + spec.window]
    starts = periods[MIN_PRE : periods.size - MIN_POST + 1]
    treated = rng.choice(units, size=k, replace=False)
    cohort = pd.Series(0, index=units, dtype="int64")
    cohort[treated] = rng.choice(starts, size=k)
    city = panel[panel["unit"].isin(units) & panel["period"].isin(periods)]
    return city.assign(cohort=city["unit"].map(cohort).astype(float))


def run_draw(
    name: str,
    panel: pd.DataFrame,
    k: int,
    draw: int,
    seed: int,
    effects: tuple[float, ...],
    methods: tuple[str, ...] = METHODS,
) -> list[dict]:
    """The defaults (both unless `methods` says otherwise) on one draw, once per effect added
    (0: the placebo)."""
    spec = PANELS[name]
    rng = np.random.default_rng(np.random.SeedSequence((seed, spec.index, k, draw)))
    city = draw_city(panel, spec, k, rng)
    post = (city["cohort"] > 0) & (city["period"] >= city["cohort"])
    cohorts = city.groupby("unit")["cohort"].first()
    keys = {
        "panel": name,
        "treated": k,
        "draw": draw,
        "cohorts": int(cohorts[cohorts > 0].nunique()),
        "first_period": int(city["period"].min()),
    }
    rows = []
    for added in effects:
        frame = city.assign(outcome=city["outcome"] + added * post)
        rows += evaluate_defaults(frame, k, added, keys, methods)
    return rows


def _panel_order(column: pd.Series) -> pd.Series:
    return column.map(list(PANELS).index) if column.name == "panel" else column


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, help="draws per panel and k (100; summarise: first N)")
    parser.add_argument("--panels", default=",".join(PANELS), help="comma-separated subset")
    parser.add_argument("--treated", default=",".join(map(str, TREATED)), help="k, e.g. 3,5,8")
    parser.add_argument(
        "--methods", default="new,old", help="new,old: the defaults to evaluate (both)"
    )
    parser.add_argument(
        "--effect-draws", type=int, help="add the known effect on the first N draws only (all)"
    )
    parser.add_argument(
        "--first", type=int, default=0, help="start at this draw (continue an earlier run)"
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, help="raw CSV (appended draw by draw)")
    parser.add_argument("--summarise", type=Path, nargs="+", metavar="RAW", help="tabulate only")
    args = parser.parse_args(argv)
    by = ["panel", "treated"]
    if args.summarise:
        raw = pd.concat(
            [pd.read_csv(path, keep_default_na=False, na_values=[""]) for path in args.summarise]
        )
        raw = raw.drop_duplicates(["panel", "treated", "draw", "effect", "method"], keep="last")
        if args.draws is not None:
            raw = raw[raw["draw"] < args.draws]
        treated = [int(k) for k in args.treated.split(",")]
        raw = raw[raw["panel"].isin(args.panels.split(",")) & raw["treated"].isin(treated)]
        raw = raw.sort_values(["panel", "treated"], key=_panel_order, kind="stable")
        print(markdown(summarise(raw, by), by))
        return 0

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    draws = args.draws or 100
    out = args.out or Path(tempfile.gettempdir()) / f"placebo-city-scale-{args.seed}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    wanted = [int(k) for k in args.treated.split(",")]
    methods = tuple(f"{name} default" for name in args.methods.split(","))
    print(f"{code_state()}; raw rows to {out}", flush=True)
    rows = RawRows(out)
    for name in args.panels.split(","):
        panel = PANELS[name].load()
        effect = effect_size(panel)
        print(f"{name}: {panel['unit'].nunique()} units × {panel['period'].nunique()} periods, "
              f"effect {effect:.4g}", flush=True)  # fmt: skip
        for k in (k for k in wanted if k in PANELS[name].treated):
            clock = time.process_time()
            for draw in range(args.first, draws):
                shifted = args.effect_draws is None or draw < args.effect_draws
                effects = (0.0, effect) if shifted else (0.0,)
                rows.add(run_draw(name, panel, k, draw, args.seed, effects, methods))
            print(f"{name} k={k}: draws {args.first}–{draws - 1}, "
                  f"{time.process_time() - clock:.0f} CPU s",
                  flush=True)  # fmt: skip
    rows.finish(by)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
