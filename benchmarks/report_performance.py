"""How long the committee report takes for a large city: 40 districts, 10 years, 200 measures.

Run by hand from the repository root (see benchmarks/README.md; figures in
docs/performance-report.md):

    .venv/bin/python -m benchmarks.report_performance              # the goal's city, 3 rounds
    .venv/bin/python -m benchmarks.report_performance --profile    # plus a pyinstrument profile

Setup, not timed: the synthetic city (`monitor.demo.build_city`) is written as the exports and
master-data files a city would deliver (`write_city`) and imported through the product's own
import functions (`monitor.demo.walkthrough.import_city`) into a fresh SQLite ledger, kept in
the system's temp folder so that a rerun with the same parameters skips it.

Timed: `budget-monitor report --json` in a fresh process, against a fresh copy of that ledger
(so each round is a first report, with the same "what changed" work): what a user waits for,
interpreter start-up included. Wall seconds, CPU seconds (user + system of that process) and
peak RSS come from `os.wait4`. A second fresh process runs `create_report` with the main stages
wrapped (`StageClock`), which splits wall and CPU time by stage without a profiler's overhead.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.import_postings import _cli  # the budget-monitor command of this virtualenv
from benchmarks.journal_export import cache_folder

GOAL_SECONDS = 20.0
CITY_NAME = "Synthetische Großstadt (Benchmark)"

# "module:function" where report code looks it up -> the stage its own time belongs to (time of
# a watched function it calls is that one's). Unwatched time in create_report is "other".
STAGES: dict[str, str] = {
    "monitor.report_command:create_report": "other (queries, bookkeeping)",
    "monitor.report_assembly:spend": "spending per district/program (ledger.spending)",
    "monitor.report_assembly:_need": "need index (monitor.need_commands)",
    "monitor.report_assembly:targeting_of": "targeting",
    "monitor.report_assembly:_program_spending_by_year": "program spending by year",
    "monitor.report_assembly:tag_spending": "tagging postings again (ledger.spending)",
    "monitor.report_assembly:panel_inputs": "panel inputs (ledger.district_panel)",
    "monitor.report_assembly:panel_of": "panel per program (ledger.district_panel)",
    "monitor.report_assembly:evaluate_panel": "estimates (evaluation)",
    "monitor.report_assembly:worsened_classes": "need classes worsened",
    "monitor.report_assembly:_changes_since_last_report": "changes since last report",
    "monitor.report_assembly:list_batches": "provenance (batches)",
    "monitor.report_command:build_report": "PDF: layout and text (reportlab)",
    "reports.charts:to_drawing": "PDF: charts, layout and drawing",
    "reports.overview_sections:spending_bars": "PDF: charts, building the figures",
    "reports.overview_sections:need_scatter": "PDF: charts, building the figures",
    "reports.overview_sections:concentration_chart": "PDF: charts, building the figures",
    "reports.program_sections:period_spending_chart": "PDF: charts, building the figures",
    "reports.program_sections:event_study_chart": "PDF: charts, building the figures",
    "reports.synthetic_sections:trajectory_chart": "PDF: charts, building the figures",
}


def settings_text() -> str:
    """The benchmark city's settings: the demo's indicator labels and outcome, a city name."""
    from monitor.demo.walkthrough import DEMO_INDICATORS, OUTCOME

    lines = ["[report]", f'city = "{CITY_NAME}"', f'outcome = "{OUTCOME}"', ""]
    for code, indicator in DEMO_INDICATORS.items():
        lines += [
            f"[indicators.{code}]",
            f'name = "{indicator.name}"',
            f'unit = "{indicator.unit}"',
        ]
    return "\n".join(lines) + "\n"


def prepare_ledger(
    folder: Path, seed: int, districts: int, years: range, measures: int, scale: float
) -> dict[str, object]:
    """Generate, write and import the city into folder/ledger.db once; returns its facts."""
    facts_file = folder / "city.json"
    if facts_file.exists() and (folder / "ledger.db").exists():
        return json.loads(facts_file.read_text(encoding="utf-8"))
    from monitor.context import AppContext
    from monitor.demo import build_city, write_city
    from monitor.demo.walkthrough import import_city
    from monitor.settings import load_settings

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "settings.toml").write_text(settings_text(), encoding="utf-8")
    started = time.perf_counter()
    city = build_city(seed, districts=districts, years=years, scale=scale, measures=measures)
    files = write_city(city, folder / "exports")
    written = time.perf_counter()
    app = AppContext(
        settings=load_settings(folder / "settings.toml"),
        database_url=f"sqlite:///{folder / 'ledger.db'}",
    )
    imports = import_city(app, files)
    facts = {
        "districts": len(city.districts),
        "years": f"{years[0]}–{years[-1]}",
        "measures": len(city.measures),
        "programs": int(city.measures["program"].nunique()),
        "allocation_rows": len(city.allocations),
        "postings": len(city.postings),
        "postings_last_year": int((city.postings["fiscal_year"] == years[-1]).sum()),
        "imported": sum(i["imported"] for i in imports),
        "batches": len(imports),
        "indicator_values": len(city.indicators),
        "generate_and_write_seconds": round(written - started, 1),
        "import_seconds": round(time.perf_counter() - written, 1),
    }
    facts_file.write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")
    return facts


def fresh_copy(folder: Path, name: str) -> tuple[Path, str]:
    """folder/name/ledger.db, a copy of the prepared ledger, brought by `budget-monitor init`
    (not timed) to the schema of the code as it is now, in case a migration landed since the
    ledger was prepared; returns the folder and the database URL."""
    work = folder / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copyfile(folder / "ledger.db", work / "ledger.db")
    url = f"sqlite:///{work / 'ledger.db'}"
    subprocess.run([*_cli(), "--db", url, "init"], cwd=work, check=True, capture_output=True)
    return work, url


def time_report(folder: Path, round_number: int, period: str) -> dict[str, object]:
    """`budget-monitor report` on a fresh copy of the ledger, in a fresh process."""
    work, url = fresh_copy(folder, f"round-{round_number}")
    command = [
        *_cli(), "--settings", str(folder / "settings.toml"), "--db", url, "report",
        "--period", period, "--out", str(work / "Sozialbericht.pdf"), "--json",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=work)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"report failed: {stderr.strip()[-2000:]}")
    document = json.loads(stdout)
    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "pages": document["pages"],
        "file": document["file"],
    }


class StageClock:
    """Wall and CPU seconds of wrapped functions, each stage's own: time spent in a wrapped
    function it calls belongs to that function's stage. No profiler, so no overhead beyond two
    clock readings per call."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._open: list[list[float]] = []  # per running call: wall, CPU at entry, children's

    def watch(self, targets: dict[str, str]) -> list[str]:
        """Wrap each "module:function" where its callers look it up; returns those not found."""
        missing = []
        for target, stage in targets.items():
            module_name, name = target.split(":")
            module = importlib.import_module(module_name)
            function = getattr(module, name, None)
            if not callable(function):
                missing.append(target)
                continue
            setattr(module, name, self._wrapped(stage, function))
        return missing

    def _wrapped(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._open.append([time.perf_counter(), time.process_time(), 0.0, 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                wall0, cpu0, child_wall, child_cpu = self._open.pop()
                wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
                self.wall[stage] += wall - child_wall
                self.cpu[stage] += cpu - child_cpu
                self.calls[stage] += 1
                if self._open:
                    self._open[-1][2] += wall
                    self._open[-1][3] += cpu

        return wrapper


def stage_child(folder: Path, period: str, profile_html: Path | None) -> None:
    """In this (fresh) process: create_report once with its stages timed, or under
    pyinstrument when `profile_html` is given; prints a JSON line with the result."""
    from monitor import report_command
    from monitor.context import AppContext
    from monitor.settings import load_settings

    work, url = fresh_copy(folder, "profiled" if profile_html else "staged")
    app = AppContext(settings=load_settings(folder / "settings.toml"), database_url=url)
    app.engine  # noqa: B018 - opens the ledger and checks its schema before the clock starts
    out = work / "Sozialbericht.pdf"
    if profile_html is not None:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        with profiler:
            report_command.create_report(app, period, out, "de")
        profile_html.write_text(profiler.output_html(), encoding="utf-8")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    clock = StageClock()
    missing = clock.watch(STAGES)
    wall, cpu = time.perf_counter(), time.process_time()
    # looked up after `watch`, so the wrapper runs
    report_command.create_report(app, period, out, "de")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "stages": {
                    stage: [clock.wall[stage], clock.cpu[stage], clock.calls[stage]]
                    for stage in clock.calls
                },
                "missing": missing,
            }
        )
    )


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _child(folder: Path, period: str, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, __file__, "--child", str(folder), "--period", period, *extra]
    return subprocess.run(command, capture_output=True, text=True, check=True)


