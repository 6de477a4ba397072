"""Placebo study on Berlin's planning areas: how often do the estimators find an effect of
measures that do nothing? The design of Bertrand, Duflo & Mullainathan (2004, QJE 119(1)),
"How much should we trust differences-in-differences estimates?", on Berlin's 447 planning areas
instead of US states (docs/placebo-berlin.md has the design and the results).

Run by hand from the repository root:

    .venv/bin/python benchmarks/placebo_berlin.py --mss PATH/berlin-mss   # full study, ~15 CPU min
    .venv/bin/python benchmarks/placebo_berlin.py --mss PATH/berlin-mss \
        --draws 20 --needy-draws 10 --boot 199                           # a quick look

The panel is built as docs/case-study-berlin.md builds it, through the product's own import:
`import districts` and `import indicators --period` of the MSS tables "2-1" of 2013–2019 into a
fresh SQLite ledger with examples/settings-berlin-mss.toml, then read back from the ledger. The
outcome is S3 Transferbezug (non-unemployed SGB II/XII recipients per 100 inhabitants) in the
periods 2012, 2014, 2016, 2018; planning areas without a value in every period (those the MSS
did not compute) are left out, as an evaluation would leave them out.

Each draw gives a fake measure to planning areas and evaluates it with every method and inference
the product offers for a staggered design: `evaluate_panel` with its defaults (auto picks
Callaway & Sant'Anna with analytic errors for three treated areas or more), TWFE with CR1 errors,
wild cluster bootstrap and randomization inference, Callaway & Sant'Anna with analytic errors and
with the multiplier bootstrap. Assignments:

- random: TREATED areas drawn at random, each with a start drawn from 2014, 2016, 2018;
- need: per start g, TREATED/3 areas drawn from the POOL areas of highest need index (SPEC §7,
  from `need_panel`) in the last period before g — a programme sent where need is greatest;
- dip: per start g in 2016, 2018, TREATED/2 areas drawn from the POOL areas whose S3 rose most
  in the two years before g — a programme sent where things just got worse (Ashenfelter's dip).

Draw d of design k takes its numbers from SeedSequence((seed, k, d)) alone, so a short run is a
prefix of a long one. Raw results go to $TMPDIR/budget-monitor-bench/placebo-berlin-<seed>.csv;
the Markdown table to stdout (and --out). `--designs need,dip` runs a subset (in parallel
with another process, say); `--summarise RAW.csv …` tabulates raw files together. Every figure
comes from the product's public functions, so a change in evaluation/ shows in the next run.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.did import staggered, twfe
from evaluation.did.results import Estimate
from evaluation.need import need_panel
from evaluation.panel_evaluation import evaluate_panel
from ledger.master_store import indicator_values
from monitor.context import AppContext
from monitor.master_commands import import_master_file
from monitor.need_commands import need_inputs
from monitor.settings import load_settings

REPO = Path(__file__).resolve().parents[1]
SETTINGS = REPO / "examples" / "settings-berlin-mss.toml"
EDITIONS = {2013: 2012, 2015: 2014, 2017: 2016, 2019: 2018}  # MSS edition Y is period Y−1
OUTCOME = "transferbezug"
STARTS = (2014, 2016, 2018)
DIP_STARTS = (2016, 2018)  # a dip needs two periods before the start
TREATED = 45  # about a tenth of the planning areas
POOL = 45  # the neediest (or most dipped) areas a cohort is drawn from, per start
ALPHA = 0.05
# The codes of evaluation.did.warnings.selection_on_need (level and dip).
SELECTION_CODES = ("regression_to_mean", "ashenfelter_dip")
DESIGNS = ("random", "need", "dip")


@dataclass(frozen=True)
class Method:
    """One estimator and inference; `run` takes the panel (with `cohort`), draws and a seed."""

    name: str
    run: Callable[[pd.DataFrame, int, int], Estimate]


def _treatment(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(d=((frame["cohort"] > 0) & (frame["time"] >= frame["cohort"])) * 1.0)


def _default(frame: pd.DataFrame, draws: int, seed: int) -> Estimate:
    evaluation = evaluate_panel(frame, "y", "unit", "time", "cohort")
    assert evaluation.method == "staggered", evaluation.method  # auto with ≥ 3 treated areas
    return evaluation.result  # type: ignore[return-value]


def _twfe(inference: str) -> Callable[[pd.DataFrame, int, int], Estimate]:
    def run(frame: pd.DataFrame, draws: int, seed: int) -> Estimate:
        return twfe(
            _treatment(frame), "y", "unit", "time", "d", cluster="unit", inference=inference,
            seed=seed, draws=draws,
        )  # fmt: skip

    return run


def _cs(inference: str) -> Callable[[pd.DataFrame, int, int], Estimate]:
    def run(frame: pd.DataFrame, draws: int, seed: int) -> Estimate:
        return staggered(
            frame, "y", "unit", "time", "cohort", inference=inference, draws=draws, seed=seed
        )

    return run


METHODS = (
    Method("default: evaluate_panel (auto → CS, analytic)", _default),
    Method("TWFE, CR1 clustered by area", _twfe("analytic")),
    Method("TWFE, wild cluster bootstrap", _twfe("wild")),
    Method("TWFE, randomization inference", _twfe("randomization")),
    Method("CS, analytic (influence function)", _cs("analytic")),
    Method("CS, multiplier bootstrap", _cs("bootstrap")),
)


def build_panel(mss: Path, folder: Path) -> pd.DataFrame:
    """The MSS 2013–2019 panel through `import districts` / `import indicators` and `need`.

    Returns unit, time (int), y (S3 in %), need (need index, SPEC §7) for the areas with S3 in
    every period.
    """
    settings = load_settings(SETTINGS)
    app = AppContext(settings=settings, database_url=f"sqlite:///{folder / 'berlin.db'}")
    documents = [import_master_file(app, "districts", mss / "mss-2013-2-1.csv")]
    for edition, period in EDITIONS.items():
        documents.append(
            import_master_file(
                app, "indicators", mss / f"mss-{edition}-2-1.csv", period=str(period)
            )
        )
    problems = [d for d in documents if d["errors"]]
    if problems:
        raise SystemExit(f"import failed: {problems[0]['file']}: {problems[0]['errors'][:3]}")
    with app.engine.connect() as connection:
        values = indicator_values(connection)
        inputs = need_inputs(connection, settings)
    need = need_panel(
        inputs.values, inputs.population, inputs.weights, inputs.higher_is_worse,
        settings.disclosure.min_population,
    )  # fmt: skip
    outcome = values[values["indicator"] == OUTCOME].pivot(
        index="district", columns="period", values="value"
    )
    outcome = outcome.dropna()
    panel = outcome.stack().rename("y").reset_index()
    panel = panel.rename(columns={"district": "unit"})
    panel["time"] = panel["period"].astype(int)
    index = need.set_index(["district", "period"])["need_index"]
    panel["need"] = index.reindex(pd.MultiIndex.from_frame(panel[["unit", "period"]])).to_numpy()
    return panel[["unit", "time", "y", "need"]].sort_values(["unit", "time"], ignore_index=True)


def random_cohorts(units: np.ndarray, rng: np.random.Generator) -> pd.Series:
    """TREATED areas at random, each with a random start from STARTS; the rest 0 (never)."""
    treated = rng.choice(units, size=TREATED, replace=False)
    cohorts = pd.Series(0, index=units, dtype="int64")
    cohorts[treated] = rng.choice(STARTS, size=TREATED)
    return cohorts


def selected_cohorts(panel: pd.DataFrame, rng: np.random.Generator, design: str) -> pd.Series:
    """Cohorts chosen on the outcome's history: per start, from the POOL areas of highest need
    in the last period before it ("need"), or of the largest rise of S3 over the two years
    before it ("dip"); an area is chosen once."""
    wide_need = panel.pivot(index="unit", columns="time", values="need")
    wide_y = panel.pivot(index="unit", columns="time", values="y")
    starts = STARTS if design == "need" else DIP_STARTS
    per_start = TREATED // len(starts)
    cohorts = pd.Series(0, index=wide_y.index, dtype="int64")
    for start in starts:
        last = start - 2  # the last period before the start
        score = wide_need[last] if design == "need" else wide_y[last] - wide_y[last - 2]
        free = score[cohorts == 0].dropna().sort_values(ascending=False)
        pool = free.index[:POOL].to_numpy()
        cohorts[rng.choice(pool, size=per_start, replace=False)] = start
    return cohorts


def draw_cohorts(panel: pd.DataFrame, design: str, rng: np.random.Generator) -> pd.Series:
    """The fake measure's first period per area (0 = never) for one draw of a design."""
    if design == "random":
        return random_cohorts(np.sort(panel["unit"].unique()), rng)
    return selected_cohorts(panel, rng, design)


