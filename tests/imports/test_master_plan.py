"""`import plan`: long and wide budget plans in exact cents; actuals are not plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports.master_data import MasterDataError, PlanSpending, parse_plan
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
    ]
    assert parsed.amounts[["product", "year", "amount_cents"]].values.tolist() == [
        ["06.02.01", 2025, 123456]
    ]
    # An empty Ansatz is no budget, as in the wide layout (account-level plans list accounts
    # without one, e.g. Roetgen's): left out and counted, not an error.
    assert parsed.left_out == {"no_amount": 1}


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


# --- published budgets broken down by kind, line, direction and account (issue 9) ------------


def test_actual_results_in_a_kind_column_are_left_out_and_unknown_kinds_are_errors(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "entwurf.csv",
        [
            ["Produktgruppe", "Richtung", "HHArt", "Jahr", "Betrag"],
            # Decimal commas quoted inside a comma-separated file, as Ahaus writes them.
            ["Produktgruppe 01.01", "Ord. Aufwendungen", "Ergebnis", "2016", '"342555,19"'],
            ["Produktgruppe 01.01", "Ord. Aufwendungen", "Ansatz", "2017", '"1000,5"'],
            ["Produktgruppe 01.01", "Ord. Erträge", "Ansatz", "2017", "99"],
            ["Produktgruppe 01.01", "Ord. Aufwendungen", "Planung", "2019", "12"],
            ["Produktgruppe 01.01", "Ord. Aufwendungen", "Vorschlag", "2019", "12"],
        ],
        delimiter=",",
        encoding="utf-8",
    )
    parsed = parse_plan(path)
    assert [(e.row, e.column) for e in parsed.errors] == [(6, "HHArt")]
    assert "not a kind of amount: 'Vorschlag'" in parsed.errors[0].message
    assert parsed.amounts[["product", "year", "amount_cents"]].values.tolist() == [
        ["01.01", 2017, 100050],  # the header's word before the code is not part of it
        ["01.01", 2019, 1200],
    ]
    assert parsed.left_out == {"actuals": 1, "not_spending": 1}


def test_plan_lines_add_up_to_the_spending_of_a_product_without_sum_lines(
    tmp_path: Path,
) -> None:
    """NKF Teilergebnisplan lines in one column per year: the income line, the sum line and
    the result line are left out; the amounts' sign is the file's (a correction of -35)."""
    path = write_csv(
        tmp_path / "teilergebnisplan.csv",
        [
            ["Teilplan", "Teilplanzeile", "Ergebnis 2010", "Plan 2011", "Plan 2012"],
            ["0101", "02 - Zuwendungen und allg. Umlagen", "1", "164.000", "213.318"],
            ["0101", "11 - Personalaufwendungen", "1", "1.000.000", "1.100.000"],
            ["0101", "14 - Bilanzielle Abschreibungen", "1", "-35", "0"],
            ["0101", "17 = ordentliche Aufwendungen", "1", "999.965", "1.100.000"],
            ["0101", "18 = Ergebnis der lfd. Verwaltungstätigkeit (10 und 17)", "1", "0", "0"],
            ["0102", "13 - Summe Auszahlungen", "1", "5", "5"],
        ],
    )
    parsed = parse_plan(path, columns={"product": ["Teilplan"]})
    assert parsed.errors == ()
    assert parsed.amounts[["product", "year", "amount_cents", "row"]].values.tolist() == [
        ["0101", 2011, 99996500, 3],
        ["0101", 2012, 110000000, 3],
    ]
    assert parsed.left_out == {"sum_lines": 3, "not_spending": 1}
    assert parsed.ignored_columns == ("Ergebnis 2010",)


def test_with_an_account_column_the_spending_accounts_decide(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "konten.csv",
        [
            ["Produkt", "FIBU-Konto", "Art", "Jahr", "Ansatz"],
            ["0531101", "4211032", "Einnahmen", "2015", "2000"],
            ["0531101", "5241000", "Ausgaben", "2015", "10986"],
            ["0531101", "5311000", "Ausgaben", "2015", "14"],
            ["0531101", "7831000", "Ausgaben", "2015", "500"],
            ["0531101", "5311000", "Ausgaben", "2015", "1"],
        ],
    )
    parsed = parse_plan(path)
    assert [(e.row, e.message) for e in parsed.errors] == [
        (6, "0531101 / 5311000 / Ausgaben has a plan for 2015 already in row 4")
    ]
    assert parsed.amounts["amount_cents"].tolist() == [1100000]
    both = parse_plan(path, spending=PlanSpending(accounts=("5*", "7*")))
    assert both.amounts["amount_cents"].tolist() == [1150000]


@pytest.mark.parametrize(
    ("header", "lines"),
    [
        # The account decides (Krefeld, Merzenich): 58… expenses and 48… income are internal.
        (
            ["Produkt", "Sachkonto", "Jahr", "Ansatz"],
            [["5241000", "100"], ["5811000", "40"], ["4811000", "40"], ["4211000", "7"]],
        ),
        # The direction decides (Stadtlohn): an internal line is left out although "Ausgabe".
        (
            ["Produkt", "Ertrags und Aufwandsarten", "Richtung", "Jahr", "Ansatz"],
            [
                ["Personalaufwendungen", "Ausgabe", "100"],
                ["Aufwendungen aus internen Leistungebeziehungen", "Ausgabe", "40"],
                ["Erträge aus internen Leistungs beziehungen", "Einnahme", "40"],
                ["Zuwendungen", "Einnahme", "7"],
            ],
        ),
        # The line decides (Köln): line 27 is internal, whatever its label says of Aufwand.
        (
            ["Produkt", "Teilplanzeile", "Jahr", "Ansatz"],
            [
                ["11 - Personalaufwendungen", "100"],
                ["27 - Interne Leistungsbeziehung (Aufwand / (-) Ertrag)", "40"],
                ["28 - Aufwendungen aus interner Leistungsverrechnung", "40"],
                ["02 - Zuwendungen und allg. Umlagen", "7"],
            ],
        ),
    ],
    ids=["account", "direction", "line"],
)
def test_internal_service_charges_are_never_plan_spending_in_any_layout(
    tmp_path: Path, header: list[str], lines: list[list[str]]
) -> None:
    """Issue 17: the plan counts what spending counts, so internal charges (ILV) are left out
    and counted alike whether the account, the direction or the line decides."""
    rows = [header] + [["0531101", *line[:-1], "2015", line[-1]] for line in lines]
    parsed = parse_plan(write_csv(tmp_path / "plan.csv", rows))
    assert parsed.errors == ()
    assert parsed.amounts["amount_cents"].tolist() == [10000]
    assert parsed.left_out == {"internal": 2, "not_spending": 1}
    counted = parse_plan(
        write_csv(tmp_path / "plan.csv", rows),
        spending=PlanSpending(internal_accounts=(), internal_lines=()),
    )
    assert counted.left_out.get("internal") is None


@pytest.mark.parametrize(
    ("cells", "cents"),
    [
        (["238462.84", "17662.00"], [23846284, 1766200]),  # points as decimals (Krefeld)
        (["9.577.207", "-35"], [957720700, -3500]),  # points group thousands (Köln)
        (["342555,19", "1.185,4"], [34255519, 118540]),  # commas as decimals (Ahaus)
    ],
)
def test_the_decimal_mark_is_read_per_column(
    tmp_path: Path, cells: list[str], cents: list[int]
) -> None:
    path = write_csv(
        tmp_path / "plan.csv",
        [["Produkt", "Jahr", "Betrag"], ["A", "2019", cells[0]], ["B", "2019", cells[1]]],
    )
    assert parse_plan(path).amounts["amount_cents"].tolist() == cents


def test_settings_aliases_come_first_and_an_unknown_field_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "havis.csv",
        [
            ["Admin Class 2 Partial", "Date", "Amount Kind", "Budget Direction", "Amount"],
            ["-001", "2017", "IST", "Ausgabe", "1.50"],
            ["-001", "2019", "PLAN", "Ausgabe", "2.25"],
            ["-001", "2019", "PLAN", "Einnahme", "7.00"],
        ],
        delimiter=",",
    )
    columns = {"measure": ["Admin Class 2 Partial"], "year": ["Date"]}
    parsed = parse_plan(path, columns=columns)
    assert parsed.amounts[["measure", "year", "amount_cents"]].values.tolist() == [
        ["-001", 2019, 225]
    ]
    assert parsed.left_out == {"actuals": 1, "not_spending": 1}
    with pytest.raises(MasterDataError, match="unknown field 'district'"):
        parse_plan(path, columns={"district": ["Bezirk"]})


def test_product_codes_that_look_like_dates_stay_codes(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "stadtlohn.csv",
        [["Produkt", "Ansatz laufendes Jahr", "Budget Richtung", "Jahr"],
         ["16.01.2001", "1.669.310", "Ausgabe", "2018"]],
    )  # fmt: skip
    parsed = parse_plan(path)
    assert parsed.amounts[["product", "amount_cents"]].values.tolist() == [
        ["16.01.2001", 166931000]
    ]
