"""`import measures`: posting rules, validity windows, and district shares that sum to 1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from imports.master_data import MasterDataError, parse_measures
from imports.master_data.periods import Span, share_sums
from tests.exports import write_csv

D = dt.date
CATALOG = ["Maßnahme", "Bezeichnung", "Programm", "Beginn", "Ende", "Kostenstelle", "Sachkonto"]
SHARES = ["Maßnahme", "Sozialraum", "Anteil", "Gültig ab", "Gültig bis", "Grundlage"]


def workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def measures_file(
    tmp_path: Path, catalog: Sequence[Sequence[object]], shares: Sequence[Sequence[object]]
) -> Path:
    return workbook(
        tmp_path / "massnahmen.xlsx",
        {"Maßnahmen": [CATALOG, *catalog], "Zuordnung": [SHARES, *shares]},
    )


def test_catalog_rules_and_shares_in_german(tmp_path: Path) -> None:
    path = measures_file(
        tmp_path,
        [
            ["JZ-A", "Jugendzentrum Nord", "Jugendzentren", D(2020, 1, 1), None, 36050.0, None],
            ["SRP-1", "Stadtteilbüro", None, "01.07.2021", "31.12.2025", None, "5291*;5431 *"],
        ],
        [
            ["JZ-A", "S01", "50 %", None, D(2023, 12, 31), "Einzugsbereich"],
            ["JZ-A", "S02", "0,5", None, "31.12.2023", None],
            ["JZ-A", "S01", 1, D(2024, 1, 1), None, "Umzug"],
        ],
    )
    parsed = parse_measures(path)
    assert parsed.errors == ()
    assert parsed.measures.drop(columns=["sheet"]).to_dict("records") == [
        {
            "measure": "JZ-A",
            "name": "Jugendzentrum Nord",
            "program": "Jugendzentren",
            "start": D(2020, 1, 1),
            "end": None,
            "cost_center": "36050",
            "product": None,
            "account": None,
            "order": None,
            "row": 2,
        },
        {
            "measure": "SRP-1",
            "name": "Stadtteilbüro",
            "program": "Stadtteilbüro",  # no program: the measure is its own
            "start": D(2021, 7, 1),
            "end": D(2025, 12, 31),
            "cost_center": None,
            "product": None,
            "account": "5291*, 5431 *",
            "order": None,
            "row": 3,
        },
    ]
    allocations = parsed.allocations
    assert allocations["share"].tolist() == [Decimal("0.5"), Decimal("0.5"), Decimal("1")]
    assert allocations["valid_from"].tolist() == [None, None, D(2024, 1, 1)]
    assert allocations["valid_to"].tolist() == [D(2023, 12, 31), D(2023, 12, 31), None]
    assert allocations["basis"].tolist() == ["Einzugsbereich", None, "Umzug"]
    assert allocations["row"].tolist() == [2, 3, 4]


def test_english_headers_with_odd_spelling(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "measures.xlsx",
        {
            "measures": [
                ["MEASURE", "Name", "Program", "Start", "End", "Cost-Center", "Order"],
                ["M1", "Youth club", "Youth", None, None, None, "900100"],
            ],
            "allocations": [
                ["Measure", "District", "Share (%)", "Valid.From", "valid_to", "Basis"],
                ["M1", "S01", 0.25, None, None, None],
                ["M1", "S02", "75%", None, None, None],
            ],
        },
    )
    parsed = parse_measures(path)
    assert parsed.errors == ()
    assert parsed.measures["order"].tolist() == ["900100"]
    assert sum(parsed.allocations["share"]) == 1


def test_every_catalog_problem_has_its_row_and_column(tmp_path: Path) -> None:
    path = measures_file(
        tmp_path,
        [
            ["JZ-A", "A", None, None, None, "36*", None],
            ["JZ-B", None, None, None, None, "3*6", None],
            ["JZ-C", "C", None, "1.13.2020", None, None, None],
            ["JZ-D", "D", None, D(2022, 1, 1), D(2021, 1, 1), "1", None],
        ],
        [],
    )
    errors = parse_measures(path).errors
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "Bezeichnung", "empty: every measure needs a name"),
        (3, "Kostenstelle", "'3*6': a * may only end an alternative (prefix match), as in 3606*"),
        (4, None, "no posting rule: fill at least one of Kostenstelle, Sachkonto"),
        (
            4,
            "Beginn",
            "not a date: '1.13.2020'; expected a date such as 31.12.2024, 2024-12-31 or an "
            "Excel date",
        ),
        (5, "Ende", "ends before it starts"),
    ]


def test_overlapping_validity_windows_of_one_measure_name_both_rows(tmp_path: Path) -> None:
    path = measures_file(
        tmp_path,
        [
            ["JZ-A", "Alt", None, D(2020, 1, 1), D(2022, 12, 31), "36050", None],
            ["JZ-A", "Neu", None, D(2023, 1, 1), None, "36051", None],  # adjacent: fine
            ["JZ-A", "Doppelt", None, D(2024, 1, 1), D(2024, 6, 30), "36052", None],
        ],
        [],
    )
    parsed = parse_measures(path)
    (error,) = parsed.errors
    assert (error.sheet, error.row, error.column) == ("Maßnahmen", 4, "Maßnahme")
    assert error.message == (
        "measure 'JZ-A' is valid 01.01.2024–30.06.2024 in row 4 and 01.01.2023–open in row 3: "
        "the validity windows of one measure must not overlap"
    )
    assert parsed.measures["row"].tolist() == [2, 3]


def test_shares_that_do_not_sum_to_one_give_one_error_with_the_day_range(
    tmp_path: Path,
) -> None:
    path = measures_file(
        tmp_path,
        [
            ["JZ-A", "A", None, None, None, "36050", None],
            ["JZ-B", "B", None, None, None, "36051", None],
            ["JZ-C", "C", None, None, None, "36052", None],  # no shares: unattributed, fine
        ],
        [
            ["JZ-A", "S01", 1, None, D(2023, 12, 31), None],
            ["JZ-A", "S01", "0,5", D(2024, 1, 1), D(2024, 12, 31), None],
            ["JZ-A", "S02", "30 %", D(2024, 1, 1), D(2024, 12, 31), None],
            ["JZ-A", "S01", 1, D(2025, 1, 1), None, None],
            ["JZ-B", "S01", 0.6, None, None, None],
            ["JZ-B", "S02", 0.6, D(2030, 1, 1), None, None],
        ],
    )
    errors = parse_measures(path).errors
    assert [(e.sheet, e.row, e.column, e.message) for e in errors] == [
        ("Zuordnung", 3, "Anteil", "shares of JZ-A sum to 0.8 from 01.01.2024 to 31.12.2024"),
        (
            "Zuordnung",
            6,
            "Anteil",
            "shares of JZ-B sum to 0.6 until 31.12.2029, and to 1.2 from 01.01.2030 on",
        ),
    ]


def test_every_allocation_problem_has_its_row_and_column(tmp_path: Path) -> None:
    path = measures_file(
        tmp_path,
        [["JZ-A", "A", None, None, None, "36050", None]],
        [
            ["JZ-X", "S01", 1, None, None, None],
            ["JZ-A", None, 1, None, None, None],
            ["JZ-A", "S01", "viel", None, None, None],
            ["JZ-A", "S01", "150 %", None, None, None],
            ["JZ-A", "S01", 0, None, None, None],
            ["JZ-A", "S02", 1, "morgen", None, None],
            ["JZ-A", "S03", 1, D(2024, 1, 1), D(2023, 1, 1), None],
            ["JZ-A", "S04", 1, None, None, None],
            ["JZ-A", "S04", 1, D(2024, 1, 1), None, None],
        ],
    )
    errors = parse_measures(path).errors
    assert [(e.row, e.column) for e in errors] == [
        (2, "Maßnahme"),
        (3, "Sozialraum"),
        (4, "Anteil"),
        (5, "Anteil"),
        (6, "Anteil"),
        (7, "Gültig ab"),
        (8, "Gültig bis"),
        (10, "Sozialraum"),
    ]
    messages = [e.message for e in errors]
    assert messages[0] == "measure 'JZ-X' is not in sheet 'Maßnahmen'"
    assert messages[3] == "share '150 %' is not above 0 and at most 1 (write 0,5 or 50 %)"
    assert messages[7] == (
        "district 'S04' already has a share of measure 'JZ-A' in row 9 for overlapping days "
        "(01.01.2024–open and open–open)"
    )


def test_share_sums_sweep_the_change_points_of_the_windows() -> None:
    windows = [
        (None, D(2023, 12, 31), Decimal("1")),
        (D(2024, 1, 1), D(2024, 6, 30), Decimal("0.5")),
        (D(2024, 3, 1), None, Decimal("0.5")),
    ]
    assert share_sums(windows) == [
        Span(None, D(2023, 12, 31), Decimal("1")),
        Span(D(2024, 1, 1), D(2024, 2, 29), Decimal("0.5")),
        Span(D(2024, 3, 1), D(2024, 6, 30), Decimal("1.0")),
        Span(D(2024, 7, 1), None, Decimal("0.5")),
    ]


def test_a_csv_catalog_without_allocations(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "measures.csv",
        [["Massnahme", "Bezeichnung", "Produkt"], ["M1", "Beratung", "06.02.01, 06.03*"]],
    )
    parsed = parse_measures(path)
    assert parsed.errors == ()
    assert parsed.measures["product"].tolist() == ["06.02.01, 06.03*"]
    assert parsed.allocations.empty
    assert list(parsed.allocations.columns) == [
        "measure",
        "district",
        "share",
        "valid_from",
        "valid_to",
        "basis",
        "sheet",
        "row",
    ]


def test_a_catalog_without_any_rule_column_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [["Maßnahme", "Bezeichnung"], ["M1", "Beratung"]])
    with pytest.raises(MasterDataError, match="has no posting rule column"):
        parse_measures(path)
