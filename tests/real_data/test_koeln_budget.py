"""Köln's open-data budget tables through `import plan`, with examples/settings-koeln.toml.

Data (tests/data/real/README.md): Stadt Köln, CC BY (offenedaten-koeln.de), as committed to
KoelnAPI/data. The district tables of both budget vintages are whole files; teilergebnisplan,
teilfinanzplan and bezirke_produktgruppen are excerpts. Every total is checked against a sum
computed here with the csv module over the NKF line numbers, not with the product's parser:
Teilergebnisplan expenses are lines 11–16 (ordinary), 20 (interest) and 24 (extraordinary);
Teilfinanzplan investment payments are lines 07–12. Income lines, result lines, internal
charges (27) and sum lines are not plan spending.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from imports.master_data import parse_plan
from ledger.master_store import plan_amounts
from monitor.settings import load_settings
from tests.real_data.cli import EXAMPLES, REAL, Ledger

KOELN = REAL / "koeln-budget"
SETTINGS = EXAMPLES / "settings-koeln.toml"
EXPENSE_LINES = {11, 12, 13, 14, 15, 16, 20, 24}
INVESTMENT_PAYMENT_LINES = {7, 8, 9, 10, 11, 12}


def euros(text: str) -> int:
    """Köln's whole euros with thousands dots: `9.577.207`, `-35`."""
    return int(text.replace(".", ""))


def independent_sums(
    path: Path, key_columns: list[str], line_column: str, lines: set[int]
) -> dict[tuple[str, ...], int]:
    """(key…, year) -> euros of the plan columns over the given line numbers."""
    sums: dict[tuple[str, ...], int] = defaultdict(int)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if int(row[line_column].split()[0]) not in lines:
                continue
            for header, value in row.items():
                if header.startswith("Plan "):
                    sums[(*(row[k] for k in key_columns), header[5:])] += euros(value)
    return dict(sums)


def parsed_sums(path: Path) -> dict[tuple[str, ...], int]:
    settings = load_settings(SETTINGS)
    parsed = parse_plan(path, columns=settings.plan.columns, spending=settings.plan_spending)
    assert parsed.errors == ()
    return {
        tuple(str(v) for v in (*[k for k in (m, p) if k is not None], y)): c // 100
        for m, p, y, c in parsed.amounts[["measure", "product", "year", "amount_cents"]].values
    }


@pytest.mark.parametrize(
    "name", ["bezirke_einzeldarstellung.csv", "bezirke_einzeldarstellung_HH2011-edition.csv"]
)
def test_district_budgets_are_the_sum_of_their_expense_lines(name: str, tmp_path: Path) -> None:
    path = KOELN / name
    expected = independent_sums(path, ["Bezirk"], "Teilplanzeile", EXPENSE_LINES)
    assert parsed_sums(path) == expected
    summary = Ledger(tmp_path, SETTINGS).json("import", "plan", path)
    assert summary["total"] == f"{sum(expected.values())}.00"
    # 9 districts × 28 lines: 8 sum lines (=), the internal charges (27) and 11 income or
    # result lines each.
    assert summary["left_out"] == {"sum_lines": 72, "internal": 9, "not_spending": 99}
    first_year = "2010" if "HH2011" in name else "2011"
    assert summary["ignored_columns"] == ["Bezeichnung", f"Ergebnis {first_year}"]


def test_the_sum_lines_are_sums_of_the_detail_lines_and_are_left_out() -> None:
    """The publisher's own line 17 (= ordentliche Aufwendungen) is lines 11–16 in every
    district and year, up to the rounding of whole euros (at most 3 € here, as the lines are
    rounded one by one): counting it as well would double the plan."""
    path = KOELN / "bezirke_einzeldarstellung.csv"
    details = independent_sums(path, ["Bezirk"], "Teilplanzeile", {11, 12, 13, 14, 15, 16})
    line_17 = independent_sums(path, ["Bezirk"], "Teilplanzeile", {17})
    assert details.keys() == line_17.keys()
    assert max(abs(details[k] - line_17[k]) for k in details) <= 3
    assert sum(details.values()) > 3_000_000_000  # billions, so the check is not trivial
    interest_and_extraordinary = independent_sums(path, ["Bezirk"], "Teilplanzeile", {20, 24})
    assert parsed_sums(path) == {
        key: value + interest_and_extraordinary[key] for key, value in details.items()
    }


