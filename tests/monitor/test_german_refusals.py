"""Whole files refused in the clerk's words (issue 16 item 1): the readers of GoBD exports, price
indices, indicators, plans, boundaries, grids and places say why as a code, and the command line
words it from the catalogue, German by default and English with --lang en.

Real files (tests/data/real/README.md) where one fits: the Destatis consumer price index
(61111-0001, dl-de/by-2-0), KoelnAPI's Stadtbezirke (Stadt Köln, CC BY) and the Zensus 2011
1 km grid extract (dl-de/by-2-0).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from monitor.cli import cli
from monitor.language import LANG_ENV
from tests.real_data.cli import REAL

CPI = REAL / "destatis-cpi" / "61111-0001_de_flat.csv"
STADTBEZIRKE = REAL / "koeln-geo-more" / "stadtbezirke_wgs84.geojson"
GRID = REAL / "zensus2011-grid-1km" / "Zensus2011_1km_Spitze_Werte_AC_DN_K.csv"


def _refusal(tmp_path: Path, *args: object, lang: str | None = None) -> str:
    """stderr of a command that must refuse with exit 1, without a traceback (on a ledger that
    knows the districts S01 and S02)."""
    db = f"sqlite:///{tmp_path / 'ledger.db'}"
    chosen = ["--lang", lang] if lang else []
    runner = CliRunner(env={LANG_ENV: ""})
    districts = tmp_path / "quartiere.csv"
    if not districts.exists():
        districts.write_text("Sozialraum;Bezeichnung\nS01;Nord\nS02;Süd\n", encoding="utf-8")
        assert (
            runner.invoke(cli, ["--db", db, "import", "districts", str(districts)]).exit_code == 0
        )
    result = runner.invoke(cli, ["--db", db, *chosen, *map(str, args)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stderr


def _said(tmp_path: Path, args: tuple[object, ...], german: str, english: str) -> None:
    """The refusal says `german` by default and `english` with --lang en."""
    assert german in _refusal(tmp_path, *args)
    assert english in _refusal(tmp_path, *args, lang="en")


def test_a_price_index_without_the_named_series_is_refused_in_german(tmp_path):
    _said(
        tmp_path,
        ("import", "prices", CPI, "--series", "PREIS9"),
        "61111-0001_de_flat.csv: keine Reihe 'PREIS9'; die Datei enthält 'PREIS1_",
        "61111-0001_de_flat.csv: no series 'PREIS9'; the file holds 'PREIS1_",
    )


def test_a_zip_without_index_xml_is_no_gobd_export_in_german(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("buchungen.csv", "Buchungsdatum;Betrag\n")
    _said(
        tmp_path,
        ("import", "postings", path),
        "export.zip: das ZIP-Archiv enthält keine index.xml; erwartet wird ein GoBD",
        "export.zip: ZIP archive has no index.xml; expected a GoBD/GDPdU export",
    )


def test_a_gobd_description_of_another_kind_is_refused_in_german(tmp_path):
    folder = tmp_path / "gdpdu"
    folder.mkdir()
    (folder / "index.xml").write_text("<Workbook><Sheet/></Workbook>", encoding="utf-8")
    german = _refusal(tmp_path, "import", "postings", folder)
    assert "index.xml hat das Wurzelelement 'Workbook', erwartet wird DataSet" in german


def test_an_indicator_period_that_is_no_period_is_refused_in_german(tmp_path):
    path = tmp_path / "werte.csv"
    path.write_text("Sozialraum;sgb2_quote\nS01;12,5\n", encoding="utf-8")
    german = _refusal(tmp_path, "import", "indicators", path, "--period", "2024x")
    assert "--period '2024x' ist kein Zeitraum; erwartet wird ein Jahr (2024)" in german


def test_a_plan_with_two_columns_for_one_year_is_refused_in_german(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Maßnahme;2025;Plan 2025\nJZ-A;1,00;2,00\n", encoding="utf-8")
    german = _refusal(tmp_path, "import", "plan", path)
    assert "plan.csv: zwei Spalten für ein Planjahr in Blatt 'plan.csv' (2025: '2025', " in german
    assert "bitte nur eine Spalte je Jahr" in german


def test_boundaries_without_the_named_layer_are_refused_in_german(tmp_path):
    german = _refusal(tmp_path, "import", "boundaries", STADTBEZIRKE, "--layer", "Bezirke")
    assert "stadtbezirke_wgs84.geojson: hat keine Ebene 'Bezirke'; ihre Ebenen: " in german


def test_a_grid_without_the_value_column_is_refused_in_german(tmp_path):
    _said(
        tmp_path,
        ("import", "grid", GRID, "--value", "Kinder", "--population", "--period", "2011"),
        "keine Kopfzeile nennt die Spalten 'Kinder'; erste Zeile: 'Gitter_ID_1km'",
        "no header row names the columns 'Kinder'; first row: 'Gitter_ID_1km'",
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--type", "jugend", "--type-field", "amenity"),
         "bitte entweder --type ART oder --type-field FELD angeben, nicht beides"),
        (("--crs", "UTM32"), "--crs 'UTM32' ist kein Koordinatenbezugssystem; erwartet wird"),
    ],
    ids=["type and type field", "no CRS"],
)  # fmt: skip
def test_places_options_that_cannot_be_used_are_refused_in_german(tmp_path, args, said):
    path = tmp_path / "orte.csv"
    path.write_text("Name;lon;lat\nOT Nord;6.95;50.94\n", encoding="utf-8")
    assert said in _refusal(tmp_path, "import", "facilities", path, *args)


def test_a_measure_catalogues_row_errors_are_german(tmp_path):
    """Row errors of master data too: dates, rules, shares and unknown measures."""
    book = Workbook()
    book.active.title = "Maßnahmen"
    book.active.append(["Maßnahme", "Bezeichnung", "Programm", "Kostenstelle", "Gültig ab"])
    book.active.append(["JZ-A", "Jugendzentrum", "JZ", "*", "32.01.2024"])
    shares = book.create_sheet("Zuordnung")
    shares.append(["Maßnahme", "Sozialraum", "Anteil"])
    shares.append(["JZ-A", "S01", "zwei"])
    shares.append(["JZ-B", "S01", "0,5"])
    path = tmp_path / "massnahmen.xlsx"
    book.save(path)
    german = _refusal(tmp_path, "import", "measures", path)
    assert "Zeile 2, Spalte „Gültig ab“: kein Datum: '32.01.2024'" in german
    assert "Spalte „Kostenstelle“: '*': ein einzelnes * träfe jede Buchung" in german
    assert "Spalte „Anteil“: kein Anteil: 'zwei'; erwartet wird 0,5 oder 50 %" in german
    assert "Spalte „Maßnahme“: Maßnahme 'JZ-B' steht nicht im Blatt 'Maßnahmen'" in german
    english = _refusal(tmp_path, "import", "measures", path, lang="en")
    assert "measure 'JZ-B' is not in sheet 'Maßnahmen'" in english


def test_a_district_list_naming_one_district_twice_differently_is_refused_in_german(tmp_path):
    path = tmp_path / "sozialraeume.csv"
    path.write_text("Sozialraum;Bezeichnung\nS01;Nord\nS01;Norden\n", encoding="utf-8")
    _said(
        tmp_path,
        ("import", "districts", path),
        "Zeile 3, Spalte „Bezeichnung“: Quartier 'S01' heißt in Zeile 2 'Nord'",
        "district 'S01' is named 'Nord' in row 2: one name per district",
    )


def test_a_profile_the_settings_define_wrongly_is_named_in_german(tmp_path):
    settings = tmp_path / "settings.toml"
    settings.write_text(
        '[imports.profiles.kaemmerei]\ncolumns = { betrag = "Betrag" }\n', encoding="utf-8"
    )
    runner = CliRunner(env={LANG_ENV: ""})
    for lang, said in (
        ("de", "imports.profiles.kaemmerei: unbekannte(s) Feld(er) betrag; bekannte Felder: "),
        ("en", "imports.profiles.kaemmerei: unknown field(s) betrag; known fields: "),
    ):
        result = runner.invoke(cli, ["--lang", lang, "--settings", str(settings), "batches"])
        assert result.exit_code == 1, result.output
        assert said in result.stderr
