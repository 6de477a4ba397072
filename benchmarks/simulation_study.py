"""Monte Carlo study of the DiD estimators: bias, coverage, size and power on simulated cities.

Run by hand from the repository root (see docs/simulation-study.md for the design and results):

    .venv/bin/python benchmarks/simulation_study.py                  # 1,000 cities per design
    .venv/bin/python benchmarks/simulation_study.py --cities 40      # a quick look, ~1 minute
    .venv/bin/python benchmarks/simulation_study.py --summarise RAW.csv [--cities 300]
    .venv/bin/python benchmarks/simulation_study.py --estimators cs-analytic,cs-bootstrap
    .venv/bin/python benchmarks/simulation_study.py --summarise FULL.csv CS.csv  # CS re-run wins

Every simulated city is a balanced panel of districts over ten years with district and year
effects, AR(1) errors within each district and measures that start in staggered cohorts. City c
of design d draws its numbers from SeedSequence((seed, d, c)) alone, so results do not depend on
the number of worker processes, and the first K cities of a long run are exactly a K-city run.
Each city is evaluated three times on the same noise: with no effect (placebo measures) and with
an average effect of 0.5 and of 1.0 percentage points (a reduction) that grows with the years
since the start. Raw results (one row per city, effect and estimator) go to
$TMPDIR/budget-monitor-bench/simulation-<cities>-<seed>.csv (…-<estimators>.csv for a run of
selected estimators), written in city order as the run goes on, so an interrupted run can still
be summarised; the Markdown tables go to stdout (and to --out). Because the cities depend on the
seed alone, a run of selected estimators (after a change to one of them) evaluates exactly the
same cities as the full run, and `--summarise` of several raw files lets the later rows replace
the earlier ones of the same city, effect and estimator.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.did import staggered, twfe
from evaluation.did.twfe import choose_inference
from evaluation.panel_evaluation import EvaluationOptions, evaluate_panel

PERIODS = 10  # years 1..10
RHO = 0.5  # AR(1) coefficient of the errors within a district
NOISE_SD = 1.0  # stationary standard deviation of the errors (percentage points)
LEVEL, DISTRICT_SD = 10.0, 2.0  # district effects ~ N(10, 2²): SGB II rates around 10 %
YEAR_TREND, YEAR_SD = -0.1, 0.3  # year effects: −0.1 pp a year plus N(0, 0.3²) shocks
EFFECTS = (0.0, 0.5, 1.0)  # size of the true ATT (CS "simple" aggregation), a reduction
ALPHA = 0.05
DRAWS = 999  # wild bootstrap, randomization inference, multiplier bootstrap


@dataclass(frozen=True)
class Design:
    """Districts per city and the start cohorts (first treated year, number of districts)."""

    name: str
    districts: int
    cohorts: tuple[tuple[int, int], ...]
    estimators: tuple[str, ...]

    @property
    def treated(self) -> int:
        return sum(size for _, size in self.cohorts)


STAGGERED_ESTIMATORS = (
    "twfe_classical",
    "twfe_cr1",
    "twfe_wild",
    "twfe_ri",
    "cs_analytic_r",
    "cs_analytic",
    "cs_bootstrap",
    "cs_notyet",
)
SINGLE_ESTIMATORS = ("sdid_placebo", "twfe_cr1", "twfe_wild", "twfe_ri", "cs_single")
DESIGNS = (
    Design("20 districts, 8 treated", 20, ((4, 3), (6, 3), (8, 2)), STAGGERED_ESTIMATORS),
    Design("12 districts, 6 treated", 12, ((4, 2), (6, 2), (8, 2)), STAGGERED_ESTIMATORS),
    Design("20 districts, 1 treated", 20, ((7, 1),), SINGLE_ESTIMATORS),
)
LABELS = {
    "twfe_classical": "TWFE, classical s.e. (not clustered)",
    "twfe_cr1": "TWFE, CR1 by district, t(G−1)",
    "twfe_wild": "TWFE, wild cluster bootstrap (WCR)",
    "twfe_ri": "TWFE, randomization inference",
    "cs_analytic_r": "CS simple, analytic, divisor N as R `did` (the default before)",
    "cs_analytic": "CS simple, analytic = `evaluate_panel` default",
    "cs_bootstrap": "CS simple, multiplier bootstrap",
    "cs_notyet": "CS simple, not-yet-treated comparison, analytic",
    "sdid_placebo": "SDID, placebo s.e. = `evaluate_panel` default",
    "cs_single": "CS simple, analytic",
}
# What each estimator estimates: the ATT over treated post-periods weighted by cohort size
# (CS "simple"; SDID with one treated district is the same average), or the TWFE coefficient's
# own weighted average of the cell effects.
TARGETS = {key: "twfe" if key.startswith("twfe") else "att" for key in LABELS}


def effect_profile(design: Design, starts: np.ndarray) -> np.ndarray:
    """Districts × years effect of a −1 pp average ATT: −(e + 1)/c for e = t − g ≥ 0.

    The effect grows linearly with the years since the start; c makes the cohort-size-weighted
    mean over the treated post-periods (the CS "simple" ATT) exactly −1.
    """
    years = np.arange(1, PERIODS + 1)
    since = years[None, :] - starts[:, None]
    growth = np.where((starts[:, None] > 0) & (since >= 0), since + 1.0, 0.0)
    treated = (starts[:, None] > 0) & (since >= 0)
    return -growth / growth[treated].mean()


def canonical_starts(design: Design) -> np.ndarray:
    starts = np.zeros(design.districts)
    first = 0
    for start, size in design.cohorts:
        starts[first : first + size] = start
        first += size
    return starts


def true_values(design: Design) -> dict[str, float]:
    """Per unit of effect size: the ATT (−1 by construction) and the TWFE estimand.

    In a balanced panel TWFE is β = Σ D̃_it y_it / Σ D̃_it² with D̃ the treatment after removing
    district and year means, so E[β] = Σ D̃_it τ_it / Σ D̃_it² over the treated cells: weights
    fixed by the cohort sizes and timing (de Chaisemartin & D'Haultfœuille 2020). Which
    districts are treated does not matter.
    """
    starts = canonical_starts(design)
    years = np.arange(1, PERIODS + 1)
    d = ((starts[:, None] > 0) & (years[None, :] >= starts[:, None])).astype(float)
    tilde = d - d.mean(axis=1, keepdims=True) - d.mean(axis=0, keepdims=True) + d.mean()
    tau = effect_profile(design, starts)
    weights = tilde * d / (tilde * d).sum()
    return {
        "att": float(tau[d == 1].mean()),
        "twfe": float((weights * tau).sum()),
        "negative_weights": int((weights[d == 1] < 0).sum()),
        "treated_cells": int(d.sum()),
    }


def simulate_city(design: Design, city: int, seed: int, design_index: int) -> dict:
    """One city's baseline outcome (no effect), start years and effect profile."""
    rng = np.random.default_rng(np.random.SeedSequence((seed, design_index, city)))
    n = design.districts
    starts = canonical_starts(design)[rng.permutation(n)]
    shocks = rng.standard_normal((n, PERIODS))
    errors = np.empty((n, PERIODS))
    errors[:, 0] = NOISE_SD * shocks[:, 0]
    innovation_sd = NOISE_SD * np.sqrt(1 - RHO**2)
    for t in range(1, PERIODS):
        errors[:, t] = RHO * errors[:, t - 1] + innovation_sd * shocks[:, t]
    district = LEVEL + DISTRICT_SD * rng.standard_normal(n)
    years = np.arange(1, PERIODS + 1)
    year = YEAR_TREND * years + YEAR_SD * rng.standard_normal(PERIODS)
    baseline = district[:, None] + year[None, :] + errors
    return {"baseline": baseline, "starts": starts, "profile": effect_profile(design, starts)}


def city_frame(outcome: np.ndarray, starts: np.ndarray) -> pd.DataFrame:
    n = outcome.shape[0]
    years = np.tile(np.arange(1, PERIODS + 1), n)
    start = np.repeat(starts, PERIODS)
    return pd.DataFrame(
        {
            "district": np.repeat(np.arange(1, n + 1), PERIODS),
            "year": years,
            "rate": outcome.ravel(),
            "start": start,
            "treated": ((start > 0) & (years >= start)).astype(float),
        }
    )


def _twfe(inference: str, cluster: str | None = "district") -> Callable:
    def run(frame: pd.DataFrame, seed: int):
        return twfe(
            frame, "rate", "district", "year", "treated", cluster=cluster,
            inference=inference, seed=seed, draws=DRAWS,
        )  # fmt: skip

    return run


def _default(expected_method: str) -> Callable:
    def run(frame: pd.DataFrame, seed: int):
        result = evaluate_panel(
            frame, "rate", "district", "year", "start", EvaluationOptions(seed=seed)
        )
        if result.method != expected_method:
            raise RuntimeError(f"evaluate_panel chose {result.method}, not {expected_method}")
        return result

    return run


def _cs(inference: str, **options: object) -> Callable:
    """`staggered` with its defaults (the small-cohort correction) unless options say otherwise."""

    def run(frame: pd.DataFrame, seed: int):
        return staggered(
            frame, "rate", "district", "year", "start", inference=inference, seed=seed,
            draws=DRAWS, **options,
        )  # fmt: skip

    return run


RUNNERS: dict[str, Callable] = {
    "twfe_classical": _twfe("analytic", cluster=None),
    "twfe_cr1": _twfe("analytic"),
    "twfe_wild": _twfe("wild"),
    "twfe_ri": _twfe("randomization"),
    "cs_analytic_r": _cs("analytic", small_sample=None),
    "cs_analytic": _default("staggered"),
    "cs_bootstrap": _cs("bootstrap"),
    "cs_notyet": _cs("analytic", control="notyet"),
    "sdid_placebo": _default("sdid"),
    "cs_single": _cs("analytic"),
}


def run_city(task: tuple[int, int, int, tuple[str, ...] | None]) -> list[dict]:
    """The design's estimators (those selected, if any) on one city under every effect size."""
    design_index, city, seed, selected = task
    design = DESIGNS[design_index]
    world = simulate_city(design, city, seed, design_index)
    keys = [key for key in design.estimators if selected is None or key in selected]
    rows = []
    for effect in EFFECTS:
        frame = city_frame(world["baseline"] + effect * world["profile"], world["starts"])
        for key in keys:
            row = {"design": design_index, "city": city, "effect": effect, "estimator": key}
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    result = RUNNERS[key](frame, seed * 100_003 + city)
                row.update(
                    estimate=result.estimate,
                    ci_low=result.ci_low,
                    ci_high=result.ci_high,
                    pvalue=result.pvalue,
                    error="",
                )
            except Exception as error:  # a failed fit is a result too: counted in the table
                row.update(estimate=np.nan, ci_low=np.nan, ci_high=np.nan, pvalue=np.nan)
                row["error"] = f"{type(error).__name__}: {error}"[:200]
            rows.append(row)
    return rows


def _cell(value: float, mcse: float | None = None, digits: int = 3) -> str:
    if not np.isfinite(value):
        return "–"
    text = f"{value:.{digits}f}"
    return f"{text} ({mcse:.{digits}f})" if mcse is not None and np.isfinite(mcse) else text


def _rate(hits: pd.Series) -> tuple[float, float]:
    p, n = float(hits.mean()), int(hits.size)
    return p, float(np.sqrt(p * (1 - p) / n)) if n else np.nan


def summarise(raw: pd.DataFrame) -> str:
    """Markdown: per design the true values, then size and power, then bias and coverage."""
    out = []
    for index, design in enumerate(DESIGNS):
        rows = raw[raw["design"] == index]
        if rows.empty:
            continue
        truth = true_values(design)
        cities = rows["city"].nunique()
        present = [key for key in design.estimators if (rows["estimator"] == key).any()]
        auto, why = choose_inference(
            design.districts, design.treated, design.districts - design.treated, True
        )
        out += [
            f"### {design.name} ({cities} cities)",
            "",
            f"Cohorts (first year: districts): "
            f"{', '.join(f'{g}: {k}' for g, k in design.cohorts)}; "
            f"{design.districts - design.treated} never treated. True values per 1 pp of ATT: "
            f"ATT (CS simple) = {truth['att']:.3f}, TWFE estimand = {truth['twfe']:.3f} "
            f"({truth['negative_weights']} of {truth['treated_cells']} treated cells carry a "
            f'negative TWFE weight). `twfe(inference="auto")` would choose **{auto}** ({why}).',
            "",
            "| estimator | failed | size: rejects at effect 0 | power at 0.5 | power at 1.0 "
            "| coverage at 0 | coverage at 0.5 | coverage at 1.0 | median CI width |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for key in present:
            mine = rows[rows["estimator"] == key]
            cells = [LABELS[key], str(int(mine["estimate"].isna().sum()))]
            rejections, coverages = [], []
            for effect in EFFECTS:
                part = mine[(mine["effect"] == effect) & mine["estimate"].notna()]
                target = effect * truth[TARGETS[key]]
                rejections.append(_cell(*_rate(part["pvalue"] <= ALPHA)))
                covered = (part["ci_low"] <= target) & (target <= part["ci_high"])
                coverages.append(_cell(*_rate(covered)))
            null = mine[(mine["effect"] == 0.0) & mine["estimate"].notna()]
            width = float((null["ci_high"] - null["ci_low"]).median())
            out.append("| " + " | ".join([*cells, *rejections, *coverages, _cell(width)]) + " |")
        out += [
            "",
            "| estimator (effect 1.0 pp) | target | true value | mean estimate | bias (MCSE) "
            "| bias against the ATT | RMSE | coverage of the ATT |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for key in present:
            part = rows[(rows["estimator"] == key) & (rows["effect"] == 1.0)].dropna(
                subset=["estimate"]
            )
            target = truth[TARGETS[key]]
            est = part["estimate"]
            mcse = float(est.std(ddof=1) / np.sqrt(est.size))
            covered = (part["ci_low"] <= truth["att"]) & (truth["att"] <= part["ci_high"])
            name = "ATT (CS simple)" if TARGETS[key] == "att" else "TWFE estimand"
            out.append(
                "| "
                + " | ".join(
                    [
                        LABELS[key],
                        name,
                        f"{target:.3f}",
                        _cell(float(est.mean())),
                        _cell(float(est.mean()) - target, mcse),
                        _cell(float(est.mean()) - truth["att"], mcse),
                        _cell(float(np.sqrt(((est - target) ** 2).mean()))),
                        _cell(*_rate(covered)),
                    ]
                )
                + " |"
            )
        errors = rows.loc[rows["estimate"].isna(), "error"].astype(str).value_counts()
        if not errors.empty:
            out += ["", "Failures: " + "; ".join(f"{n}× {e}" for e, n in errors.head(3).items())]
        out.append("")
    return "\n".join(out)


def read_raw(paths: list[Path]) -> pd.DataFrame:
    """Raw results of one or more runs; a later file's row replaces an earlier one's with the
    same design, city, effect and estimator (a re-run of some estimators on the same cities)."""
    frames = [pd.read_csv(p, keep_default_na=False, na_values=["", "nan"]) for p in paths]
    raw = pd.concat(frames, ignore_index=True)
    return raw.drop_duplicates(["design", "city", "effect", "estimator"], keep="last")


def parse_estimators(text: str | None) -> tuple[str, ...] | None:
    """`cs-analytic,cs-bootstrap` → ("cs_analytic", "cs_bootstrap"); None runs them all."""
    if text is None:
        return None
    keys = tuple(name.strip().replace("-", "_") for name in text.split(",") if name.strip())
    unknown = [key for key in keys if key not in RUNNERS]
    if unknown or not keys:
        known = ", ".join(key.replace("_", "-") for key in RUNNERS)
        raise SystemExit(f"unknown estimators {', '.join(unknown) or text!r}; known: {known}")
    return keys


def cache_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "budget-monitor-bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cities", type=int, help="cities per design (1000; with --summarise: the first N)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--designs", default="0,1,2", help="design numbers, comma-separated")
    parser.add_argument(
        "--estimators",
        help="run only these, comma-separated (e.g. cs-analytic,cs-bootstrap); default: all",
    )
    parser.add_argument(
        "--summarise",
        type=Path,
        nargs="+",
        help="summarise these raw CSVs instead of running (later files replace earlier rows)",
    )
    parser.add_argument("--out", type=Path, help="also write the Markdown tables here")
    args = parser.parse_args(argv)

    if args.summarise:
        raw = read_raw(args.summarise)
        raw = raw if args.cities is None else raw[raw["city"] < args.cities]
        text = summarise(raw)
    else:
        args.cities = args.cities or 1000
        designs = [int(d) for d in args.designs.split(",")]
        selected = parse_estimators(args.estimators)
        suffix = "" if selected is None else "-" + "-".join(selected)
        raw_path = cache_folder() / f"simulation-{args.cities}-{args.seed}{suffix}.csv"
        # One BLAS thread per worker: the processes share the cores, not the threads.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[name] = "1"
        tasks = [(d, c, args.seed, selected) for c in range(args.cities) for d in designs]
        started = time.perf_counter()
        frames = []
        with ProcessPoolExecutor(args.workers, mp_context=get_context("spawn")) as pool:
            for done, rows in enumerate(pool.map(run_city, tasks, chunksize=2), start=1):
                frame = pd.DataFrame(rows)
                frame.to_csv(raw_path, mode="a" if done > 1 else "w", header=done == 1, index=False)
                frames.append(frame)
                if done % max(1, len(tasks) // 20) == 0 or done == len(tasks):
                    elapsed = time.perf_counter() - started
                    print(
                        f"{done}/{len(tasks)} city-designs, {elapsed / 60:.1f} min, "
                        f"about {elapsed / done * (len(tasks) - done) / 60:.1f} min to go",
                        file=sys.stderr,
                    )
        minutes = (time.perf_counter() - started) / 60
        text = summarise(pd.concat(frames, ignore_index=True))
        text += (
            f"\n{args.cities} cities per design, seed {args.seed}, {args.workers} worker "
            f"processes, {minutes:.1f} minutes wall time; raw results in {raw_path}\n"
        )
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
