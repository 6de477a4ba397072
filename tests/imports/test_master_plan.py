"""`import plan`: long and wide budget plans in exact cents; actuals are not plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports.master_data import MasterDataError, parse_plan
from tests.exports import write_csv, write_xlsx


def test_wide_plan_keeps_plan_and_ansatz_columns_and_ignores_actuals(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "haushalt.xlsx",
        [
            ["Haushaltsplan 2025/2026 – Teilplan 06"],
            [],
            [
                "Maßnahme",
                "Bezeichnung",
                "Rechnungsergebnis 2022",
                "Ergebnis 2023",
                "Ist 2023",
                "Plan 2024",
                "Ansatz 2025 EUR",
                2026,
            ],
            ["JZ-A", "Jugendzentrum", 1, 2, 3, 100000.10, "1.234.567,89", None],
            ["JZ-B", "Beratung", 1, 2, 3, None, "-", "12.000"],
            ["Summe", None, 3, 4, 6, 100000.10, "1.234.567,89", "12.000"],
        ],
        sheet="Haushaltsansätze",
    )
    parsed = parse_plan(path)
    assert parsed.errors == ()
    assert parsed.layout == "wide"
    assert parsed.ignored_columns == (
        "Bezeichnung",
        "Rechnungsergebnis 2022",
        "Ergebnis 2023",
        "Ist 2023",
    )
    assert parsed.amounts[
        ["measure", "product", "year", "amount_cents", "row"]
    ].values.tolist() == [
        ["JZ-A", None, 2024, 10000010, 4],
        ["JZ-A", None, 2025, 123456789, 4],
        ["JZ-B", None, 2026, 1200000, 5],
    ]
    assert parsed.skipped_total == 1
    assert parsed.columns["2025"] == "Ansatz 2025 EUR"


def test_long_plan_by_product_with_errors_at_row_and_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [
            ["Produkt", "Haushalts-Jahr", "Betrag"],
            ["06.02.01", "2025", "1.234,56"],
            ["06.02.02", "2025", "12,345"],
            ["06.02.03", "nächstes", "1,00"],
            ["", "2025", "1,00"],
            ["06.02.01", "2025", "5,00"],
            ["06.02.04", "2025", ""],
        ],
    )
    parsed = parse_plan(path)
    assert parsed.layout == "long"
    assert [(e.row, e.column, e.message) for e in parsed.errors] == [
        (3, "Betrag", "not an amount: '12,345'; expected an amount such as 1.234,56 or 1234.56"),
        (4, "Haushalts-Jahr", "not a year: 'nächstes'"),
        (5, "Produkt", "empty: every row needs a measure or product"),
        (6, "Produkt", "06.02.01 has a plan for 2025 already in row 2"),
        (7, "Betrag", "empty: every row needs an amount"),
    ]
    assert parsed.amounts[["product", "year", "amount_cents"]].values.tolist() == [
        ["06.02.01", 2025, 123456]
    ]


def test_two_columns_for_one_plan_year_are_refused(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx", [["Maßnahme", "Plan 2025", "Ansatz 2025"], ["JZ-A", 1, 2]]
    )
    with pytest.raises(MasterDataError, match="two columns for one plan year"):
        parse_plan(path)


def test_a_plan_with_actuals_only_is_refused_naming_the_columns(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ist.xlsx", [["Maßnahme", "Ist 2023", "Ergebnis 2024"], ["A", 1, 2]]
    )
    with pytest.raises(MasterDataError) as raised:
        parse_plan(path)
    assert "'Maßnahme', 'Ist 2023', 'Ergebnis 2024'" in str(raised.value)
    assert "one column per year" in str(raised.value)
