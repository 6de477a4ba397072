"""GENESIS exports as indicator files: the Zensus 2022 population of the municipalities (table
1000A-0000, dl-de/by-2-0, tests/data/real/README.md), as the flat file (ffcsv) and as the
classic CSV with header and footer blocks, read through `import indicators`.

The ledger's districts are three NRW municipalities by their ARS; the expected values are read
from the files here with the csv module. The classic file is also re-encoded to Latin-1, as
IT.NRW's Landesdatenbank writes it, with three values replaced by official symbols: each must be
missing (never zero, never a refused file) and counted by its meaning.
"""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

import pytest

from tests.real_data.cli import REAL, Ledger

FOLDER = REAL / "zensus2022-gemeinden"
FLAT = FOLDER / "1000A-0000_de_flat_nrw.csv"
CLASSIC = FOLDER / "1000A-0000_de_nrw.csv"
TOWNS = {"053580008008": "Düren, Stadt", "053150000000": "Köln", "053580012012": "Heimbach"}
SETTINGS = """
[indicators.einwohner_zensus]
name = "Einwohnerzahl Zensus 2022"
unit = "Personen"
columns = ["PRS018"]
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    settings = tmp_path / "settings.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    listed = tmp_path / "gemeinden.csv"
    listed.write_text(
        "Kennziffer;Name\n" + "".join(f"{c};{n}\n" for c, n in TOWNS.items()), encoding="utf-8"
    )
    ledger = Ledger(tmp_path, settings)
    ledger.run("import", "districts", listed)
    return ledger


def _stored(ledger: Ledger) -> dict[str, tuple[str, float | None]]:
    with sqlite3.connect(ledger.url.removeprefix("sqlite:///")) as connection:
        rows = connection.execute("SELECT district, period, value FROM indicator_value").fetchall()
    return {district: (period, value) for district, period, value in rows}


def _flat_values() -> dict[str, float]:
    with FLAT.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return {
        r["1_variable_attribute_code"]: float(r["value"])
        for r in rows
        if r["1_variable_attribute_code"] in TOWNS
    }


def test_ffcsv_flat_file_gives_the_values_of_the_ledgers_districts(ledger: Ledger) -> None:
    document = ledger.json("import", "indicators", FLAT)
    assert (document["source"], document["values"], document["indicators"]) == (
        "genesis_ffcsv",
        3,
        ["einwohner_zensus"],
    )
    assert document["other_areas"] == 396 - 3  # NRW's other municipalities: left out, counted
    expected = _flat_values()
    assert expected["053580008008"] == 94_149  # Düren, as the data README states
    assert _stored(ledger) == {code: ("2022", value) for code, value in expected.items()}


def test_classic_csv_with_header_and_footer_gives_the_same_values(ledger: Ledger) -> None:
    document = ledger.json("import", "indicators", CLASSIC)
    assert document["source"] == "genesis_classic" and document["values"] == 3
    assert document["other_areas"] == 396 + 1 - 3  # and the row DG (Deutschland)
    assert _stored(ledger) == {code: ("2022", v) for code, v in _flat_values().items()}


def test_latin1_classic_csv_keeps_symbols_as_missing_values_with_their_meaning(
    ledger: Ledger, tmp_path: Path
) -> None:
    text = CLASSIC.read_text(encoding="utf-8-sig")
    for code, symbol in (("053580008008", "."), ("053150000000", "-"), ("053580012012", "*")):
        text, replaced = re.subn(rf"^({code};[^;]*;Personen;Anzahl;)\d+;e$", rf"\g<1>{symbol};",
                                 text, flags=re.MULTILINE)  # fmt: skip
        assert replaced == 1
    latin1 = tmp_path / "1000A-0000_latin1.csv"
    latin1.write_bytes(text.encode("latin-1", errors="replace"))
    document = ledger.json("import", "indicators", latin1)
    assert document["errors"] == [] and document["values"] == 3
    assert document["missing"] == 3
    assert document["missing_by_meaning"] == {"nothing": 1, "secret": 1, "unknown": 1}
    assert _stored(ledger) == {code: ("2022", None) for code in TOWNS}


def test_a_table_none_of_whose_areas_is_a_district_counts_them_in_the_locale(
    ledger: Ledger, tmp_path: Path
) -> None:
    """A Germany-wide table (here NRW's rows, repeated under 1,200 invented codes) whose areas
    are none of the ledger's: "keines der 1.200 Gebiete", "none of the table's 1,200 areas"."""
    header, row = FLAT.read_text(encoding="utf-8-sig").splitlines()[:2]
    fields = row.split(";")
    lines = [";".join([*fields[:7], f"09{i:010d}", *fields[8:]]) for i in range(1_200)]
    elsewhere = tmp_path / "1000A-0000_de_flat_elsewhere.csv"
    elsewhere.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    german = ledger.run("import", "indicators", elsewhere, expect=1).stderr
    assert "keines der 1.200 Gebiete der Tabelle ist ein Quartier" in " ".join(german.split())
    english = ledger.run("--lang", "en", "import", "indicators", elsewhere, expect=1).stderr
    assert "none of the table's 1,200 areas is a district" in " ".join(english.split())
