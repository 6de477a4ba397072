"""`spend --by district --year Y` and `trace` of one district-year on a ledger of millions of
postings: the first read (building the derived allocation table), warm reads, and the read after
an import of new postings (incremental refresh).

Run by hand from the repository root (see benchmarks/README.md):

    .venv/bin/python -m benchmarks.spend_trace                      # 5,000,000 postings
    .venv/bin/python -m benchmarks.spend_trace --postings 500000

The ledger is written once per (postings, seed) into $TMPDIR/budget-monitor-bench/ through the
ledger's own bulk path (`ledger.posting_store.store_export`, one batch per fiscal year, hash
chain and all) and the master data through `ledger.master_store.store_master_import`; no xlsx
is involved. Every measured step is the CLI in a fresh process (wall and CPU seconds, peak RSS,
`import_postings.measure`). Before the cold step the derived table is emptied, unmeasured. At
the end the cached figures are compared with the on-the-fly path (`tag_spending`) in-process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import delete, func, select

from benchmarks.import_postings import Measurement, Step, measure
from benchmarks.journal_export import cache_folder
from imports.fingerprint import Fingerprint
from imports.posting_identity import identity_hashes
from imports.postings import ParsedExport
from imports.profile import builtin_profiles
from ledger.allocation_models import AllocationCache, PostingAllocation
from ledger.database import create_ledger_engine, write_transaction
from ledger.master_store import store_master_import
from ledger.models import ImportBatch, Posting
from ledger.posting_queries import current_filter
from ledger.posting_store import store_export
from ledger.schema import ensure_schema
from ledger.spending import spend, trace

FIRST_YEAR = 2015
YEARS = 10
DISTRICTS = 40
MEASURES = 200
PATTERNS = ("5*",)  # settings.toml's spending accounts
MEASURED_YEAR = FIRST_YEAR + YEARS - 1
TRACED_DISTRICT = "S07"
_SPENDING_ACCOUNTS = [f"5{a}" for a in range(21100, 21100 + 40 * 100, 100)]
_INCOME_ACCOUNTS = [f"4{a}" for a in range(11100, 11100 + 10 * 100, 100)]
_PRODUCTS = [f"{p // 10 + 1:02d}.{p % 10 + 1:02d}.01" for p in range(40)]
_OTHER_CENTERS = [f"{c:05d}" for c in range(10000, 10300)]
_CORRECTED_COLUMNS = (
    "document_no",
    "line_no",
    "booking_date",
    "account",
    "product",
    "cost_center",
    "text",
    "amount_cents",
    "source_row",
)
# The product's functions alone, in a fresh process: seconds of the call, not of start-up.
_IN_PROCESS = """
import json, sys, time, datetime as dt
from ledger.database import create_ledger_engine
from ledger.spending import spend, trace
engine = create_ledger_engine(sys.argv[1])
year, district = int(sys.argv[2]), sys.argv[3]
start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
wall, cpu = time.perf_counter(), time.process_time()
with engine.connect() as connection:
    if district == "-":
        document = spend(connection, "district", start, end, ("5*",))
    else:
        document = trace(connection, district, start, end, ("5*",))
    text = json.dumps(document, ensure_ascii=False)
print(json.dumps({**document, "call_seconds": time.perf_counter() - wall,
                  "call_cpu": time.process_time() - cpu}))
