"""A table of the Statistik der Bundesagentur für Arbeit as the BA delivers it (order 326108:
employees at their place of residence by vocational qualification, Kreise, 30.06.2002 to
30.06.2021; tests/data/real/README.md) through `import indicators` with
examples/ba-beschaeftigung/settings.toml: seven sheets (Impressum, counts, shares, notes), a
header over five rows (group labels merged across columns, the Stichtag per column, the BA's
column numbers), region cells `05315 Köln, Stadt`, `.` where there is no figure, footnotes.

Checked against an independent reading with openpyxl at fixed cell positions: every count
stored is the workbook's cell, every `.` is missing (never zero) and counted by its meaning,
the shares the product computes from counts and denominator equal count / total × 100 and the
BA's own published shares. Malformed variants are refused, in German, naming what is wrong.
"""

from __future__ import annotations

import math
import sqlite3
import warnings
from pathlib import Path

import openpyxl
import pytest

from tests.real_data.cli import EXAMPLES, REAL, Ledger

WORKBOOK = REAL / "ba-beschaeftigung" / "Kreise_WO_Zeitreihe.xlsx"
EXAMPLE = EXAMPLES / "ba-beschaeftigung"
COUNTS, SHARES = "SvB_Kreise_WO_Anzahl", "SvB_Kreise_WO_Anteile"
KREISE = ("05315", "05334", "05358", "05362", "05366")
YEARS = [str(year) for year in range(2002, 2022)]
# First (1-based) column of each configured block of 20 Stichtage: sheet, column.
BLOCKS = {
    "svb_wohnort": (COUNTS, 2),  # Insgesamt
    "svb_ohne_abschluss": (COUNTS, 22),  # 1 Ohne Berufsausbildung / Ohne Berufsabschluss
    "svb_akademisch": (COUNTS, 62),  # 3 Fach- und Hochschulabschluss / Akademischer …
    "ba_anteil_ohne_abschluss": (SHARES, 2),
}
FIRST_REGION_ROW = 14  # "Deutschland"; the Kreise follow, then the closing lines


def _rows_by_key(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, tuple[object, ...]]:
    """Region rows keyed by the region cell's leading key ("05315 Köln, Stadt" → "05315")."""
    found = {}
    for row in sheet.iter_rows(min_row=FIRST_REGION_ROW, values_only=True):
        head = str(row[0] or "")
        if head[:5].isdigit() and head[5:6] == " ":
            found[head[:5]] = row
    return found


@pytest.fixture(scope="module")
def workbook() -> dict[str, dict[str, tuple[object, ...]]]:
    book = openpyxl.load_workbook(WORKBOOK, read_only=True)
    try:
        return {name: _rows_by_key(book[name]) for name in (COUNTS, SHARES)}
    finally:
        book.close()


def _cells(workbook: dict, indicator: str, kreis: str) -> list[object]:
    sheet, first = BLOCKS[indicator]
    return list(workbook[sheet][kreis][first - 1 : first - 1 + 20])


def _ledger(folder: Path, settings: Path | None = None) -> Ledger:
    ledger = Ledger(folder, settings or EXAMPLE / "settings.toml")
    ledger.run("import", "districts", EXAMPLE / "kreise.csv")
    return ledger


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    ledger = _ledger(tmp_path_factory.mktemp("ba"))
    document = ledger.json("import", "indicators", WORKBOOK)
    with sqlite3.connect(ledger.url.removeprefix("sqlite:///")) as connection:
        rows = connection.execute(
            "SELECT district, indicator, period, value FROM indicator_value"
        ).fetchall()
    return document, {(d, i, p): v for d, i, p, v in rows}


