"""What the figure commands' check costs with much master data: full re-hash against the
incremental check from the last verified master import (issue 15 item 6).

    .venv/bin/python benchmarks/master_check.py      # 5 grid imports of 100,000 cells each
    .venv/bin/python benchmarks/master_check.py --imports 2 --cells 50000
    .venv/bin/python benchmarks/master_check.py --db postgresql+psycopg://postgres@host/bench

A ledger with districts and `--imports` census-grid imports of `--cells` cells each (one
`grid_cell` row per cell, the largest master-data table a city has) is written through
`ledger.master_store.store_master_import`, so every row is hashed and sealed as in real use and
every insert passes the trip wire's triggers as the program's own. Then, in this process, each
timed `--repeat` times (the fastest shown):

- `full`: `verify_ledger(engine)`, every master row re-hashed (what `verify` and `report` do);
- `incremental, nothing new`: the figure commands' check after a passing one: older master
  imports only counted by the database;
- `incremental, one new import`: after one more grid import: its rows hashed, the rest counted;
- `incremental, after a foreign write`: an `UPDATE` of one grid cell by SQL outside the program
  (a value left as it was) trips the wire: every row re-hashed once, the write then settled.

Prints one JSON line per step: wall and CPU seconds, master rows in the ledger, and the master
import after which rows were hashed (0: all of them).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, text

from imports.fingerprint import Fingerprint
from ledger.database import create_ledger_engine
from ledger.master_store import store_master_import
from ledger.schema import ensure_schema
from ledger.verification import VerifyReport, verify_ledger

_DISTRICTS = 40


def _store(engine: Engine, kind: str, number: int, tables: dict[str, pd.DataFrame]) -> None:
    rows = sum(len(frame) for frame in tables.values())
    print_ = Fingerprint(f"{kind}-{number}.csv", rows, f"{number:064x}")
    store_master_import(
        engine, kind=kind, print_=print_, os_user="bench", rows=rows, tables=tables, summary={}
    )


def _grid(cells: int, seed: int) -> pd.DataFrame:
    generator = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(cells)))
    index = np.arange(cells)
    return pd.DataFrame(
        {
            "cell": [
                f"CRS3035RES100mN{3_000_000 + i // side * 100}E{4_000_000 + i % side * 100}"
                for i in index
            ],
            "x": 4_000_000.0 + (index % side) * 100 + 50,
            "y": 3_000_000.0 + (index // side) * 100 + 50,
            "size_m": 100,
            "value": generator.integers(0, 300, cells).astype(float),
            "weight": None,
            "district": [f"D{i % _DISTRICTS + 1:02d}" for i in index],
        }
    )


def _timed(step: Callable[[], VerifyReport], repeat: int) -> tuple[float, float, VerifyReport]:
    best: tuple[float, float, VerifyReport] | None = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        report = step()
        timing = (time.perf_counter() - wall, time.process_time() - cpu, report)
        if best is None or timing[0] < best[0]:
            best = timing
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="a database URL (default: a SQLite file in a temp folder)")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="budget-monitor-master-check-"))
    engine = create_ledger_engine(options.db or f"sqlite:///{folder / 'ledger.db'}")
    ensure_schema(engine)
    codes = [f"D{i:02d}" for i in range(1, _DISTRICTS + 1)]
    districts = pd.DataFrame({"code": codes, "name": [f"District {c}" for c in codes]})
    _store(engine, "districts", 0, {"district": districts})
    for number in range(1, options.imports + 1):
        _store(engine, "grid", number, {"grid_cell": _grid(options.cells, number)})

    def foreign_write() -> None:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE grid_cell SET value = value"
                    " WHERE cell = (SELECT min(cell) FROM grid_cell)"
                )
            )

    def one_new_import() -> None:
        _store(engine, "grid", options.imports + 1, {"grid_cell": _grid(options.cells, 99)})

    # (step, what is done before it, untimed; the check; rounds)
    steps: list[tuple[str, Callable[[], None] | None, bool, int]] = [
        ("full", None, False, options.repeat),
        ("incremental, nothing new", None, True, options.repeat),
        ("incremental, after a foreign write", foreign_write, True, 1),
        ("incremental, nothing new (after it)", None, True, options.repeat),
        ("incremental, one new import", one_new_import, True, 1),
    ]
    for name, before, incremental, repeat in steps:
        if before is not None:
            before()
        wall, cpu, report = _timed(partial(verify_ledger, engine, incremental=incremental), repeat)
        assert report.ok, report.problems
        print(
            json.dumps(
                {
                    "step": name,
                    "seconds": round(wall, 3),
                    "cpu_seconds": round(cpu, 3),
                    "master_rows": report.master_rows,
                    "scope": report.scope,
                }
            ),
            flush=True,
        )
    engine.dispose()


if __name__ == "__main__":
    main()
