"""How much the postings import costs over just reading the file, for a large journal export.

Run by hand from the repository root (see benchmarks/README.md):

    .venv/bin/python benchmarks/import_postings.py                 # 1,000,000 rows
    .venv/bin/python benchmarks/import_postings.py --rows 100000
    .venv/bin/python benchmarks/import_postings.py --rows 100000 --profile

Every step runs in a fresh subprocess, so its wall time includes interpreter start-up and its
peak resident memory (from the kernel's rusage of that one child, via os.wait4) is its own.
The bare readers set the bar (issue 19): an import into an empty SQLite ledger within 3.5 times
the fastest reader's time and 1.5 times its memory, a re-import of a re-export within 1.5 times,
the overlapping export within 2 times, a re-import of the same bytes within 0.3 times; with
`--postgres URL`, the import into PostgreSQL within 1.25 times a bare read plus a COPY of the
same postings ready-made (postgres_floor.py).

Run it as a module from the repository root (`python -m benchmarks.import_postings`); every
step's process gets this checkout first on PYTHONPATH, so a second work tree measures itself.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.journal_export import (
    CHANGED_SHARE,
    NEW_SHARE,
    JournalExport,
    cache_folder,
    journal_export,
)

IMPORT_TIME_GOAL = 3.5  # import seconds / fastest bare reader seconds (issue 19)
SAME_FILE_TIME_GOAL = 0.3  # identical bytes: recognised by the checksum
REEXPORT_TIME_GOAL = 1.5  # same rows, other bytes: read, hash, compare, store nothing
OVERLAP_TIME_GOAL = 2.0  # 1 % new, 0.1 % corrected
IMPORT_MEMORY_GOAL = 1.5  # import peak RSS / fastest bare reader peak RSS
POSTGRES_TIME_GOAL = 1.25  # import / (fastest bare read + COPY of the postings ready-made)

# The bare readers: the least any importer has to spend to get the cells out of the file.
_CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(len(rows))
"""
_FASTEXCEL = """
import sys
import fastexcel
sheet = fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=1)
sheet.__arrow_c_array__()  # builds the Arrow columns in Rust; needs no pyarrow
print(sheet.height)
"""


@dataclass(frozen=True)
class Step:
    name: str
    command: list[str]
    kind: str  # "reader", "import" or "reference"
    time_goal: float | None = None  # at most this many times the fastest reader's seconds
    memory_goal: float | None = None  # at most this many times that reader's peak RSS
    check: Callable[[dict[str, Any]], str] | None = None  # the CLI's JSON -> "" or a problem
    # Run first, unmeasured: `init` brings the ledger to the schema of the code as it is now,
    # in case a migration landed in the work tree between two steps.
    prepare: list[str] | None = None
    # The step times itself and prints {"seconds", "cpu_seconds"} (sqlite_floor.py: its data
    # loading is not part of what it measures); its memory is not compared.
    self_timed: bool = False


@dataclass
class Measurement:
    step: Step
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    exit_code: int
    stdout: str
    stderr: str
    problems: list[str] = field(default_factory=list)


def measure(step: Step, cwd: Path) -> Measurement:
    """Run one step in a fresh process; wall time, CPU time and peak RSS of that process alone."""
    prepared = None
    if step.prepare is not None:
        prepared = subprocess.run(
            step.prepare, cwd=cwd, capture_output=True, text=True, env=_child_env()
        )
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(step.command, stdout=out, stderr=err, cwd=cwd, env=_child_env())
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    measurement = Measurement(
        step=step,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        exit_code=process.returncode,
        stdout=stdout,
        stderr=stderr,
    )
    if prepared is not None and prepared.returncode != 0:
        measurement.problems.append(f"preparing failed: {prepared.stderr.strip()[-300:]}")
    if process.returncode != 0:
        measurement.problems.append(f"exit {process.returncode}: {stderr.strip()[-300:]}")
        return measurement
    result = json.loads(stdout) if step.check is not None or step.self_timed else {}
    if step.self_timed:
        measurement.seconds, measurement.cpu_seconds = result["seconds"], result["cpu_seconds"]
        measurement.peak_rss_mib = math.nan
    if step.check is not None:
        problem = step.check(result)
        if problem:
            measurement.problems.append(problem)
    return measurement