def render_stages(result: dict[str, Any]) -> str:
    stages: dict[str, list[float]] = result["stages"]
    total = sum(cpu for _, cpu, _ in stages.values())
    lines = [
        f"create_report in-process: {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU",
        f"{'stage':<52} {'wall s':>7} {'CPU s':>7} {'CPU share':>9} {'calls':>6}",
    ]
    for stage, (wall, cpu, calls) in sorted(stages.items(), key=lambda item: -item[1][1]):
        share = f"{100 * cpu / total:.1f} %" if total else "-"
        lines.append(f"{stage:<52} {wall:7.2f} {cpu:7.2f} {share:>9} {calls:>6.0f}")
    if result["missing"]:
        lines.append(f"not found (the code moved on): {', '.join(result['missing'])}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=40)
    parser.add_argument("--years", type=int, default=10, help="years, ending with --last-year")
    parser.add_argument("--last-year", type=int, default=2024)
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--scale", type=float, default=2.0, help="invoice volume (build_city)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="timed CLI rounds")
    parser.add_argument("--profile", action="store_true", help="also profile with pyinstrument")
    parser.add_argument("--fresh", action="store_true", help="rebuild the city and its ledger")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--period", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--profile-html", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        stage_child(args.child, args.period, args.profile_html)
        return

    years = range(args.last_year - args.years + 1, args.last_year + 1)
    period = str(args.last_year)
    name = f"report-d{args.districts}-y{args.years}-m{args.measures}-s{args.scale:g}-{args.seed}"
    folder = cache_folder() / name
    if args.fresh:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"setup (not timed): {folder}", flush=True)
    facts = prepare_ledger(folder, args.seed, args.districts, years, args.measures, args.scale)
    print(json.dumps(facts, ensure_ascii=False, indent=2))
    print(f"\nbefore: {_load()}", flush=True)
    rounds = []
    for number in range(1, args.repeat + 1):
        rounds.append(time_report(folder, number, period))
        r = rounds[-1]
        print(
            f"round {number}: budget-monitor report {r['seconds']:.2f} s wall, "
            f"{r['cpu_seconds']:.2f} s CPU, peak RSS {r['peak_rss_mib']:.0f} MiB, "
            f"{r['pages']} pages",
            flush=True,
        )
    staged = json.loads(_child(folder, period).stdout.strip().splitlines()[-1])
    print(f"after: {_load()}\n")
    best = min(rounds, key=lambda r: r["seconds"])
    verdict = "meets" if best["seconds"] < GOAL_SECONDS else "MISSES"
    print(
        f"fastest of {len(rounds)}: {best['seconds']:.2f} s wall, {best['cpu_seconds']:.2f} s "
        f"CPU — {verdict} the goal of {GOAL_SECONDS:.0f} s"
    )
    if max(os.getloadavg()[:2]) > (os.cpu_count() or 1):
        print("the machine was busier than its CPUs: compare the CPU seconds, not the wall time")
    print()
    print(render_stages(staged))
    if args.profile:
        html = folder / "report-profile.html"
        print(f"\npyinstrument (its overhead inflates Python-heavy code), HTML: {html}\n")
        print(_child(folder, period, "--profile-html", str(html)).stdout)


if __name__ == "__main__":
    main()
