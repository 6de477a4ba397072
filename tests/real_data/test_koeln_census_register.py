"""Köln's 86 Stadtteile: the Zensus 2011 population on the 1 km grid against the city's register
population of 2011 (docs/case-study-koeln.md), imported through the product's own commands with
examples/settings-koeln-zensus.toml and checked against independent computations: the grid sums
by the point-in-polygon of tests/real_data/test_geodata_real.py (pyproj and matplotlib, no
geopandas), the register by the csv module from the city's own table
(tests/data/real/koeln-more/bevoelkerung_2011.csv, whole lines of bevoelkerung.csv).
"""

from __future__ import annotations

import csv
import shutil
import statistics

import numpy as np
import pytest

from tests.real_data.cli import EXAMPLES, REAL, Ledger
from tests.real_data.test_geodata_real import GRID, STADTTEILE, _independent_sums

SETTINGS = EXAMPLES / "settings-koeln-zensus.toml"
REGISTER_FILE = EXAMPLES / "koeln" / "melderegister-stadtteile-2011.csv"
CITY_TABLE = REAL / "koeln-more" / "bevoelkerung_2011.csv"


def register(table: str, line: str) -> dict[str, int]:
    """Persons per Stadtteil (3-digit raum_id 101–909) in 2011 of one table line of the city."""
    with CITY_TABLE.open(encoding="utf-8", newline="") as handle:
        return {
            r["raum_id"]: int(float(r["zahl"]))
            for r in csv.DictReader(handle)
            if r["tabelle"] == table and r["zeile"] == line and r["raum_id"] >= "101"
        }


@pytest.fixture(scope="module")
def koeln(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("koeln-zensus")
    ledger = Ledger(folder, SETTINGS)
    ledger.json("import", "boundaries", STADTTEILE, "--key", "STT_NR", "--name", "STT_NAME",
                "--create-districts")  # fmt: skip
    registered = ledger.json("import", "indicators", REGISTER_FILE, "--period", "2011")
    grid = folder / GRID.name
    shutil.copy(GRID, grid)
    census = ledger.json("import", "grid", grid, "--value", "Einwohner", "--indicator",
                         "einwohner_zensus", "--period", "2011")  # fmt: skip
    return {"registered": registered, "census": census}


def test_the_imported_figures_equal_the_independent_ones(koeln) -> None:
    assert koeln["registered"]["errors"] == []
    with REGISTER_FILE.open(encoding="utf-8") as handle:
        example = {r["Stadtteil"]: r for r in csv.DictReader(handle, delimiter=";")}
    main = register("Wohnstatus", "Hauptwohnung")
    everyone = register("Einwohner in Köln", "Einwohner")
    assert {k: int(r["Einwohner_Hauptwohnung"]) for k, r in example.items()} == main
    assert {k: int(r["Einwohner_insgesamt"]) for k, r in example.items()} == everyone
    census = {d["key"]: d["value"] for d in koeln["census"]["districts"] if d["value"] is not None}
    assert census == _independent_sums()
    assert koeln["census"]["without_cells"] == ["203"]  # Raderberg: no cell centre inside


def test_the_case_study_figures(koeln) -> None:
    """The numbers docs/case-study-koeln.md gives, recomputed."""
    main = register("Wohnstatus", "Hauptwohnung")
    everyone = register("Einwohner in Köln", "Einwohner")
    census = {k: 0 for k in koeln["census"]["without_cells"]}
    census |= {d["key"]: d["value"] or 0 for d in koeln["census"]["districts"]}
    assert (sum(census.values()), sum(main.values()), sum(everyone.values())) == (
        1_006_916,
        1_016_679,
        1_036_117,
    )
    deviation = {k: 100 * (census[k] - main[k]) / main[k] for k in main}
    assert statistics.median(abs(v) for v in deviation.values()) == pytest.approx(18.25, abs=0.01)
    assert sum(abs(v) <= 10 for v in deviation.values()) == 31
    assert sum(abs(v) <= 25 for v in deviation.values()) == 52
    keys = sorted(main)
    r = np.corrcoef([main[k] for k in keys], [census[k] for k in keys])[0, 1]
    assert r == pytest.approx(0.910, abs=0.001)
    bezirke: dict[str, list[int]] = {}
    for k in keys:
        pair = bezirke.setdefault(k[0], [0, 0])
        pair[0] += main[k]
        pair[1] += census[k]
    by_bezirk = {b: round(100 * (c - m) / m, 1) for b, (m, c) in bezirke.items()}
    assert by_bezirk == {"1": 4.1, "2": 4.3, "3": -1.7, "4": -9.8, "5": -5.9, "6": 0.1,
                         "7": 1.3, "8": -4.8, "9": 2.5}  # fmt: skip
    worst = sorted(deviation, key=deviation.get)  # type: ignore[arg-type]
    assert worst[:2] == ["203", "710"] and worst[-1] == "204"  # Raderberg, Wahnheide; Raderthal


def test_secondary_residences_explain_two_of_the_three_percent_citywide() -> None:
    main = register("Wohnstatus", "Hauptwohnung")
    secondary = register("Wohnstatus", "Nebenwohnung")
    everyone = register("Einwohner in Köln", "Einwohner")
    assert all(main[k] + secondary[k] == everyone[k] for k in everyone)
    assert sum(secondary.values()) == 19_438
