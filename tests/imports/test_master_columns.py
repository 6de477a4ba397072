"""Finding master-data tables: header spelling, title lines, sheets by name or by content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from imports.master_data import MasterDataError, column_key, parse_districts, parse_measures


def workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("written", "alias"),
    [
        ("Gültig ab", "gültig ab"),
        ("GÜLTIG-AB", "Gültig ab"),
        ("gültig_ab", "Gültig ab"),
        ("Valid.From", "valid_from"),
        ("  Kosten-Stelle ", "Kostenstelle"),
        ("Massnahme", "Maßnahme"),
        ("Sozialraum-Nr.", "Sozialraumnr"),
        ("Anteil in %", "Anteil"),
        ("Ansatz 2025 EUR", "Ansatz 2025"),
        ("Betrag (€)", "Betrag"),
        (2025.0, "2025"),
    ],
)
def test_headers_match_ignoring_case_spaces_dots_hyphens_and_units(
    written: object, alias: str
) -> None:
    assert column_key(written) == column_key(alias)


def test_a_unit_is_only_stripped_when_it_stands_apart() -> None:
    assert column_key("Ingenieur") == "ingenieur"
    assert column_key("SGB-II-Quote (%)", keep_unit=True) != column_key("SGB-II-Quote")


def test_header_below_title_lines_in_a_sheet_found_by_content(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "stadt.xlsx",
        {
            "Tabelle1": [
                ["Sozialraumgliederung der Stadt"],
                ["Stand: 31.12.2024"],
                [],
                ["SOZIALRAUM", "bezeichnung"],
                ["S01", "Nord"],
            ]
        },
    )
    parsed = parse_districts(path)
    assert parsed.districts[["district", "name", "sheet", "row"]].values.tolist() == [
        ["S01", "Nord", "Tabelle1", 5]
    ]


def test_a_sheet_named_for_the_table_wins_over_an_earlier_sheet_with_the_same_columns(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path / "districts.xlsx",
        {
            "Alt": [["Sozialraum", "Bezeichnung"], ["X1", "Veraltet"]],
            "Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"]],
        },
    )
    assert parse_districts(path).districts["district"].tolist() == ["S01"]


def test_a_code_like_column_takes_the_code_and_leaves_the_place_name_as_name(
    tmp_path: Path,
) -> None:
    path = workbook(tmp_path / "d.xlsx", {"Sozialräume": [["Nr.", "Sozialraum"], [3, "Nord"]]})
    parsed = parse_districts(path)
    assert parsed.districts[["district", "name"]].values.tolist() == [["3", "Nord"]]
    assert parsed.columns["districts"] == {"district": "Nr.", "name": "Sozialraum"}


def test_missing_table_names_found_and_expected_headers(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "measures.xlsx", {"Maßnahmen": [["Titel"], ["Code", "Programm", "Betrag"]]}
    )
    with pytest.raises(MasterDataError) as raised:
        parse_measures(path)
    message = str(raised.value)
    assert "no measures table found" in message
    assert "Found in sheet 'Maßnahmen', row 2: 'Code', 'Programm', 'Betrag'" in message
    assert "Missing column measure: one of 'measure'" in message
    assert "'Maßnahme'" in message
    assert "Missing column name: one of" in message