_ROOT = Path(__file__).resolve().parents[1]


def _child_env() -> dict[str, str]:
    """The environment of every step: this checkout first on the path, so that a second work
    tree measures its own code and not the one the editable install points to."""
    paths = [str(_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("budget-monitor")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from monitor.cli import main; main()"]


def _expect(**wanted: object) -> Callable[[dict[str, Any]], str]:
    def check(result: dict[str, Any]) -> str:
        wrong = [
            f"{k} {result.get(k)!r}, expected {v!r}"
            for k, v in wanted.items()
            if result.get(k) != v
        ]
        return "; ".join(wrong)

    return check


def plan_steps(
    base: JournalExport,
    reexport: JournalExport | None,
    overlap: JournalExport | None,
    database: str,
    postgres: tuple[str, str] | None = None,
) -> list[Step]:
    """Readers first, then the imports in ledger order: each import sees the ones before it."""
    steps = [
        Step(
            "bare reader: python-calamine to_python()",
            [sys.executable, "-c", _CALAMINE, str(base.path)],
            "reader",
        ),
    ]
    if importlib.util.find_spec("fastexcel") is not None:
        steps.append(
            Step(
                "bare reader: fastexcel to Arrow",
                [sys.executable, "-c", _FASTEXCEL, str(base.path)],
                "reader",
            )
        )
    cli = [*_cli(), "--db", database]
    steps += [
        Step("CLI start-up only (--help)", [*cli, "import", "postings", "--help"], "reference"),
        Step(
            "import into empty ledger",
            [*cli, "import", "postings", str(base.path), "--json"],
            "import",
            time_goal=IMPORT_TIME_GOAL,
            memory_goal=IMPORT_MEMORY_GOAL,
            check=_expect(status="imported", imported=base.rows, rejected=0),
        ),
        *_floor_steps(base, database),
        Step(
            "re-import same file (checksum known)",
            [*cli, "import", "postings", str(base.path), "--json"],
            "import",
            time_goal=SAME_FILE_TIME_GOAL,
            check=_expect(status="unchanged", imported=0),
            prepare=[*cli, "init"],
        ),
    ]
    if reexport is not None:
        steps.append(
            Step(
                "re-import same rows, new export",
                [*cli, "import", "postings", str(reexport.path), "--json"],
                "import",
                time_goal=REEXPORT_TIME_GOAL,
                memory_goal=IMPORT_MEMORY_GOAL,
                check=_expect(status="imported", imported=0, corrections=0, duplicates=base.rows),
                prepare=[*cli, "init"],
            )
        )
        steps += _reexport_floor_steps(reexport, database, base.rows)
    if overlap is not None:
        steps.append(
            Step(
                f"overlapping export (+{NEW_SHARE:.0%} new, {CHANGED_SHARE:.1%} changed)",
                [*cli, "import", "postings", str(overlap.path), "--json"],
                "import",
                time_goal=OVERLAP_TIME_GOAL,
                memory_goal=IMPORT_MEMORY_GOAL,
                check=_expect(
                    status="imported", imported=overlap.new_rows, corrections=overlap.changed_rows
                ),
                prepare=[*cli, "init"],
            )
        )
    if postgres is not None:
        steps += _postgres_steps(base, *postgres)
    return steps


def _postgres_steps(base: JournalExport, ledger: str, floor: str) -> list[Step]:
    """The import into an empty PostgreSQL ledger, and its floor: the same postings, loaded
    ready-made from that ledger, COPYed into another empty one (postgres_floor.py)."""
    return [
        Step(
            "PostgreSQL: import into empty ledger",
            [*_cli(), "--db", ledger, "import", "postings", str(base.path), "--json"],
            "import",
            memory_goal=IMPORT_MEMORY_GOAL,
            check=_expect(status="imported", imported=base.rows, rejected=0),
        ),
        Step(
            "PostgreSQL alone: same postings, COPY",
            [sys.executable, "-m", "benchmarks.postgres_floor", ledger, floor],
            "reference",
            check=_expect(postings=base.rows),
            prepare=[*_cli(), "--db", floor, "init"],
            self_timed=True,
        ),
    ]


def _reexport_floor_steps(reexport: JournalExport, database: str, rows: int) -> list[Step]:
    """The least a re-export's import costs in this ledger's design (reexport_floor.py): its
    parse alone, and the ledger's key and content hashes read."""
    script = [sys.executable, "-m", "benchmarks.reexport_floor"]
    return [
        Step(
            _REEXPORT_PARSE,
            [*script, "parse", str(reexport.path)],
            "reference",
            check=_expect(postings=rows),
            self_timed=True,
        ),
        Step(
            _REEXPORT_KEYS,
            [*script, "keys", database],
            "reference",
            check=_expect(postings=rows),
            self_timed=True,
        ),
    ]


_REEXPORT_PARSE = "re-export alone: read, normalise, hash"
_REEXPORT_KEYS = "re-export alone: the ledger's keys read"


def render_floors(measurements: list[Measurement]) -> str:
    """Each import against the least an importer of this schema can take: the fastest bare
    read plus the write of the same postings ready-made (both measured in this run)."""
    by_name = {m.step.name: m for m in measurements if not m.problems}
    readers = [m for m in measurements if m.step.kind == "reader" and not m.problems]
    if not readers:
        return ""
    read = min(readers, key=lambda m: m.seconds)
    pairs = [
        ("import into empty ledger", "SQLite alone: same postings, ledger schema", None),
        (
            "PostgreSQL: import into empty ledger",
            "PostgreSQL alone: same postings, COPY",
            POSTGRES_TIME_GOAL,
        ),
    ]
    lines = ["", "against the floor (bare read + write of the same postings ready-made):"]
    for name, floor_name, goal in pairs:
        if name not in by_name or floor_name not in by_name:
            continue
        done, floor = by_name[name], by_name[floor_name]
        wall = read.seconds + floor.seconds
        cpu = read.cpu_seconds + floor.cpu_seconds
        mark = ""
        if goal is not None:
            mark = f"  goal ≤{goal:g}× {'met' if done.seconds / wall <= goal else 'MISSED'}"
        lines.append(
            f"{name:<44} floor {wall:7.2f} s wall, {cpu:7.2f} s CPU; import "
            f"{done.seconds / wall:5.2f}× wall, {done.cpu_seconds / cpu:5.2f}× CPU{mark}"
        )
    return "\n".join(lines + _reexport_floors(by_name))


def _reexport_floors(by_name: dict[str, Measurement]) -> list[str]:
    """The re-imports against what a re-export costs at least (its parse alone plus the
    ledger's keys read, both measured in this run): no start-up, comparison or write."""
    if _REEXPORT_PARSE not in by_name or _REEXPORT_KEYS not in by_name:
        return []
    parse, keys = by_name[_REEXPORT_PARSE], by_name[_REEXPORT_KEYS]
    wall, cpu = parse.seconds + keys.seconds, parse.cpu_seconds + keys.cpu_seconds
    lines = ["", "against the floor of a re-import (its parse alone + the ledger's keys read):"]
    for name, done in by_name.items():
        if name.startswith(("re-import same rows", "overlapping export")):
            lines.append(
                f"{name:<44} floor {wall:7.2f} s wall, {cpu:7.2f} s CPU; import "
                f"{done.seconds / wall:5.2f}× wall, {done.cpu_seconds / cpu:5.2f}× CPU"
            )
    return lines


def _floor_steps(base: JournalExport, database: str) -> list[Step]:
    """What SQLite alone needs for the imported postings, handed over ready-made (see
    sqlite_floor.py): through the ledger's schema and write path, and into a bare table."""
    source = database.removeprefix("sqlite:///")
    script = "benchmarks.sqlite_floor"
    floor_ledger = "floor-ledger.db"
    return [
        Step(
            "SQLite alone: same postings, ledger schema",
            [sys.executable, "-m", script, "ledger", source, floor_ledger],
            "reference",
            check=_expect(postings=base.rows),
            prepare=[*_cli(), "--db", f"sqlite:///{floor_ledger}", "init"],
            self_timed=True,
        ),
        Step(
            "SQLite alone: same postings, bare table",
            [sys.executable, "-m", script, "bare-table", source, "floor-bare.db"],
            "reference",
            check=_expect(postings=base.rows),
            self_timed=True,
        ),
    ]


def render_table(measurements: list[Measurement]) -> str:
    readers = [m for m in measurements if m.step.kind == "reader" and not m.problems]
    if not readers:
        return "no bare reader succeeded; nothing to compare with"
    fastest = min(readers, key=lambda m: m.seconds)
    header = (
        f"{'step':<44} {'wall s':>7} {'× reader':>8} {'CPU s':>7} {'× reader':>8} "
        f"{'peak RSS MiB':>12} {'× reader':>8}  {'goal (wall time, RSS)':<34} check"
    )
    lines = [f"reference: {fastest.step.name}", "", header, "-" * len(header)]
    for m in measurements:
        time_ratio = m.seconds / fastest.seconds
        memory_ratio = m.peak_rss_mib / fastest.peak_rss_mib
        goal = "n/a (failed)" if m.problems else _goal_text(m.step, time_ratio, memory_ratio)
        memory = "-" if math.isnan(m.peak_rss_mib) else f"{m.peak_rss_mib:.0f}"
        memory_share = "-" if math.isnan(memory_ratio) else f"{memory_ratio:.2f}"
        lines.append(
            f"{m.step.name:<44} {m.seconds:7.2f} {time_ratio:8.2f} {m.cpu_seconds:7.2f} "
            f"{m.cpu_seconds / fastest.cpu_seconds:8.2f} {memory:>12} "
            f"{memory_share:>8}  {goal:<34} {'; '.join(m.problems) or 'ok'}"
        )
    return "\n".join(lines)


def _goal_text(step: Step, time_ratio: float, memory_ratio: float) -> str:
    parts = []
    if step.time_goal is not None:
        mark = "met" if time_ratio <= step.time_goal else "MISSED"
        parts.append(f"time ≤{step.time_goal:g}× {mark}")
    if step.memory_goal is not None:
        mark = "met" if memory_ratio <= step.memory_goal else "MISSED"
        parts.append(f"RSS ≤{step.memory_goal:g}× {mark}")
    return ", ".join(parts) or "-"


def _best_of(rounds: list[Measurement]) -> Measurement:
    """The fastest round, with the highest peak RSS seen and every round's problems."""
    best = min(rounds, key=lambda m: (bool(m.problems), m.seconds))
    best.peak_rss_mib = max(m.peak_rss_mib for m in rounds)
    best.problems = sorted({p for m in rounds for p in m.problems})
    return best


def _code_state() -> str:
    """Which importer code was measured: the commit, and uncommitted changes to it."""
    root = _ROOT

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--", "imports", "ledger", "monitor").splitlines()
    dirty = f" + {len(changed)} uncommitted change(s) in imports/ledger/monitor" if changed else ""
    return f"code: {git('rev-parse', '--short', 'HEAD') or 'unknown'}{dirty}"


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _warm_page_cache(paths: list[Path]) -> None:
    """Read each file once, so that no step pays for the disk and every step sees the same."""
    for path in paths:
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def _exports(
    rows: int, seed: int, with_overlap: bool, only_base: bool = False
) -> list[JournalExport]:
    variants = (
        ["base"] if only_base else ["base", "reexport"] + (["overlap"] if with_overlap else [])
    )
    exports = []
    for variant in variants:
        start = time.perf_counter()
        export = journal_export(rows, seed, variant)
        took = time.perf_counter() - start
        note = f"written in {took:.0f} s" if took > 1 else "cached"
        size = export.path.stat().st_size / 2**20
        print(
            f"{variant:<9} {export.rows:>10,} rows  {size:7.1f} MiB  {note}  {export.path}",
            flush=True,
        )
        exports.append(export)
    return exports


def run_benchmark(
    rows: int,
    seed: int,
    with_overlap: bool,
    keep: bool,
    repeat: int,
    postgres: str | None,
    only_base: bool = False,
) -> None:
    """All steps, `repeat` rounds with a fresh ledger each; per step the fastest round counts.

    postgres: a server URL; each round then imports into a fresh schema there, too."""
    exports = _exports(rows, seed, with_overlap, only_base)
    _warm_page_cache([e.path for e in exports])
    base = exports[0]
    reexport = exports[1] if len(exports) > 1 else None
    overlap = exports[2] if len(exports) > 2 else None
    print(f"{_code_state()}\nbefore: {_load()}", flush=True)
    rounds: list[list[Measurement]] = []
    for round_number in range(1, repeat + 1):
        work = Path(tempfile.mkdtemp(prefix=f"ledger-{rows}-", dir=cache_folder()))
        database = f"sqlite:///{work / 'ledger.db'}"
        measured = []
        with _postgres_schemas(postgres) as schemas:
            for step in plan_steps(base, reexport, overlap, database, schemas):
                print(f"round {round_number}: {step.name} …", file=sys.stderr, flush=True)
                measured.append(measure(step, cwd=work))
        rounds.append(measured)
        if keep:
            print(f"ledger kept: {work / 'ledger.db'}")
        else:
            shutil.rmtree(work)
    print(f"after: {_load()}\n")
    best = [_best_of([r[i] for r in rounds]) for i in range(len(rounds[0]))]
    print(render_table(best))
    print(render_floors(best))


@contextlib.contextmanager
def _postgres_schemas(server: str | None) -> Iterator[tuple[str, str] | None]:
    """Two fresh schemas on `server` (the import's ledger and the floor's), as ledger URLs;
    dropped afterwards."""
    if server is None:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    names = [f"bench_{kind}_{os.getpid()}" for kind in ("import", "floor")]
    admin = create_engine(server)
    with admin.begin() as connection:
        for name in names:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
    urls = [
        make_url(server)
        .update_query_dict({"options": f"-csearch_path={name}"})
        .render_as_string(hide_password=False)
        for name in names
    ]
    try:
        yield urls[0], urls[1]
    finally:
        with admin.begin() as connection:
            for name in names:
                connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def run_profiles(rows: int, seed: int, with_overlap: bool, top: int) -> None:
    """Each import twice, each time in its own subprocess and in ledger order: once timed
    without a profiler (function spans, memory, an unbiased stage split), once under
    pyinstrument (which functions and library calls the time goes to)."""
    exports = _exports(rows, seed, with_overlap)
    _warm_page_cache([e.path for e in exports])
    work = Path(tempfile.mkdtemp(prefix=f"profile-{rows}-", dir=cache_folder()))
    print(f"{_code_state()}\nbefore: {_load()}", flush=True)
    names = ["import into empty ledger", "re-import same rows, new export", "overlapping export"]
    for number, (name, export) in enumerate(zip(names, exports, strict=False)):
        for mode in ("timed", "profiled"):
            print(f"\n=== {name}, {mode}: {export.path.name}", flush=True)
            html = work / f"{name.replace(' ', '-').replace(',', '')}.html"
            database = f"sqlite:///{work / f'ledger-{mode}.db'}"
            if number:  # as in the table: the ledger at the schema of the code as it is now
                init = [*_cli(), "--db", database, "init"]
                subprocess.run(init, cwd=work, check=True, capture_output=True, env=_child_env())
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.import_postings",
                    "--profile-child",
                    mode,
                    str(export.path),
                    database,
                    str(html),
                    "--top",
                    str(top),
                ],
                check=True,
                cwd=work,
                env=_child_env(),
            )
    for ledger in work.glob("ledger-*.db*"):
        ledger.unlink()  # a million-row ledger is large; the HTML call trees stay
    print(f"\nafter: {_load()}\ninteractive call trees (pyinstrument HTML): {work}")


