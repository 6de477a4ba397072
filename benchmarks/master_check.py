"""What the whole master-data check costs, which every figure command runs (issue 15, SPEC §6).

    .venv/bin/python benchmarks/master_check.py                  # a Berlin-sized city
    .venv/bin/python benchmarks/master_check.py --case grid      # 5 grid imports × 100,000 cells
    .venv/bin/python benchmarks/master_check.py --case demo      # the demo's ledger
    .venv/bin/python benchmarks/master_check.py --db postgresql+psycopg://postgres@host/bench

Cases (all master data written through `ledger.master_store.store_master_import`, so every row
is hashed and sealed as in real use):

- `berlin`: 447 planning areas (Berlin's LOR count 2013–2020) with a polygon of 200 vertices
  each, population for 10 years, 20 indicators for 10 years, two measure catalogues of
  `--measures` measures with three district shares each, a plan of 10 years, and a population
  grid of 100 m cells for 2011 and 2022 (90,000 cells each, Berlin's 891 km²);
- `grid`: 40 districts and `--imports` census-grid imports of `--cells` cells;
- `demo`: the demo city of `budget-monitor demo` (postings too).

Then, in this process, each timed `--repeat` times (the fastest shown): `master rows`, the whole
re-hash of every master row alone (`ledger.master_verification.check_master_rows`); `figure
check`, what `spend` runs before it computes (`verify_ledger(incremental=True)`: postings since
the last check, all master data); `full`, what `verify` and `report` run. One JSON line each:
wall and CPU seconds and the master rows in the ledger. `--keep` leaves the ledger for a rerun
with `--reuse PATH` (e.g. the same ledger timed with another commit's code on PYTHONPATH).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from imports.fingerprint import Fingerprint
from ledger.database import create_ledger_engine
from ledger.master_store import store_master_import
from ledger.master_verification import check_master_rows, master_imports
from ledger.schema import ensure_schema
from ledger.verification import verify_ledger

_GRID_DISTRICTS = 40


def _store(engine: Engine, kind: str, number: int, tables: dict[str, pd.DataFrame]) -> None:
    rows = sum(len(frame) for frame in tables.values())
    print_ = Fingerprint(f"{kind}-{number}.csv", rows, f"{number:064x}")
    store_master_import(
        engine, kind=kind, print_=print_, os_user="bench", rows=rows, tables=tables, summary={}
    )


def _grid(cells: int, seed: int, codes: list[str]) -> pd.DataFrame:
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
            "district": [codes[i % len(codes)] for i in index],
        }
    )


def _districts(codes: list[str], years: range, seed: int) -> dict[str, pd.DataFrame]:
    generator = np.random.default_rng(seed)
    population = pd.DataFrame(
        [(code, str(year)) for code in codes for year in years], columns=["district", "period"]
    )
    population["population"] = generator.integers(500, 30_000, len(population))
    return {"district": pd.DataFrame({"code": codes, "name": codes}), "population": population}


def _indicators(codes: list[str], years: range, count: int, seed: int) -> pd.DataFrame:
    generator = np.random.default_rng(seed)
    frame = pd.DataFrame(
        [
            (code, f"ind{k:02d}", str(year))
            for code in codes
            for k in range(count)
            for year in years
        ],
        columns=["district", "indicator", "period"],
    )
    frame["period_start"] = pd.to_datetime(frame["period"] + "-01-01").dt.date
    frame["period_end"] = pd.to_datetime(frame["period"] + "-12-31").dt.date
    frame["value"] = generator.random(len(frame)).round(4) * 100
    return frame


def _catalogue(codes: list[str], measures: int, seed: int) -> dict[str, pd.DataFrame]:
    generator = np.random.default_rng(seed)
    measure_codes = [f"M{i:04d}" for i in range(measures)]
    catalogue = pd.DataFrame(
        {
            "code": measure_codes,
            "name": [f"Measure {code}" for code in measure_codes],
            "program": [f"P{i % 30:02d}" for i in range(measures)],
            "start_date": pd.Timestamp("2015-01-01").date(),
            "end_date": None,
            "cost_center": [str(40_000 + i) for i in range(measures)],
            "product": None,
            "account": None,
            "order_no": None,
        }
    )
    picked = generator.integers(0, len(codes), (measures, 3))
    allocations = pd.DataFrame(
        {
            "measure": np.repeat(measure_codes, 3),
            "district": [codes[i] for i in picked.ravel()],
            "share": ["0.5", "0.25", "0.25"] * measures,
            "valid_from": None,
            "valid_to": None,
            "basis": "catchment",
        }
    )
    return {"measure": catalogue, "allocation": allocations}


def _plan(measures: int, years: range) -> pd.DataFrame:
    return pd.DataFrame(
        [(f"M{i:04d}", None, year, 1_000_000 + i * 100) for i in range(measures) for year in years],
        columns=["measure", "product", "year", "amount_cents"],
    )


def _boundaries(codes: list[str], vertices: int) -> pd.DataFrame:
    import shapely

    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    polygons = []
    for i, _ in enumerate(codes):
        x0, y0 = 380_000 + (i % 21) * 1_500.0, 5_810_000 + (i // 21) * 1_500.0
        radius = 600 + 100 * np.sin(angles * 7)
        polygons.append(
            shapely.Polygon(np.c_[x0 + radius * np.cos(angles), y0 + radius * np.sin(angles)])
        )
    return pd.DataFrame(
        {
            "district": codes,
            "name": codes,
            "srid": 25832,
            "area_m2": [p.area for p in polygons],
            "geometry": shapely.to_wkb(np.array(polygons), output_dimension=2),
        }
    )


def write_berlin(engine: Engine, measures: int) -> None:
    codes = [f"{1_011_101 + i:08d}" for i in range(447)]
    years = range(2015, 2025)
    _store(engine, "districts", 1, _districts(codes, years, 1))
    _store(engine, "indicators", 2, {"indicator_value": _indicators(codes, years, 20, 2)})
    _store(engine, "boundaries", 3, {"district_boundary": _boundaries(codes, 200)})
    for number, seed in ((4, 4), (5, 5)):
        _store(engine, "measures", number, _catalogue(codes, measures, seed))
    _store(engine, "plan", 6, {"plan_amount": _plan(measures, years)})
    for number in (7, 8):
        _store(engine, "grid", number, {"grid_cell": _grid(90_000, number, codes)})


def write_grid(engine: Engine, imports: int, cells: int) -> None:
    codes = [f"D{i:02d}" for i in range(1, _GRID_DISTRICTS + 1)]
    _store(engine, "districts", 0, {"district": pd.DataFrame({"code": codes, "name": codes})})
    for number in range(1, imports + 1):
        _store(engine, "grid", number, {"grid_cell": _grid(cells, number, codes)})


def write_demo(folder: Path) -> str:
    """The demo city's ledger, as `budget-monitor demo` writes it; its database URL."""
    from click.testing import CliRunner

    from monitor.cli import cli

    result = CliRunner().invoke(
        cli, ["demo", "--dir", str(folder / "demo"), "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return f"sqlite:///{folder / 'demo' / 'ledger.db'}"


def _timed(step: Callable[[], object], repeat: int) -> tuple[float, float]:
    best: tuple[float, float] | None = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        timing = (time.perf_counter() - wall, time.process_time() - cpu)
        if best is None or timing[0] < best[0]:
            best = timing
    assert best is not None
    return best


def _master_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        known = {int(record["id"]) for record in master_imports(connection)}  # type: ignore[call-overload]
        found = check_master_rows(connection, known)
    assert not found.problems, found.problems
    return found.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=["berlin", "grid", "demo"], default="berlin")
    parser.add_argument("--measures", type=int, default=1_000)
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--cells", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="a database URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--reuse", help="time this ledger's database URL, written before")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="budget-monitor-master-check-"))
    url = options.reuse or options.db or f"sqlite:///{folder / 'ledger.db'}"
    if options.reuse is None:
        if options.case == "demo":
            url = write_demo(folder)
        engine = create_ledger_engine(url)
        ensure_schema(engine)
        if options.case == "berlin":
            write_berlin(engine, options.measures)
        elif options.case == "grid":
            write_grid(engine, options.imports, options.cells)
        engine.dispose()
    engine = create_ledger_engine(url)
    print(json.dumps({"ledger": url}), flush=True)
    rows = _master_rows(engine)
    verify_ledger(engine, incremental=True)  # the point the figure commands' check starts from
    steps: list[tuple[str, Callable[[], object]]] = [
        ("master rows", lambda: _master_rows(engine)),
        ("figure check", lambda: verify_ledger(engine, incremental=True)),
        ("full", lambda: verify_ledger(engine)),
    ]
    for name, step in steps:
        wall, cpu = _timed(step, options.repeat)
        print(
            json.dumps(
                {
                    "step": name,
                    "seconds": round(wall, 3),
                    "cpu_seconds": round(cpu, 3),
                    "master_rows": rows,
                }
            ),
            flush=True,
        )
    engine.dispose()


if __name__ == "__main__":
    main()