def test_the_next_vintage_revises_the_overlapping_plan_years(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path, SETTINGS)
    ledger.run("import", "plan", KOELN / "bezirke_einzeldarstellung_HH2011-edition.csv")
    ledger.run("import", "plan", KOELN / "bezirke_einzeldarstellung.csv")
    old = independent_sums(
        KOELN / "bezirke_einzeldarstellung_HH2011-edition.csv",
        ["Bezirk"],
        "Teilplanzeile",
        EXPENSE_LINES,
    )
    new = independent_sums(
        KOELN / "bezirke_einzeldarstellung.csv", ["Bezirk"], "Teilplanzeile", EXPENSE_LINES
    )
    with create_engine(ledger.url).connect() as connection:
        current = plan_amounts(connection)
        first = plan_amounts(connection, as_of=1)

    def by_key(frame: object) -> dict[tuple[str, str], int]:
        return {
            (m, str(y)): c // 100
            for m, y, c in frame[["measure", "year", "amount_cents"]].values  # type: ignore[index]
        }

    assert by_key(first) == old
    assert by_key(current) == old | new  # 2012–2015 from the newer vintage, 2011 kept
    assert old[("1", "2013")] != new[("1", "2013")]  # Innenstadt's 2013 plan was revised


def test_teilfinanzplan_reads_its_misspelt_line_header_through_the_settings_alias(
    tmp_path: Path,
) -> None:
    path = KOELN / "teilfinanzplan.csv"
    expected = independent_sums(path, ["Teilplan"], "Teilpanzeile", INVESTMENT_PAYMENT_LINES)
    assert parsed_sums(path) == expected
    summary_line = independent_sums(path, ["Teilplan"], "Teilpanzeile", {13})
    assert expected == summary_line  # "13 - Summe investive Auszahlungen"
    summary = Ledger(tmp_path, SETTINGS).json("import", "plan", path)
    assert "Ist 2010" in summary["ignored_columns"]
    assert summary["left_out"]["sum_lines"] == 3 * 4  # lines 06, 13, 14 of four groups


def test_without_the_line_alias_the_repeated_lines_are_errors_with_a_hint() -> None:
    parsed = parse_plan(KOELN / "teilfinanzplan.csv", columns={"product": ["Teilplan"]})
    first = parsed.errors[0]
    assert (first.row, first.column) == (3, "Teilplan")
    assert first.message.startswith("0101 has a plan for 2011, 2012, 2013, 2014, 2015")
    assert "[plan] columns: line, account" in first.message


def test_teilergebnisplan_and_district_product_groups(tmp_path: Path) -> None:
    path = KOELN / "teilergebnisplan.csv"
    assert parsed_sums(path) == independent_sums(path, ["Teilplan"], "Teilplanzeile", EXPENSE_LINES)
    path = KOELN / "bezirke_produktgruppen.csv"
    assert parsed_sums(path) == independent_sums(
        path, ["Bezirk", "Teilplan"], "Teilplanzeile", EXPENSE_LINES
    )


def test_the_city_wide_plan_has_no_product_and_is_refused_naming_its_header(
    tmp_path: Path,
) -> None:
    result = Ledger(tmp_path, SETTINGS).run(
        "import", "plan", KOELN / "gesamtergebnisplan.csv", expect=1
    )
    assert "gesamtergebnisplan.csv: keine Tabelle der Haushaltsansätze gefunden" in result.stderr
    assert "Zeile 1: 'Wert', 'Ergebnis 2010', 'Plan 2011'" in result.stderr