def test_the_counts_stored_are_the_workbooks_cells_and_a_dot_is_missing(imported, workbook):
    document, stored = imported
    assert (document["source"], document["layout"], document["values"]) == ("ba", "wide", 600)
    for indicator in BLOCKS:
        for kreis in KREISE:
            for year, cell in zip(YEARS, _cells(workbook, indicator, kreis), strict=True):
                value = stored[kreis, indicator, year]
                if cell == ".":
                    assert value is None, (kreis, indicator, year)  # never a zero
                else:
                    assert value == pytest.approx(float(cell), rel=1e-12), (kreis, year)
    # The StädteRegion Aachen exists from 2009 on; the Stichtage before carry `.` in the BA's
    # table "Gebietsstand des jeweiligen Stichtags", and 2012 has no qualification at all.
    assert stored["05334", "svb_wohnort", "2009"] is None
    assert stored["05334", "svb_wohnort", "2010"] == 168_824
    assert stored["05315", "svb_ohne_abschluss", "2012"] is None


def test_shares_computed_from_counts_equal_count_over_total_and_the_bas_own(imported, workbook):
    document, stored = imported
    computed = 0
    for kreis in KREISE:
        totals = _cells(workbook, "svb_wohnort", kreis)
        parts = _cells(workbook, "svb_ohne_abschluss", kreis)
        published = _cells(workbook, "ba_anteil_ohne_abschluss", kreis)
        for year, total, part, share in zip(YEARS, totals, parts, published, strict=True):
            value = stored[kreis, "anteil_ohne_abschluss", year]
            if "." in (total, part):
                assert value is None and share == "."
                continue
            computed += 1
            assert value == pytest.approx(100 * part / total, rel=1e-12)
            assert value == pytest.approx(share, rel=1e-9)  # the BA divides alike
    assert document["computed_rates"] == {
        "anteil_ohne_abschluss": computed,
        "anteil_akademisch": computed,
    }
    # Missing: Aachen 2002–2009 (its total is `.` before 2010, though 2009 has a count without
    # qualification) and 2012 (no qualification recorded that year) in all five Kreise.
    assert computed == 5 * 20 - 8 - 5
    academics, total = (_cells(workbook, i, "05358")[-1] for i in ("svb_akademisch", "svb_wohnort"))
    assert total == 102_585  # Düren, 30.06.2021
    assert math.isclose(stored["05358", "anteil_akademisch", "2021"], 100 * academics / total)


