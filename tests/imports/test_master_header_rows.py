"""Multi-row headers as Hamburg's Stadtteilprofile write them, on tiny hand-made workbooks: a
row of definitions under the short names continues the header, a table of names alone does not
lose its first data row to that rule, and `aggregates_from` leaves out the closing aggregate
rows (and only when the file has them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports.master_data import parse_districts
from imports.master_data.indicators import parse_indicators
from tests.imports.test_master_districts import workbook

ALIASES = {"sgb2": ("SGB II in %",), "alq": ("Arbeitslose in %",)}


def _profiles(path: Path) -> Path:
    return workbook(path, {"Profile": [
        ["Statistische Daten zu den Stadtteilen"],
        ["Stadtgebiet", "Sozialstruktur", None, None],
        [None, "Bevölkerung", "SGB II in %", "Arbeitslose in %"],
        [None, "Anzahl der Einwohner", "Anteil an der Bevölkerung", "Anteil an 15-64-Jährigen"],
        ["Altstadt", 1675, 11.1, 5.4],
        ["Eimsbüttel", 56000, ".", 4.1],
        ["Mitte", 57675, 9.0, 4.2],       # the Bezirk
        ["Eimsbüttel", 250000, 8.0, 4.0],  # a Bezirk named like a Stadtteil
        ["Hamburg", 307675, 8.5, 4.1],
    ]})  # fmt: skip


def test_a_row_of_definitions_continues_the_header_and_aggregates_are_left_out(
    tmp_path: Path,
) -> None:
    parsed = parse_indicators(_profiles(tmp_path / "p.xlsx"), period="2013",
                              indicator_columns=ALIASES, aggregates_from="Mitte")  # fmt: skip
    assert parsed.errors == () and parsed.header_row == 2
    assert parsed.aggregates == ("Mitte", "Eimsbüttel", "Hamburg")
    rows = parsed.values.sort_values(["district", "indicator"])
    assert rows[["district", "indicator", "row"]].values.tolist() == [
        ["Altstadt", "alq", 5], ["Altstadt", "sgb2", 5],
        ["Eimsbüttel", "alq", 6], ["Eimsbüttel", "sgb2", 6],
    ]  # fmt: skip
    assert parsed.missing == 1 and parsed.missing_by_meaning == {"unknown": 1}
    assert parsed.population["population"].tolist() == [1675, 56000]
    assert parsed.columns["sgb2"] == "SGB II in % / Anteil an der Bevölkerung"


def test_without_the_declaration_the_aggregate_rows_are_errors_not_guesses(
    tmp_path: Path,
) -> None:
    parsed = parse_indicators(_profiles(tmp_path / "p.xlsx"), period="2013",
                              indicator_columns=ALIASES)  # fmt: skip
    assert parsed.aggregates == ()
    assert [(e.row, e.message) for e in parsed.errors] == [
        (8, "district 'Eimsbüttel', period 2013 already in row 6")
    ]


@pytest.mark.parametrize("declared", ["Bezirk Mitte", ""])
def test_a_declared_first_aggregate_that_is_not_in_the_file_leaves_every_row(
    tmp_path: Path, declared: str
) -> None:
    parsed = parse_indicators(_profiles(tmp_path / "p.xlsx"), period="2013",
                              indicator_columns=ALIASES, aggregates_from=declared)  # fmt: skip
    assert parsed.aggregates == () and len(parsed.errors) == 1


def test_a_table_of_names_alone_keeps_its_first_row_as_data(tmp_path: Path) -> None:
    """`Stadtteil | Name` with names in both columns: every data row is labels only, in the
    header's columns; it is no row of definitions, because it fills the key column too."""
    path = workbook(tmp_path / "d.xlsx", {"Stadtteile": [
        ["Stadtteil", "Name"], ["Altstadt", "Altstadt"], ["HafenCity", "HafenCity"],
    ]})  # fmt: skip
    parsed = parse_districts(path)
    assert parsed.errors == ()
    assert parsed.districts["district"].tolist() == ["Altstadt", "HafenCity"]
