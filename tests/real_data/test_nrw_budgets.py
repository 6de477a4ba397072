"""Six NRW municipal budgets (OffenerHaushalt.de) through `import plan`.

Data (tests/data/real/README.md): uploads to OffenerHaushalt / OpenSpending, CC BY 3.0 DE; each
file here is an excerpt (its first lines, or the lines of a few units), bytes unchanged. Every
total is checked against a sum computed here with the csv module and Decimal, with the rule
written out: a plan counts the expense accounts (class 5, `[ledger] spending_accounts`) where
the file has accounts, else the rows whose direction is an expense; actual results never, nor
internal service charges (ILV: accounts 58… and 48…, or a line "… internen Leistungs…").
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from imports.master_data import MasterDataError, parse_plan
from imports.readers import read_tables
from tests.real_data.cli import REAL, Ledger

NRW = REAL / "nrw-budgets-offenerhaushalt"
KREFELD_SETTINGS = """\
# Krefeld's HAVIS export in OpenSpending headers: the Fachbereich (Admin Class 2) is the measure,
# the 8-digit account (Admin Class 4) the account, "Date" the budget year.
[plan.columns]
measure = "Admin Class 2 Level Unique Identifier Partial"
account = "Admin Class 4 Level Unique Identifier Partial"
year = "Date"
"""


def rows(name: str, *, encoding: str = "utf-8-sig", delimiter: str = ",") -> list[dict[str, str]]:
    with (NRW / name).open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def cents_by(parsed_amounts: object, key: str) -> dict[tuple[str, int], int]:
    frame = parsed_amounts
    return {
        (str(k), int(y)): int(c)
        for k, y, c in frame[[key, "year", "amount_cents"]].values  # type: ignore[index]
    }


def to_cents(amount: Decimal) -> int:
    return int(amount * 100)


def test_merzenich_plans_the_expense_accounts_of_each_product() -> None:
    """Account-level plan (Produkt × FIBU-Konto), `;`, every text quoted; product codes with a
    leading zero stay text."""
    expected: dict[tuple[str, int], int] = defaultdict(int)
    for row in rows("merzenich_haushalt_2015.csv", delimiter=";"):
        if row["FIBU-Konto"].startswith("5"):
            expected[(row["Produkt"], int(row["Jahr"]))] += to_cents(Decimal(row["Ansatz"]))
    parsed = parse_plan(NRW / "merzenich_haushalt_2015.csv")
    assert parsed.errors == ()
    assert cents_by(parsed.amounts, "product") == expected
    assert ("0212601", 2015) in expected  # a leading zero, kept
    assert parsed.columns["account"] == "FIBU-Konto"
    assert parsed.left_out == {"not_spending": sum(
        1 for r in rows("merzenich_haushalt_2015.csv", delimiter=";")
        if not r["FIBU-Konto"].startswith("5")
    )}  # fmt: skip


def test_krefeld_windows_1252_keeps_plan_2019_apart_from_actuals_2017(tmp_path: Path) -> None:
    settings = tmp_path / "settings-krefeld.toml"
    settings.write_text(KREFELD_SETTINGS, encoding="utf-8")
    data = rows("krefeld_2019_havis_export.csv", encoding="cp1252")
    assert data[0]["1 Level display label"] == "Oberbürgermeister"  # cp1252, read as such
    (sheet,) = read_tables(NRW / "krefeld_2019_havis_export.csv")
    assert sheet.encoding == "cp1252" and sheet.rows[1][1] == "Oberbürgermeister"
    expected: dict[tuple[str, int], int] = defaultdict(int)
    for row in data:
        account = row["Admin Class 4 Level Unique Identifier Partial"]
        if row["Amount Kind"] == "PLAN" and account[:1] == "5" and account[:2] != "58":
            key = (row["Admin Class 2 Level Unique Identifier Partial"], int(row["Date"]))
            expected[key] += to_cents(Decimal(row["Amount"]))
    summary = Ledger(tmp_path, settings).json(
        "import", "plan", NRW / "krefeld_2019_havis_export.csv"
    )
    assert summary["years"] == [2019]
    assert summary["total"] == f"{Decimal(sum(expected.values())) / 100:.2f}"
    plan_accounts = [
        r["Admin Class 4 Level Unique Identifier Partial"]
        for r in data
        if r["Amount Kind"] == "PLAN"
    ]
    internal = sum(1 for a in plan_accounts if a[:2] in ("58", "48"))
    assert summary["left_out"] == {
        "actuals": sum(1 for r in data if r["Amount Kind"] == "IST"),
        "internal": internal,
        "not_spending": sum(1 for a in plan_accounts if a[:1] != "5" and a[:2] != "48"),
    }
    assert internal == 6  # four 58… and two 48… plan rows in this excerpt
    assert sorted(m for m, _ in expected) == ["-001", "-002"]  # partial ids stay text


def test_stadtlohn_product_codes_that_look_like_dates_stay_codes() -> None:
    """`16.01.2001` is product 01 of group 16.01, not 16 January 2001; amounts with German
    thousands dots; only `Ausgabe` rows of type Plan are spending, and among them not the
    internal service charges ("Aufwendungen aus internen Leistungebeziehungen", sic), although
    their direction is `Ausgabe`."""
    expected: dict[tuple[str, int], int] = defaultdict(int)
    data = rows("stadtlohn_haushalt_2018.csv", delimiter=";")
    internal = [r for r in data if "internen Leistung" in r["Ertrags und Aufwandsarten"]]
    for row in data:
        if row in internal:
            continue
        if row["Budget Richtung"].strip() == "Ausgabe" and row["Betrag-Typ"] == "Plan":
            amount = int(row["Ansatz laufendes Jahr"].replace(".", ""))
            expected[(row["Produkt"], int(row["Jahr"]))] += amount * 100
    parsed = parse_plan(NRW / "stadtlohn_haushalt_2018.csv")
    assert parsed.errors == ()
    assert cents_by(parsed.amounts, "product") == expected
    assert "16.01.2001" in set(parsed.amounts["product"])
    assert parsed.columns["amount"] == "Ansatz laufendes Jahr"
    assert parsed.left_out["internal"] == len(internal) == 30  # expenses and income alike
    assert {r["Budget Richtung"].strip() for r in internal} == {"Ausgabe", "Einnahme"}


def test_ahaus_decimal_commas_inside_a_comma_separated_file(tmp_path: Path) -> None:
    """`"342555,19"` in a `,`-separated file; HHArt Ergebnis (2016) is actual, Ansatz
    (2017–2018) and Planung (2019–2021) are plan; codes carry their header as a prefix word."""
    expected: dict[tuple[str, int], int] = defaultdict(int)
    data = rows("ahaus_haushaltsentwurf_2018.csv")
    for row in data:
        if row["Richtung"] == "Ord. Aufwendungen" and row["HHArt"] != "Ergebnis":
            code = row["Produktgruppe"].removeprefix("Produktgruppe ")
            amount = Decimal(row["Betrag"].replace(",", "."))
            expected[(code, int(row["Jahr"]))] += to_cents(amount)
    parsed = parse_plan(NRW / "ahaus_haushaltsentwurf_2018.csv")
    assert parsed.errors == ()
    assert cents_by(parsed.amounts, "product") == expected
    assert sorted({y for _, y in expected}) == [2017, 2018, 2019, 2020, 2021]
    assert parsed.left_out["actuals"] == sum(1 for r in data if r["HHArt"] == "Ergebnis")
    assert ("01.01", 2017) in expected
    defaults = tmp_path / "settings.toml"
    defaults.write_text("", encoding="utf-8")  # every key at its default
    summary = Ledger(tmp_path, defaults).json(
        "import", "plan", NRW / "ahaus_haushaltsentwurf_2018.csv"
    )
    assert summary["total"] == f"{Decimal(sum(expected.values())) / 100:.2f}"
    assert summary["years"] == [2017, 2018, 2019, 2020, 2021]


def test_roetgen_accounts_without_an_ansatz_are_no_budget() -> None:
    expected: dict[tuple[str, int], int] = defaultdict(int)
    data = rows("roetgen_haushaltsplan_2017_2018.csv")
    for row in data:
        if row["fibu_konto"].startswith("5") and row["ansatz"]:
            expected[(row["produkt"], int(row["jahr"]))] += int(row["ansatz"]) * 100
    parsed = parse_plan(NRW / "roetgen_haushaltsplan_2017_2018.csv")
    assert parsed.errors == ()
    assert cents_by(parsed.amounts, "product") == expected
    empty = sum(1 for r in data if r["fibu_konto"].startswith("5") and not r["ansatz"])
    assert parsed.left_out["no_amount"] == empty > 0


def test_muenster_holds_actual_results_only_and_is_refused() -> None:
    with pytest.raises(MasterDataError) as refused:
        parse_plan(NRW / "muenster_ergebnisse_2007_2016.csv")
    assert str(refused.value) == (
        "muenster_ergebnisse_2007_2016.csv: no plan amounts in sheet "
        "'muenster_ergebnisse_2007_2016.csv': 60 rows are actual results (column "
        "'Betrag-Typ': Ist, Ergebnis), which are not plan"
    )