def test_symbols_are_counted_by_meaning_and_the_aggregates_named(imported):
    """Over the whole table, the ledger's Kreise or not: every `.` in a configured column."""
    document, _ = imported
    book = openpyxl.load_workbook(WORKBOOK, read_only=True)
    dots = 0
    for sheet, first in BLOCKS.values():
        for row in _rows_by_key(book[sheet]).values():
            dots += sum(cell == "." for cell in row[first - 1 : first - 1 + 20])
    book.close()
    assert document["missing"] == dots == 6014
    assert document["missing_by_meaning"] == {"unknown": dots}
    assert document["skipped_aggregates"] == ["Deutschland"]
    assert document["other_areas"] == 476 - len(KREISE)
    assert "SvB_Kreise_WO_Anzahl / Abschluss unbekannt" in document["ignored_columns"]


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workbook with cells changed as other BA tables write them, or broken."""
    folder = tmp_path_factory.mktemp("variants")
    made = {}
    for name, change in (("symbols", _symbols), ("bad_cell", _bad_cell), ("no_dates", _no_dates)):
        with warnings.catch_warnings():  # the BA's logo (WMF) is dropped: not part of the table
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(WORKBOOK)
        change(book)
        made[name] = folder / f"{name}.xlsx"
        book.save(made[name])
    return made


def _köln_row(sheet: openpyxl.worksheet.worksheet.Worksheet) -> int:
    return next(
        r for r in range(FIRST_REGION_ROW, 200) if sheet.cell(r, 1).value == "05315 Köln, Stadt"
    )


def _symbols(book: openpyxl.Workbook) -> None:
    """`*` (anonymised) and `-` (nothing), as the BA writes them in Gemeinde tables."""
    sheet = book[COUNTS]
    row = _köln_row(sheet)
    sheet.cell(row, 22).value = "*"  # ohne Abschluss 2002
    sheet.cell(row, 23).value = "*"
    sheet.cell(row, 62).value = "-"  # akademisch 2002


def _bad_cell(book: openpyxl.Workbook) -> None:
    sheet = book[COUNTS]
    sheet.cell(_köln_row(sheet), 5).value = "12a"  # Insgesamt 30.06.2005


def _no_dates(book: openpyxl.Workbook) -> None:
    for name in (COUNTS, SHARES):
        book[name].delete_rows(12)  # the row of Stichtage


def test_the_bas_star_and_dash_are_missing_and_counted_by_meaning(tmp_path: Path, variants):
    ledger = _ledger(tmp_path)
    document = ledger.json("import", "indicators", variants["symbols"])
    assert document["missing_by_meaning"] == {"nothing": 1, "secret": 2, "unknown": 6014}
    with sqlite3.connect(ledger.url.removeprefix("sqlite:///")) as connection:
        rows = connection.execute(
            "SELECT indicator, period, value FROM indicator_value WHERE district = '05315' "
            "AND period IN ('2002', '2003') AND indicator LIKE '%abschluss%'"
        ).fetchall()
    stored = {(i, p): v for i, p, v in rows}
    assert stored["svb_ohne_abschluss", "2002"] is None  # secret, not zero
    assert stored["anteil_ohne_abschluss", "2002"] is None  # and no share from it
    assert stored["svb_ohne_abschluss", "2003"] is None
    assert stored["ba_anteil_ohne_abschluss", "2002"] == pytest.approx(100 * 67316 / 333584)


def test_a_cell_that_is_no_number_refuses_the_file_naming_sheet_row_and_column(
    tmp_path: Path, variants
) -> None:
    ledger = _ledger(tmp_path)
    result = ledger.run("import", "indicators", variants["bad_cell"], expect=1)
    assert (
        "Blatt „SvB_Kreise_WO_Anzahl“, Zeile 97, Spalte „Insgesamt / 30.06.2005“: "
        "keine Zahl: '12a'" in result.stderr
    )
    assert "Nichts wurde eingelesen" in result.stderr


def test_columns_without_period_need_period_and_a_period_row_refuses_another(
    tmp_path: Path, variants
) -> None:
    ledger = _ledger(tmp_path)
    result = ledger.run("import", "indicators", variants["no_dates"], expect=1)
    assert "keine Zeile mit Stichtagen oder Zeiträumen" in result.stderr
    assert "mit --period an" in result.stderr
    result = ledger.run("import", "indicators", WORKBOOK, "--period", "2021", expect=1)
    assert "--period 2021 wurde angegeben, aber Blatt 'SvB_Kreise_WO_Anzahl'" in result.stderr
    assert "(Zeile 12); lassen Sie --period weg" in result.stderr


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        # "Ohne Berufsausbildung" heads a count (sheet 2) and a share (sheet 3) of 30.06.2002.
        (
            '["Ohne Berufsausbildung"]',
            "zwei Spalten für den Indikator svb_ohne_abschluss und den Zeitraum 30.06.2002: "
            "'SvB_Kreise_WO_Anzahl / 1 Ohne Berufsausbildung / Ohne Berufsabschluss / Ohne "
            "Berufsausbildung / 30.06.2002' und 'SvB_Kreise_WO_Anteile / 1 Ohne",
        ),
        (
            '["Ohne Abschluss"]',
            "Keine Spalte dieser Tabelle der Statistik der Bundesagentur für Arbeit ist als "
            "Indikator eingerichtet. Ihre Spalten, nach Blatt und Beschriftung: "
            "'SvB_Kreise_WO_Anzahl / Insgesamt'",
        ),
    ],
)
def test_columns_named_ambiguously_or_not_at_all_are_refused(
    tmp_path: Path, columns: str, expected: str
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(
        f'[indicators.svb_ohne_abschluss]\nname = "ohne Abschluss"\ncolumns = {columns}\n',
        encoding="utf-8",
    )
    result = _ledger(tmp_path, settings).run("import", "indicators", WORKBOOK, expect=1)
    assert expected in " ".join(result.stderr.split())