def run_draw(
    panel: pd.DataFrame, design: str, draw: int, seed: int, draws: int
) -> list[dict[str, object]]:
    """Every method on one draw: estimate, p-value, significant at ALPHA, selection warning."""
    design_index = DESIGNS.index(design)
    rng = np.random.default_rng(np.random.SeedSequence((seed, design_index, draw)))
    cohorts = draw_cohorts(panel, design, rng)
    frame = panel.assign(cohort=panel["unit"].map(cohorts).astype(float))
    rows = []
    for method in METHODS:
        started = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = method.run(frame, draws, seed + draw)
        rows.append(
            {
                "design": design,
                "draw": draw,
                "method": method.name,
                "estimate": result.estimate,
                "pvalue": result.pvalue,
                "inference": result.inference,
                "significant": bool(result.pvalue < ALPHA),
                "selection_warning": any(c.code in SELECTION_CODES for c in result.caveats),
                "cpu_seconds": time.process_time() - started,
            }
        )
    return rows


def summarise(raw: pd.DataFrame) -> pd.DataFrame:
    """Per design and method: draws, share significant with its Monte Carlo SE, mean estimate,
    share of draws with the selection warning, CPU seconds per draw."""
    grouped = raw.groupby(["design", "method"], sort=False)
    table = grouped.agg(
        draws=("significant", "size"),
        rejected=("significant", "mean"),
        mean_estimate=("estimate", "mean"),
        sd_estimate=("estimate", "std"),
        warned=("selection_warning", "mean"),
        cpu=("cpu_seconds", "mean"),
    ).reset_index()
    table["mc_se"] = np.sqrt(table["rejected"] * (1 - table["rejected"]) / table["draws"])
    return table


