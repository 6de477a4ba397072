"""`import districts`: codes as text, population per year, every bad row with row and column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from imports.master_data import MasterDataError, parse_districts, unknown_districts
from imports.postings import RowError
from tests.exports import write_csv


def workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def located(errors: Sequence[RowError]) -> list[tuple[str, int, str | None]]:
    return [(e.sheet, e.row, e.column) for e in errors]


def test_german_workbook_with_codes_stored_as_numbers_and_text(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "sozialraeume.xlsx",
        {
            "Sozialräume": [
                ["Sozialräume der Stadt (Stand 2024)"],
                [],
                ["Sozialraum", "Bezeichnung"],
                [3.0, "Nord-Düren"],  # Excel stored the code as a number
                ["03", "Null-Drei"],  # a text code keeps its leading zero
                ["Summe", None],
            ],
            "Einwohner": [
                ["Sozialraum", "Jahr", "Einwohner"],
                [3, 2023, 8200],
                ["03", "2023", "1.234"],
            ],
        },
    )
    parsed = parse_districts(path)
    assert parsed.errors == ()
    assert parsed.districts.to_dict("records") == [
        {"district": "3", "name": "Nord-Düren", "sheet": "Sozialräume", "row": 4},
        {"district": "03", "name": "Null-Drei", "sheet": "Sozialräume", "row": 5},
    ]
    assert parsed.population.to_dict("records") == [
        {"district": "3", "year": 2023, "population": 8200, "sheet": "Einwohner", "row": 2},
        {"district": "03", "year": 2023, "population": 1234, "sheet": "Einwohner", "row": 3},
    ]
    assert parsed.skipped_total == 1


def test_one_english_csv_table_with_names_and_population(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "districts.csv",
        [
            ["District", "Name", "Year", "Population"],
            ["S01", "North", "2023", "4200"],
            ["S01", "North", "2024", "4300"],
            ["S02", "South", "", ""],
        ],
        encoding="utf-8",
        delimiter=",",
    )
    parsed = parse_districts(path)
    assert parsed.errors == ()
    assert parsed.districts[["district", "name", "row"]].values.tolist() == [
        ["S01", "North", 2],
        ["S02", "South", 4],
    ]
    assert parsed.population[["district", "year", "population", "row"]].values.tolist() == [
        ["S01", 2023, 4200, 2],
        ["S01", 2024, 4300, 3],
    ]


def test_every_bad_row_is_reported_with_sheet_row_and_column(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "districts.xlsx",
        {
            "Sozialräume": [
                ["Sozialraum", "Bezeichnung"],
                ["S01", "Nord"],
                ["S02", None],
                [None, "Ohne Code"],
                ["S01", "Anders"],
            ],
            "Einwohner": [
                ["Sozialraum", "Jahr", "Einwohner"],
                ["S01", 2024, "viele"],
                ["S01", "24/25", 100],
                ["S09", 2024, 100],
                ["S01", 2023, 100],
                ["S01", 2023, 200],
                ["S01", 2022, "."],
            ],
        },
    )
    parsed = parse_districts(path)
    assert located(parsed.errors) == [
        ("Sozialräume", 3, "Bezeichnung"),
        ("Sozialräume", 4, "Sozialraum"),
        ("Sozialräume", 5, "Bezeichnung"),
        ("Einwohner", 2, "Einwohner"),
        ("Einwohner", 3, "Jahr"),
        ("Einwohner", 4, "Sozialraum"),
        ("Einwohner", 6, "Jahr"),
        ("Einwohner", 7, "Einwohner"),
    ]
    messages = {(e.sheet, e.row): e.message for e in parsed.errors}
    assert (
        messages["Sozialräume", 5]
        == "district 'S01' is named 'Nord' in row 2: one name per district"
    )
    assert messages["Einwohner", 4] == "district 'S09' is not in sheet 'Sozialräume'"
    assert messages["Einwohner", 6] == "district 'S01' has a population for 2023 already in row 5"
    assert str(parsed.errors[0]).startswith("districts.xlsx, sheet 'Sozialräume', row 3, column")
    assert parsed.districts["district"].tolist() == ["S01"]
    assert parsed.population["row"].tolist() == [5]


def test_unknown_districts_are_reported_once_per_row_with_the_files_header() -> None:
    values = pd.DataFrame(
        {
            "district": ["S01", "S99", "S99", "S98"],
            "indicator": ["a", "a", "b", "a"],
            "sheet": ["Tabelle1"] * 4,
            "row": [2, 3, 3, 4],
        }
    )
    errors = unknown_districts(values, {"S01"}, "werte.xlsx", column="Sozialraum")
    assert [(e.file, e.sheet, e.row, e.column) for e in errors] == [
        ("werte.xlsx", "Tabelle1", 3, "Sozialraum"),
        ("werte.xlsx", "Tabelle1", 4, "Sozialraum"),
    ]
    assert errors[0].message.startswith("unknown district 'S99'")


@pytest.mark.parametrize("layout", ["xlsx", "csv"])
def test_a_file_with_header_only_is_refused_as_no_rows(tmp_path: Path, layout: str) -> None:
    # SPEC §5: an empty districts version must not replace the current one.
    header = [["Sozialraum", "Bezeichnung"], [], ["Summe"]]
    if layout == "xlsx":
        path = workbook(tmp_path / "d.xlsx", {"Sozialräume": header})
    else:
        path = write_csv(tmp_path / "d.csv", header)
    with pytest.raises(MasterDataError, match=r"no rows: the districts table .* header in row 1"):
        parse_districts(path)


def test_an_empty_population_sheet_beside_districts_is_no_population(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "d.xlsx",
        {
            "Sozialräume": [["Sozialraum", "Bezeichnung"], ["S01", "Nord"]],
            "Einwohner": [["Sozialraum", "Jahr", "Einwohner"]],
        },
    )
    parsed = parse_districts(path)
    assert (len(parsed.districts), len(parsed.population), parsed.errors) == (1, 0, ())