def profile_child(mode: str, path: Path, database: str, html: Path, top: int) -> None:
    """One import through the CLI in this process: timed with an RSS sampler, or profiled."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import HTMLRenderer

    from benchmarks.memory_timeline import MemoryTimeline
    from benchmarks.profile_stages import stage_report

    # Module loading comes first and stays out of the measurement: the profiler inflates the
    # import machinery several times over, and the table's "CLI start-up" row measures it.
    loading = time.perf_counter()
    from monitor.cli import cli

    loading = time.perf_counter() - loading
    arguments = ["--db", database, "import", "postings", str(path), "--json"]
    output = io.StringIO()
    if mode == "timed":
        timeline = MemoryTimeline()
        with timeline.running():
            missing = timeline.watch()
            with contextlib.redirect_stdout(output):
                cli.main(arguments, prog_name="budget-monitor", standalone_mode=False)
        _print_outcome(output.getvalue(), loading)
        print(timeline.render())
        if missing:
            print(f"(not in this version of the code: {', '.join(missing)})")
        return
    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    with contextlib.redirect_stdout(output):
        cli.main(arguments, prog_name="budget-monitor", standalone_mode=False)
    session = profiler.stop()
    _print_outcome(output.getvalue(), loading)
    root = session.root_frame()
    if root is not None:
        print(stage_report(root).render(top=top))
    html.write_text(HTMLRenderer().render(session), "utf-8")


def _print_outcome(json_text: str, loading: float) -> None:
    result = json.loads(json_text)
    print(
        f"status {result['status']}, imported {result['imported']:,}, duplicates "
        f"{result['duplicates']:,}, corrections {result['corrections']:,}; "
        f"loading the CLI's modules first took {loading:.2f} s (not included below)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="posting lines (1,000,000)")
    parser.add_argument("--seed", type=int, default=2024, help="random seed of the export data")
    parser.add_argument(
        "--no-overlap", action="store_true", help="skip the overlapping second export"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of the timing table, profile each import and show time per stage",
    )
    parser.add_argument("--top", type=int, default=8, help="functions listed per stage (8)")
    parser.add_argument("--keep", action="store_true", help="keep the ledger database")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds; each step's fastest round is shown (1)"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also import into a fresh schema on this PostgreSQL server, e.g. "
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument(
        "--only-base",
        action="store_true",
        help="only the first export: no re-export or overlap (which take minutes to write)",
    )
    parser.add_argument("--profile-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.profile_child:
        mode, path, database, html = args.profile_child
        profile_child(mode, Path(path), database, Path(html), args.top)
        return
    print(f"Python {platform.python_version()}, {args.rows:,} rows, seed {args.seed}")
    if args.profile:
        run_profiles(args.rows, args.seed, not args.no_overlap, args.top)
    else:
        run_benchmark(
            args.rows,
            args.seed,
            not args.no_overlap,
            args.keep,
            args.repeat,
            args.postgres,
            args.only_base,
        )


if __name__ == "__main__":
    main()
