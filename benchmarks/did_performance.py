"""How long the DiD estimators take on large and reference panels, against pyfixest for TWFE.

Run by hand from the repository root (figures and findings in docs/performance-evaluation.md):

    .venv/bin/python benchmarks/did_performance.py                   # 5,000 units × 120 periods
    .venv/bin/python benchmarks/did_performance.py --units 500 --runs 3
    .venv/bin/python benchmarks/did_performance.py --profile         # where TWFE spends its time

Cases, each timed `--runs` times (5) in this one process after one untimed warm-up call, with
the median reported:

- TWFE with CR1 errors clustered by unit, `twfe(..., cluster="unit")`, on a simulated panel of
  `--units` units × `--periods` periods with staggered 0/1 treatment, balanced and with 10 % of
  the rows dropped at random (unbalanced); beside it pyfixest's warm call
  `feols("y ~ d | unit + time", vcov={"CRV1": "unit"})` on the same data, whose coefficient and
  standard error are checked against ours.
- Callaway & Sant'Anna on mpdta (tests/data/did-reference), 999 multiplier-bootstrap draws.
- Synthetic DiD on California's Proposition 99 (tests/data/prop99), 200 placebo replications.

Wall and CPU seconds are both reported (CPU: `time.process_time`, all threads of the process):
on a shared machine the wall time also counts waiting for a core, and multi-threaded code
(OpenBLAS, numba) can use more CPU than wall time or lose much time in thread hand-offs.
Peak memory is the largest block of Python-traced allocations during one extra call
(tracemalloc; numpy's arrays are traced), not the resident set of the process.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib.metadata
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evaluation.did import staggered, synthetic_did, twfe

ROOT = Path(__file__).resolve().parent.parent
MPDTA = ROOT / "tests" / "data" / "did-reference" / "mpdta.csv"
PROP99 = ROOT / "tests" / "data" / "prop99" / "california_prop99.csv"
CS_GOAL_SECONDS = 5.0
DROP_SHARE = 0.10


@dataclass(frozen=True)
class Timing:
    case: str
    seconds: list[float]
    cpu_seconds: list[float]
    peak_mib: float
    check: str

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def simulated_panel(units: int, periods: int, seed: int) -> pd.DataFrame:
    """Unit and period effects, 0/1 treatment from a random start (30 % never), effect 0.5."""
    rng = np.random.default_rng(seed)
    starts = rng.integers(periods // 4, periods, size=units).astype(float)
    starts[rng.random(units) < 0.3] = 0
    unit = np.repeat(np.arange(units), periods)
    period = np.tile(np.arange(1, periods + 1), units)
    start = starts[unit]
    d = ((start > 0) & (period >= start)).astype(float)
    y = rng.normal(0, 2, units)[unit] + np.sin(period / 7) + 0.5 * d + rng.standard_normal(d.size)
    return pd.DataFrame({"unit": unit, "time": period, "d": d, "y": y})


def drop_rows(frame: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return frame[rng.random(len(frame)) >= share].reset_index(drop=True)


def measure(case: str, call: Callable[[], object], runs: int, check: str = "") -> Timing:
    call()  # warm-up: imports, numba compilation (pyfixest), caches
    seconds, cpu_seconds = [], []
    for _ in range(runs):
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
    gc.collect()
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Timing(case, seconds, cpu_seconds, peak / 2**20, check)


def ours(frame: pd.DataFrame):
    return twfe(frame, "y", "unit", "time", "d", cluster="unit")


def pyfixest_call(frame: pd.DataFrame):
    import pyfixest

    return pyfixest.feols("y ~ d | unit + time", data=frame, vcov={"CRV1": "unit"})


def twfe_cases(frame: pd.DataFrame, label: str, runs: int) -> list[Timing]:
    mine, theirs = ours(frame), pyfixest_call(frame)
    b, se = float(theirs.coef()["d"]), float(theirs.se()["d"])
    check = (
        f"b {mine.estimate:.10f} vs {b:.10f}; s.e. {mine.se:.10f} vs {se:.10f} "
        f"(relative difference {abs(mine.se / se - 1):.1e})"
    )
    return [
        measure(f"TWFE CR1, ours, {label}", lambda: ours(frame), runs, check),
        measure(f"TWFE CR1, pyfixest feols, {label}", lambda: pyfixest_call(frame), runs),
    ]


def cs_case(runs: int) -> Timing:
    mpdta = pd.read_csv(MPDTA)

    def call():
        return staggered(
            mpdta, "lemp", "countyreal", "year", "first.treat", inference="bootstrap", draws=999
        )

    result = call()
    check = f"ATT {result.estimate:.6f} (s.e. {result.se:.6f}); goal under {CS_GOAL_SECONDS:g} s"
    return measure("Callaway & Sant'Anna, mpdta, 999 multiplier draws", call, runs, check)


def sdid_case(runs: int) -> Timing:
    prop99 = pd.read_csv(PROP99, sep=";")

    def call():
        return synthetic_did(
            prop99, "PacksPerCapita", "State", "Year", "treated", replications=200, seed=0
        )

    result = call()
    check = f"estimate {result.estimate:.5f} (placebo s.e. {result.se:.4f})"
    return measure("Synthetic DiD, Proposition 99, 200 placebos", call, runs, check)


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("numpy", "scipy", "pandas", "pyfixest", "numba")
    )
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    return (
        f"{os.cpu_count()} CPUs (nproc), {model}; Python {platform.python_version()} on "
        f"{platform.system()} {platform.release()}; {versions}; OPENBLAS_NUM_THREADS {threads}; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average (1, 5, 15 min) at "
        f"the start {load_average()}"
    )


def table(timings: list[Timing], runs: int) -> str:
    lines = [
        f"| case | median of {runs} (s) | min–max (s) | median CPU (s) | peak traced memory (MiB) "
        "| check |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in timings:
        lines.append(
            f"| {t.case} | {t.median:.3f} | {min(t.seconds):.3f}–{max(t.seconds):.3f} "
            f"| {statistics.median(t.cpu_seconds):.3f} | {t.peak_mib:,.0f} | {t.check} |"
        )
    return "\n".join(lines)


def profile(frame: pd.DataFrame, label: str, top: int) -> str:
    """cProfile of one warm TWFE call: project functions and the heaviest callees by own time.

    Timed in CPU seconds (`time.process_time`), which waiting for a busy core does not inflate.
    """
    ours(frame)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    ours(frame)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumulative, own, calls, path, line, name))
    project = [
        r
        for r in rows
        if str(ROOT) in r[3] and not any(d in r[3] for d in ("/benchmarks/", "/.venv/"))
    ]
    lines = [
        f"Profile of one warm `twfe` call, {label} ({total:.3f} CPU s under cProfile)",
        "",
        "| function (project code, by cumulative CPU time) | calls | cumulative (s) | own (s) |",
        "| --- | --- | --- | --- |",
    ]
    for cumulative, own, calls, path, line, name in sorted(project, reverse=True)[:top]:
        where = f"{Path(path).relative_to(ROOT)}:{line} {name}"
        lines.append(f"| {where} | {calls} | {cumulative:.4f} | {own:.4f} |")
    lines += [
        "",
        "| function (any code, by own CPU time) | calls | own (s) |",
        "| --- | --- | --- |",
    ]
    for _, own, calls, path, line, name in sorted(rows, key=lambda r: -r[1])[:top]:
        short = path if str(ROOT) not in path else str(Path(path).relative_to(ROOT))
        short = short.split("site-packages/")[-1]
        lines.append(f"| {short}:{line} {name} | {calls} | {own:.4f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--periods", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--profile", action="store_true", help="profile TWFE instead of timing")
    parser.add_argument("--top", type=int, default=12, help="rows per profile table")
    parser.add_argument("--out", type=Path, help="also write the Markdown here")
    args = parser.parse_args(argv)

    balanced = simulated_panel(args.units, args.periods, args.seed)
    unbalanced = drop_rows(balanced, DROP_SHARE, args.seed + 1)
    size = f"{args.units:,} units × {args.periods} periods"
    labels = {
        "balanced": f"balanced, {size} = {len(balanced):,} rows",
        "unbalanced": f"unbalanced (10 % of rows dropped), {len(unbalanced):,} rows",
    }
    parts = [machine(), ""]
    if args.profile:
        parts += [profile(balanced, labels["balanced"], args.top), ""]
        parts += [profile(unbalanced, labels["unbalanced"], args.top)]
    else:
        timings = [
            *twfe_cases(balanced, labels["balanced"], args.runs),
            *twfe_cases(unbalanced, labels["unbalanced"], args.runs),
            cs_case(args.runs),
            sdid_case(args.runs),
        ]
        parts += [table(timings, args.runs), "", f"Load average at the end {load_average()}"]
    text = "\n".join(parts) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