def markdown(table: pd.DataFrame) -> str:
    lines = [
        "| design | method | draws | significant at 5 % | MC SE | mean estimate (pp) | "
        "SD of estimates | selection warning | CPU s per draw |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in table.itertuples():
        lines.append(
            f"| {row.design} | {row.method} | {row.draws} | {row.rejected:.1%} | "
            f"{row.mc_se:.1%} | {row.mean_estimate:+.3f} | {row.sd_estimate:.3f} | "
            f"{row.warned:.0%} | {row.cpu:.2f} |"
        )
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h %cs"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mss", type=Path, required=True, help="folder with mss-YYYY-2-1.csv")
    parser.add_argument("--draws", type=int, default=1000, help="random draws (1000)")
    parser.add_argument(
        "--needy-draws", type=int, default=500, help="need and dip draws each (500)"
    )
    parser.add_argument("--boot", type=int, default=999, help="bootstrap/permutation draws (999)")
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument("--designs", default=",".join(DESIGNS), help="comma-separated subset")
    parser.add_argument("--out", type=Path, help="also write the Markdown table here")
    parser.add_argument(
        "--summarise", type=Path, nargs="+", metavar="RAW", help="only tabulate raw CSV files"
    )
    args = parser.parse_args()
    if args.summarise:
        raw = pd.concat([pd.read_csv(path, dtype={"method": str}) for path in args.summarise])
        text = markdown(summarise(raw.drop_duplicates(["design", "draw", "method"])))
        print(text)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        return
    designs = args.designs.split(",")

    started, wall = time.process_time(), time.perf_counter()
    bench = Path(tempfile.gettempdir()) / "budget-monitor-bench"
    bench.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        panel = build_panel(args.mss, Path(folder))
    print(
        f"panel: {panel['unit'].nunique()} planning areas × {panel['time'].nunique()} periods, "
        f"commit {_commit()}, {args.boot} bootstrap/permutation draws",
        flush=True,
    )
    raw_path = bench / f"placebo-berlin-{args.seed}-{'-'.join(designs)}.csv"
    rows: list[dict[str, object]] = []
    counts = {"random": args.draws, "need": args.needy_draws, "dip": args.needy_draws}
    for design in designs:
        count = counts[design]
        for draw in range(count):
            rows += run_draw(panel, design, draw, args.seed, args.boot)
            if (draw + 1) % 50 == 0:
                pd.DataFrame(rows).to_csv(raw_path, index=False)
                print(f"{design}: {draw + 1} draws, {time.process_time() - started:.0f} CPU s",
                      flush=True)  # fmt: skip
    raw = pd.DataFrame(rows)
    raw.to_csv(raw_path, index=False)
    text = markdown(summarise(raw))
    cpu, elapsed = time.process_time() - started, time.perf_counter() - wall
    inference = raw.groupby("method", sort=False)["inference"].first()
    notes = "\n".join(f"- {method}: {text}" for method, text in inference.items())
    footer = (
        f"\n\n{notes}\n\n{len(raw)} estimates in {cpu:.0f} CPU s ({elapsed:.0f} s wall); "
        f"raw: {raw_path}"
    )
    print(text + footer)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