"""


def measure_code(number: int) -> str:
    return f"M{number + 1:03d}"


def cost_center(number: int) -> str:
    return f"{36000 + number}"


def master_tables(rng: np.random.Generator) -> tuple[dict, dict]:
    """(district tables, catalog tables): 40 districts with population per year; 200 measures
    with rules on cost center, every third also on the product, every fifth also on the
    account; shares over 2–8 districts that change on 1 January of a drawn year; one measure
    in twenty without allocation (unattributed)."""
    codes = [f"S{d + 1:02d}" for d in range(DISTRICTS)]
    districts = pd.DataFrame({"code": codes, "name": [f"Sozialraum {c}" for c in codes]})
    population = pd.DataFrame(
        [
            {"district": c, "period": str(y), "population": int(rng.integers(2_000, 12_000))}
            for c in codes
            for y in range(FIRST_YEAR, FIRST_YEAR + YEARS)
        ]
    )
    measures, allocations = [], []
    for number in range(MEASURES):
        start = dt.date(FIRST_YEAR + int(rng.integers(0, 3)), 1, 1) if number % 7 == 0 else None
        measures.append(
            {
                "code": measure_code(number),
                "name": f"Maßnahme {number + 1}",
                "program": f"Programm {number // 10 + 1}",
                "start_date": start,
                "end_date": None,
                "cost_center": cost_center(number),
                "product": f"{_PRODUCTS[number % 40][:3]}*" if number % 3 == 0 else None,
                "account": "52*,53*" if number % 5 == 0 else None,
                "order_no": None,
            }
        )
        if number % 20 == 19:
            continue
        change = int(rng.integers(FIRST_YEAR + 1, FIRST_YEAR + YEARS))
        windows = ((None, dt.date(change - 1, 12, 31)), (dt.date(change, 1, 1), None))
        for valid_from, valid_to in windows:
            chosen = rng.choice(codes, size=int(rng.integers(2, 9)), replace=False)
            cuts = np.sort(rng.choice(np.arange(1, 1_000_000), len(chosen) - 1, replace=False))
            bounds = [0, *cuts.tolist(), 1_000_000]
            for district, low, high in zip(chosen, bounds, bounds[1:], strict=False):
                allocations.append(
                    {
                        "measure": measure_code(number),
                        "district": str(district),
                        "share": f"{(high - low) / 1_000_000:.6f}".rstrip("0"),
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                        "basis": "Wohnort der Teilnehmenden",
                    }
                )
    return (
        {"district": districts, "population": population},
        {"measure": pd.DataFrame(measures), "allocation": pd.DataFrame(allocations)},
    )


def year_postings(rng: np.random.Generator, year: int, count: int) -> pd.DataFrame:
    """One fiscal year's posting lines: 85 % on spending accounts, 70 % on a measure's cost
    center, amounts log-normal around 300 EUR, 5 % credits (refunds)."""
    days = pd.Timestamp(year, 1, 1) + pd.to_timedelta(rng.integers(0, 365, count), unit="D")
    spending = rng.random(count) < 0.85
    accounts = np.where(
        spending, rng.choice(_SPENDING_ACCOUNTS, count), rng.choice(_INCOME_ACCOUNTS, count)
    )
    on_measure = rng.random(count) < 0.7
    centers = np.where(
        on_measure,
        np.array([cost_center(n) for n in range(MEASURES)])[rng.integers(0, MEASURES, count)],
        rng.choice(_OTHER_CENTERS, count),
    )
    cents = np.maximum(1, rng.lognormal(10.3, 1.2, count)).astype("int64")
    cents = np.where(rng.random(count) < 0.05, -cents, cents)
    return pd.DataFrame(
        {
            "fiscal_year": year,
            "document_no": [f"{year}{n:07d}" for n in range(count)],
            "line_no": 1,
            "booking_date": days,
            "account": accounts,
            "product": rng.choice(_PRODUCTS, count),
            "cost_center": centers,
            "order": None,
            "text": [f"Buchung {n}" for n in range(count)],
            "amount_cents": cents,
            "debit_credit": None,
            "sheet": "Export",
            "row": np.arange(3, count + 3),
        }
    )


def parsed(postings: pd.DataFrame, name: str) -> ParsedExport:
    """The postings as the importer would hand them to the ledger (keys and hashes added)."""
    profile = builtin_profiles()["generic"]
    keys, contents = identity_hashes(postings, profile.key)
    postings = postings.assign(key_hash=keys, content_hash=contents)
    digest = hashlib.sha256(pd.util.hash_pandas_object(postings).to_numpy().tobytes())
    return ParsedExport(
        path=Path(name),
        fingerprint=Fingerprint(name, len(postings), digest.hexdigest()),
        profile=profile,
        reason="benchmark",
        sheet="Export",
        header_row=2,
        postings=postings,
        errors=(),
        rows=len(postings),
        skipped_blank=0,
        skipped_total=0,
        skipped_header=0,
        duplicates_in_file=0,
        total_cents=int(postings["amount_cents"].sum()),
        warnings=(),
    )


def write_ledger(database: Path, postings: int, seed: int) -> None:
    """Master data and `postings` posting lines over ten fiscal years, one batch per year."""
    rng = np.random.default_rng(seed)
    engine = create_ledger_engine(f"sqlite:///{database}")
    ensure_schema(engine)
    district_tables, catalog_tables = master_tables(rng)
    for kind, tables in (("districts", district_tables), ("measures", catalog_tables)):
        store_master_import(
            engine,
            kind=kind,
            print_=Fingerprint(f"{kind}.xlsx", 0, kind.ljust(64, "0")[:64]),
            os_user="benchmark",
            rows=sum(len(t) for t in tables.values()),
            tables=tables,
            summary={},
        )
    per_year = postings // YEARS
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        started = time.perf_counter()
        export = parsed(year_postings(rng, year, per_year), f"Buchungen_{year}.xlsx")
        store_export(engine, export, os_user="benchmark", started=dt.datetime.now(dt.UTC))
        print(f"  {year}: {per_year:,} postings in {time.perf_counter() - started:.0f} s")
    engine.dispose()


def later_export(database: Path, seed: int, new: int, corrected: int) -> None:
    """Store (unmeasured) a newer export of the measured year: `new` new lines and `corrected`
    changed amounts. Each run adds its own documents (numbered after the newest batch) and
    corrects the current versions, so a rerun on the same ledger works the same way."""
    engine = create_ledger_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        batch = connection.execute(select(func.max(ImportBatch.id))).scalar_one()
        result = connection.execute(
            select(*(getattr(Posting, c) for c in _CORRECTED_COLUMNS))
            .where(Posting.fiscal_year == MEASURED_YEAR, current_filter())
            .order_by(Posting.id)
            .limit(corrected)
        )
        old = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    rng = np.random.default_rng(seed + batch)
    frame = year_postings(rng, MEASURED_YEAR, new)
    frame["document_no"] = [f"{MEASURED_YEAR}9{batch:03d}{n:06d}" for n in range(new)]
    changed = pd.DataFrame(
        {
            "fiscal_year": MEASURED_YEAR,
            "document_no": old["document_no"],
            "line_no": old["line_no"],
            "booking_date": pd.to_datetime(old["booking_date"]),
            "account": old["account"],
            "product": old["product"],
            "cost_center": old["cost_center"],
            "order": None,
            "text": old["text"],
            "amount_cents": old["amount_cents"] + 100,
            "debit_credit": None,
            "sheet": "Export",
            "row": old["source_row"],
        }
    )
    export = parsed(pd.concat([frame, changed], ignore_index=True), f"Nachtrag_{batch}.xlsx")
    outcome = store_export(engine, export, os_user="benchmark", started=dt.datetime.now(dt.UTC))
    engine.dispose()
    assert (outcome.imported, outcome.corrections) == (new, corrected), outcome


def empty_derived_table(database: Path) -> None:
    engine = create_ledger_engine(f"sqlite:///{database}")
    ensure_schema(engine)
    with write_transaction(engine) as connection:
        connection.execute(delete(AllocationCache))
        connection.execute(delete(PostingAllocation))
    engine.dispose()


def on_the_fly_matches(database: Path) -> str:
    """Compare the CLI's cached figures with the on-the-fly path on the same ledger: the key
    row is deleted inside a transaction that is rolled back, so `spend`/`trace` tag anew."""
    engine = create_ledger_engine(f"sqlite:///{database}")
    start, end = dt.date(MEASURED_YEAR, 1, 1), dt.date(MEASURED_YEAR, 12, 31)
    results = {}
    with engine.connect() as connection:
        for label in ("cached", "on the fly"):
            began = time.perf_counter()
            results[label] = (
                spend(connection, "district", start, end, PATTERNS),
                trace(connection, TRACED_DISTRICT, start, end, PATTERNS),
            )
            print(f"  {label}: spend + trace in-process {time.perf_counter() - began:.2f} s")
            connection.execute(delete(AllocationCache))
        connection.rollback()
        rows = connection.execute(select(func.count()).select_from(PostingAllocation)).scalar()
    engine.dispose()
    same = results["cached"] == results["on the fly"]
    items = len(results["cached"][1]["items"])
    return f"{'identical' if same else 'DIFFERENT'} ({items:,} trace items, {rows:,} table rows)"


def in_child(work: Callable[..., None], *args: object) -> None:
    """Run unmeasured work in a fresh interpreter. Linux keeps a process's peak resident memory
    across fork and exec, so every measured process would report at least this one's peak; the
    work that holds a million rows must not inflate it."""
    child = multiprocessing.get_context("spawn").Process(target=work, args=args)
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"{work.__name__} failed (exit {child.exitcode})")


def _cli(database: Path) -> list[str]:
    script = Path(sys.executable).with_name("budget-monitor")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "monitor"]
    return [*command, "--db", f"sqlite:///{database}"]


def spend_command(database: Path) -> list[str]:
    return [*_cli(database), "spend", "--by", "district", "--year", str(MEASURED_YEAR), "--json"]


def steps(database: Path) -> list[tuple[Step, int]]:
    """(step, repetitions) in the order they run."""
    cli = _cli(database)
    trace_ = [*cli, "trace", "--district", TRACED_DISTRICT, "--year", str(MEASURED_YEAR), "--json"]
    functions = [sys.executable, "-c", _IN_PROCESS, f"sqlite:///{database}", str(MEASURED_YEAR)]
    return [
        (Step("CLI start-up only (spend --help)", [*cli, "spend", "--help"], "reference"), 1),
        (
            Step(
                "CLI spend --by district, cold (builds the table)", spend_command(database), "cold"
            ),
            1,
        ),
        (Step("CLI spend --by district, warm", spend_command(database), "warm"), 3),
        (Step("CLI trace of one district-year, JSON, warm", trace_, "warm"), 3),
        (Step("function spend(), warm, fresh process", [*functions, "-"], "warm"), 2),
        (
            Step(
                "function trace() + json.dumps, warm, fresh process",
                [*functions, TRACED_DISTRICT],
                "warm",
            ),
            2,
        ),
    ]


def render(measurements: list[Measurement]) -> str:
    lines = [
        "| step | wall s | CPU s | peak RSS MiB | output |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for m in measurements:
        out = "; ".join(m.problems) or _summary(m.stdout)
        lines.append(
            f"| {m.step.name} | {m.seconds:.2f} | {m.cpu_seconds:.2f} | "
            f"{m.peak_rss_mib:,.0f} | {out} |"
        )
    return "\n".join(lines)


def _summary(stdout: str) -> str:
    try:
        document = json.loads(stdout)
    except ValueError:
        return ""
    call = ""
    if "call_seconds" in document:
        call = (
            f"; the call itself {document['call_seconds']:.2f} s, CPU {document['call_cpu']:.2f} s"
        )
    if "items" in document:
        return f"{len(document['items']):,} items, total {document['total']}{call}"
    return f"total {document['total']}, unattributed {document['unattributed']}{call}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=5_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--new", type=int, default=5_000, help="new lines of the later export")
    parser.add_argument("--corrected", type=int, default=500, help="its corrected lines")
    args = parser.parse_args()
    database = cache_folder() / f"spend-trace-{args.postings}-{args.seed}.db"
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    if not database.exists():
        print(f"writing {args.postings:,} postings into {database}")
        in_child(write_ledger, database, args.postings, args.seed)
    measurements = []
    in_child(empty_derived_table, database)
    for step, repetitions in steps(database):
        measurements += [measure(step, Path.cwd()) for _ in range(repetitions)]
    in_child(later_export, database, args.seed, args.new, args.corrected)
    incremental = Step(
        f"CLI spend after an export of {args.new:,} new and {args.corrected:,} corrected lines",
        spend_command(database),
        "incremental",
    )
    warm = Step("CLI spend --by district, warm again", spend_command(database), "warm")
    measurements += [measure(incremental, Path.cwd()), measure(warm, Path.cwd())]
    print(render(measurements))
    print(f"cached vs on the fly, {MEASURED_YEAR}: {on_the_fly_matches(database)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"ledger: {database} ({database.stat().st_size / 2**30:.1f} GiB); delete by hand")


if __name__ == "__main__":
    main()
