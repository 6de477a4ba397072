"""One way to store every master-data kind (`monitor.master_commands.store_prepared`), on SQLite
and PostgreSQL: each kind's import is sealed into the chain (a row changed past the trip wire is
named under its import), appends its head to `[ledger] anchor_file`, and an unchanged re-import
writes nothing, adds no head and names the version that holds it.

Three store paths (master data, boundaries and grid, places) each anchored on their own until
the anchor call of two of them got lost (bbcf9b6); this proves the eight kinds alike.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.database import create_ledger_engine
from ledger.master_tables import MASTER_MODELS
from tests.conftest import Monitor
from tests.imports.ledger_snapshot import ledger_rows
from tests.ledger.test_facilities_ledger import make_city, write_points
from tests.ledger.test_geodata_ledger import X0, Y0, three_squares, write_grid
from tests.ledger.test_spend_trace import _workbook
from tests.ledger.test_verify_master_data import execute, past_the_trip_wire

CPI = Path(__file__).parents[1] / "data" / "real" / "destatis-cpi" / "61111-0001_de_flat.csv"


def _districts(folder: Path) -> tuple[str, ...]:
    rows = [["Sozialraum", "Bezeichnung"], ["S01", "Nord"], ["S02", "Mitte"], ["S03", "Süd"]]
    return ("districts", str(_workbook(folder / "d.xlsx", {"Sozialräume": rows})))


def _indicators(folder: Path) -> tuple[str, ...]:
    rows = [["Sozialraum", "Indikator", "Jahr", "Wert"], ["S01", "sgb2", 2024, "12,5"]]
    return ("indicators", str(_workbook(folder / "i.xlsx", {"Indikatoren": rows})))


def _measures(folder: Path) -> tuple[str, ...]:
    sheets = {
        "Maßnahmen": [["Maßnahme", "Bezeichnung", "Kostenstelle"], ["JZ-A", "JZ A", "36050"]],
        "Zuordnung": [["Maßnahme", "Sozialraum", "Anteil"], ["JZ-A", "S02", 1]],
    }
    return ("measures", str(_workbook(folder / "m.xlsx", sheets)))


def _plan(folder: Path) -> tuple[str, ...]:
    rows = [["Produkt", "Jahr", "Ansatz"], ["06.02.01", 2024, "1.000,00"]]
    return ("plan", str(_workbook(folder / "p.xlsx", {"Haushaltsansätze": rows})))


def _prices(folder: Path) -> tuple[str, ...]:
    return ("prices", str(CPI))


def _boundaries(folder: Path) -> tuple[str, ...]:
    return ("boundaries", str(three_squares(folder / "b.geojson")))


def _grid(folder: Path) -> tuple[str, ...]:
    cells = [(X0 + 500, Y0 + 500, "120", ""), (X0 + 1500, Y0 + 500, "80", "")]
    path = write_grid(folder / "g.csv", cells)
    return ("grid", str(path), "--value", "Einwohner", "--population", "--period", "2024")


def _facilities(folder: Path) -> tuple[str, ...]:
    path = write_points(folder / "f.geojson", [(X0 + 500, Y0 + 500, {"name": "A"})])
    return ("facilities", str(path), "--type", "beratung")


KINDS: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "districts": _districts,
    "indicators": _indicators,
    "measures": _measures,
    "plan": _plan,
    "prices": _prices,
    "boundaries": _boundaries,
    "grid": _grid,
    "facilities": _facilities,
}


@pytest.fixture
def anchored(monitor: Monitor, tmp_path: Path) -> Monitor:
    """Three districts with their boundaries, and an anchor file set from now on."""
    make_city(monitor, tmp_path)
    (monitor.workdir / "settings.toml").write_text('[ledger]\nanchor_file = "heads.txt"\n', "utf-8")
    return monitor


def _heads(monitor: Monitor) -> list[str]:
    anchor = monitor.workdir / "heads.txt"
    return anchor.read_text("utf-8").splitlines() if anchor.exists() else []


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_master_kind_is_sealed_and_anchored_the_same_way(
    anchored: Monitor, tmp_path: Path, kind: str
) -> None:
    args = KINDS[kind](tmp_path)
    document = anchored.json("import", *args)
    number = document["import"]
    assert document["unchanged"] is False and document["sha256"]
    [line] = _heads(anchored)
    verified = anchored.json("verify")
    assert verified["ok"] and line.startswith(verified["head"])
    assert line.endswith(f"master import {number}")
    # The rows are in the chain under their import: one changed past the trip wire is named.
    table = _first_table_of(anchored.database_url, number)
    execute(
        anchored.database_url,
        *past_the_trip_wire(f"UPDATE {table} SET row_hash = 'x' WHERE import_id = {number}"),
    )
    messages = "\n".join(p["message"] for p in anchored.json("verify", expect=1)["problems"])
    assert f"master import {number}: {table} row" in messages


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_unchanged_reimport_of_every_kind_writes_nothing(
    anchored: Monitor, tmp_path: Path, kind: str
) -> None:
    args = KINDS[kind](tmp_path)
    first = anchored.json("import", *args)
    head = anchored.json("verify")["head"]
    again = anchored.json("import", *args)
    assert (again["import"], again["unchanged"]) == (first["import"], True)
    assert again["sha256"] == first["sha256"]
    assert len(_heads(anchored)) == 1  # no new head
    after = anchored.json("verify")
    assert after["head"] == head and after["master_imports"] == first["import"]
    said = " ".join(anchored.run("import", *args).stdout.split())
    assert f"schon die neueste Version (Nr. {first['import']})" in said


def test_the_same_file_after_another_import_is_a_new_version(
    anchored: Monitor, tmp_path: Path
) -> None:
    """Unchanged means the newest version already: after another import the same file makes
    its rows current again, so it is stored."""
    first = anchored.json("import", *_measures(tmp_path))
    anchored.json("import", *_plan(tmp_path))
    again = anchored.json("import", *_measures(tmp_path))
    assert again["unchanged"] is False and again["import"] == first["import"] + 2
    assert len(_heads(anchored)) == 3


def _first_table_of(database_url: str, number: int) -> str:
    engine = create_ledger_engine(database_url)
    try:
        with engine.connect() as connection:
            for table in MASTER_MODELS:
                found = connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE import_id = :n"), {"n": number}
                ).scalar()
                if found:
                    return table
    finally:
        engine.dispose()
    raise AssertionError(f"master import {number} holds no rows")


def _header_only_prices(folder: Path) -> tuple[str, ...]:
    header = CPI.read_text("utf-8-sig").splitlines()[0]
    (folder / "cpi.csv").write_text(header + "\n", "utf-8")
    return ("prices", str(folder / "cpi.csv"))


def _header_only_boundaries(folder: Path) -> tuple[str, ...]:
    (folder / "b.geojson").write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    return ("boundaries", str(folder / "b.geojson"))


def _header_only_grid(folder: Path) -> tuple[str, ...]:
    path = write_grid(folder / "g.csv", [])
    return ("grid", str(path), "--value", "Einwohner", "--population", "--period", "2024")


def _header_only_facilities(folder: Path) -> tuple[str, ...]:
    path = write_points(folder / "f.geojson", [])
    return ("facilities", str(path), "--type", "beratung")


# The kinds tests/imports/test_empty_and_ambiguous_files.py does not cover.
HEADER_ONLY: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "prices": _header_only_prices,
    "boundaries": _header_only_boundaries,
    "grid": _header_only_grid,
    "facilities": _header_only_facilities,
}


@pytest.mark.parametrize("kind", list(HEADER_ONLY))
def test_a_file_without_rows_of_every_geodata_and_price_kind_is_refused_and_changes_nothing(
    anchored: Monitor, tmp_path: Path, kind: str
) -> None:
    before = ledger_rows(anchored.database_url)
    result = anchored.run("import", *HEADER_ONLY[kind](tmp_path), expect=1)
    assert "Traceback" not in result.output + result.stderr
    assert ": keine Zeilen: unter der Kopfzeile steht kein" in result.stderr
    assert ledger_rows(anchored.database_url) == before
    assert _heads(anchored) == []
