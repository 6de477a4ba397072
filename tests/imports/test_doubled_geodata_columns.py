"""Geodata and places refuse a header in which two columns map to one field (issue 15 item 3),
as postings and master data do, with the same check (`imports.header_detection.doubled_columns`):
the refusal names the file and both columns, in German by default, and the ledger is unchanged.

The files are real ones (tests/data/real/README.md) given one more column: the Köln
Stadtbezirke (Stadt Köln, CC BY; KoelnAPI's WGS84 GeoJSON), the Zensus 2011 1 km grid extract
(dl-de/by-2-0) and the OpenStreetMap youth centres of Köln (ODbL).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import Monitor
from tests.imports.ledger_snapshot import ledger_rows
from tests.real_data.cli import REAL

STADTBEZIRKE = REAL / "koeln-geo-more" / "stadtbezirke_wgs84.geojson"
GRID = REAL / "zensus2011-grid-1km" / "Zensus2011_1km_Spitze_Werte_AC_DN_K.csv"
YOUTH_CENTRES = REAL / "koeln-osm-pois" / "amenity_youth_centre.geojson"


def _refused(monitor: Monitor, *args: str) -> str:
    """Run an import expecting a refusal; its message, after checking nothing changed."""
    monitor.run("init")
    before = ledger_rows(monitor.database_url)
    result = monitor.run(*args, expect=1)
    assert "Traceback" not in result.output
    assert ledger_rows(monitor.database_url) == before
    return result.stderr


def _with_property(source: Path, target: Path, name: str, copied: str) -> Path:
    """The GeoJSON `source` with one more property `name`, a copy of `copied`."""
    document = json.loads(source.read_text("utf-8"))
    for feature in document["features"]:
        feature["properties"][name] = feature["properties"][copied]
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def _grid_renaming(target: Path, old: str, new: str) -> Path:
    """The Zensus grid extract with its header column `old` renamed to `new`."""
    lines = GRID.read_text("utf-8").splitlines(keepends=True)
    header = lines[0].split(";")
    header[header.index(old)] = new
    target.write_text(";".join(header) + "".join(lines[1:]), encoding="utf-8")
    return target


def test_boundaries_with_two_name_fields_are_refused_naming_both(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = _with_property(STADTBEZIRKE, tmp_path / "bezirke.geojson", "Bezeichnung", "STB_NAME")
    args = ("import", "boundaries", str(path), "--create-districts", "--key", "STB_NR")
    message = _refused(monitor, *args)
    assert "bezirke.geojson: Zwei Spalten passen zu einem Feld in Ebene 'bezirke'" in message
    assert "Bezeichnung: 'STB_NAME' (Spalte C) und 'Bezeichnung' (Spalte E)" in message
    english = _refused(monitor, "--lang", "en", *args)
    assert "name: 'STB_NAME' (column C) and 'Bezeichnung' (column E)" in english
    # Naming the field to read settles it.
    assert monitor.json(*args, "--name", "Bezeichnung")["created"] == 9


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("Frauen_A", "Einwohner", "Wert: 'Einwohner' (Spalte D) und 'Einwohner' (Spalte E)"),
        ("Alter_D", "x_mp_1km", "'x_mp_1km': 'x_mp_1km' (Spalte B) und 'x_mp_1km' (Spalte F)"),
    ],
    ids=["two value columns", "two centre columns"],
)
def test_a_grid_with_two_columns_for_one_field_is_refused_naming_both(
    monitor: Monitor, tmp_path: Path, old: str, new: str, named: str
) -> None:
    path = _grid_renaming(tmp_path / "zensus.csv", old, new)
    message = _refused(
        monitor, "import", "grid", str(path), "--value", "Einwohner", "--population",
        "--period", "2011",
    )  # fmt: skip
    assert "zensus.csv: Zwei Spalten passen zu einem Feld in Blatt 'zensus.csv', Kopfzeile in " in (
        message
    )
    assert named in message


def test_places_with_two_name_attributes_are_refused_naming_both(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = _with_property(YOUTH_CENTRES, tmp_path / "jugend.geojson", "name", "tags/name")
    message = _refused(monitor, "import", "facilities", str(path), "--type", "jugend")
    assert "jugend.geojson: Zwei Spalten passen zu einem Feld in Ebene 'jugend'" in message
    assert "Bezeichnung: 'name' (Spalte C) und 'tags/name' (Spalte B)" in message


def _places_table(target: Path, header: list[str]) -> Path:
    """The OSM youth centres as a semicolon table: name, name again or lon twice, lon, lat."""
    document = json.loads(YOUTH_CENTRES.read_text("utf-8"))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for feature in document["features"][:5]:
            lon, lat = feature["geometry"]["coordinates"][:2]
            name = feature["properties"]["tags/name"]
            writer.writerow([name, name if header[1] != "Längengrad" else lon, lon, lat])
    return target


@pytest.mark.parametrize(
    ("header", "named"),
    [
        (["Name", "Name", "lon", "lat"], "Bezeichnung: 'Name' (Spalte A) und 'Name' (Spalte B)"),
        (["Name", "Längengrad", "lon", "lat"],
         "geografische Länge: 'lon' (Spalte C) und 'Längengrad' (Spalte B)"),
    ],
    ids=["two Name columns", "two longitude columns"],
)  # fmt: skip
def test_a_places_table_with_two_columns_for_one_field_is_refused_naming_both(
    monitor: Monitor, tmp_path: Path, header: list[str], named: str
) -> None:
    path = _places_table(tmp_path / "jugend.csv", header)
    message = _refused(monitor, "import", "facilities", str(path), "--type", "jugend")
    assert "jugend.csv: Zwei Spalten passen zu einem Feld in Blatt 'jugend.csv'" in message
    assert named in message
