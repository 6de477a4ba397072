"""Implausible amounts (issue 15): beyond `[imports] max_abs_amount` a row is rejected with file,
sheet, row and column, never stored wrapped (1e17 € was -9,223,372,036,854,775,808 cents) and
never a traceback (1e308, a text of 24 digits)."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.german_values import read_amounts
from imports.master_data import parse_plan
from imports.money import DEFAULT_MAX_ABS_CENTS, exact_sum
from monitor.settings import SettingsError, load_settings
from tests.conftest import Monitor
from tests.exports import journal_rows, write_csv, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows

LIMIT = DEFAULT_MAX_ABS_CENTS  # 999,999,999,999.99 €
HUGE_NUMBERS = [1e17, 1e20, 92233720368547760, 1e308, -1e17, math.inf, 10**400]
HUGE_TEXTS = [
    "999.999.999.999.999.999,00",
    "1.000.000.000.000,00",
    "-1.000.000.000.000,00",
    "9" * 5000,  # beyond Python's 4,300 digits for int(text)
]


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize("value", HUGE_NUMBERS + HUGE_TEXTS)
def test_amount_beyond_the_limit_is_flagged_not_converted(value: object) -> None:
    amounts = read_amounts(cells(value, "1,00"), ",")
    assert amounts.too_large.tolist() == [True, False]
    assert amounts.bad.tolist() == [False, False]
    assert amounts.cents.tolist() == [pd.NA, 100]


def test_amounts_at_the_limit_are_kept_to_the_cent() -> None:
    amounts = read_amounts(
        cells(999999999999.99, -999999999999.99, "999.999.999.999,99", "999999999999,99-"), ","
    )
    assert amounts.cents.tolist() == [LIMIT, -LIMIT, LIMIT, -LIMIT]
    assert not amounts.too_large.any()


_NUMBERS = st.one_of(
    st.floats(allow_nan=False),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(min_value=-(10**20), max_value=10**20, places=2).map(
        lambda d: f"{d:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    ),
)


@given(st.lists(_NUMBERS, min_size=1, max_size=20))
def test_no_amount_ever_wraps_or_raises(values: list[object]) -> None:
    # Numbers (floats, huge integers) and German texts: each cell is either exact cents within
    # the limit, or flagged; none overflows, none ends in an exception.
    amounts = read_amounts(cells(*values), ",")
    for value, cents, bad, too_large in zip(values, *amounts, strict=True):
        if isinstance(value, str):
            exact = Decimal(value.replace(".", "").replace(",", ".")) * 100
        else:
            exact = Decimal(value) * 100 if not isinstance(value, float) else None
        if too_large:
            assert cents is pd.NA
            assert exact is None or abs(exact) > LIMIT
        elif not bad:
            assert abs(cents) <= LIMIT
            if exact is not None:
                assert cents == exact
            else:
                assert cents == round(value * 100)


def test_exact_sum_does_not_wrap_where_int64_would() -> None:
    cents = pd.Series([LIMIT] * 100_000, dtype="Int64")
    assert exact_sum(cents) == LIMIT * 100_000
    assert int(cents.sum()) != LIMIT * 100_000  # the 64-bit sum this replaces wraps


def _workbook_with_amounts(tmp_path: Path, amounts: list[object]) -> Path:
    lines = [(i + 1, 1, "15.01.2024", "501100", "10,00", "gut") for i in range(len(amounts) + 1)]
    rows = journal_rows(lines)
    for offset, amount in enumerate(amounts, start=3):  # row 2 is the header, 3 a good line
        rows[offset][8] = amount
    return write_xlsx(tmp_path / "journal.xlsx", rows)


def test_huge_numbers_in_a_workbook_are_rejected_rows_and_nothing_is_stored(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = _workbook_with_amounts(tmp_path, [1e17, 1e20, 92233720368547760, 1e308])
    monitor.run("init")
    before = ledger_rows(monitor.database_url)
    result = monitor.json("import", "postings", str(path), expect=1)
    assert (result["status"], result["imported"], result["rejected"]) == ("refused", 0, 4)
    assert [(e["sheet"], e["row"], e["column"]) for e in result["errors"]] == [
        ("Export", row, "Betrag") for row in (4, 5, 6, 7)
    ]
    assert all("implausible amount" in e["message"] for e in result["errors"])
    assert "999999999999.99" in result["errors"][0]["message"]
    assert "1e+17" in result["errors"][0]["message"]
    assert result["total"] == "10.00"  # the one good row; nothing wrapped into the total
    assert ledger_rows(monitor.database_url) == before


def test_huge_amount_text_in_a_csv_is_rejected_and_accept_partial_keeps_the_good_rows(
    monitor: Monitor, tmp_path: Path
) -> None:
    rows = journal_rows(
        [
            (1, 1, "15.01.2024", "501100", "12,50", "gut"),
            (2, 1, "15.01.2024", "501100", "999.999.999.999.999.999,00", "Tippfehler"),
        ]
    )
    path = write_csv(tmp_path / "journal.csv", rows)
    refused = monitor.run("import", "postings", str(path), expect=1)
    assert "Zeile 4, Spalte „Betrag“: unplausibler Betrag" in refused.stderr
    assert "Traceback" not in refused.output
    partial = monitor.json("import", "postings", str(path), "--accept-partial")
    assert (partial["imported"], partial["rejected"], partial["total"]) == (1, 1, "12.50")


def test_max_abs_amount_setting_lowers_the_limit(monitor: Monitor, tmp_path: Path) -> None:
    (monitor.workdir / "settings.toml").write_text(
        '[imports]\nmax_abs_amount = "1000.00"\n', encoding="utf-8"
    )
    path = _workbook_with_amounts(tmp_path, [1000.0, -1000.01])
    result = monitor.json("import", "postings", str(path), expect=1)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(5, "Betrag")]
    assert "larger than 1000.00" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    "value", ['"-5"', '"0"', '"1.234"', "1.5", '"1e40"', '"90071992547409.92"']
)
def test_max_abs_amount_must_be_a_positive_exact_amount(tmp_path: Path, value: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"[imports]\nmax_abs_amount = {value}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"imports\.max_abs_amount must be a positive amount"):
        load_settings(path)


def test_documented_max_abs_amount_is_the_default(tmp_path: Path) -> None:
    documented = load_settings(Path(__file__).resolve().parents[2] / "settings.toml")
    assert documented.imports.max_abs_amount == load_settings(cwd=tmp_path).imports.max_abs_amount
    assert documented.imports.max_abs_cents == LIMIT


def test_huge_plan_amounts_are_errors_at_their_row_and_column(tmp_path: Path) -> None:
    long = write_xlsx(
        tmp_path / "plan.xlsx",
        [["Maßnahme", "Jahr", "Ansatz"], ["JZ-A", 2025, 1e17], ["JZ-B", 2025, "1.000,00"]],
    )
    parsed = parse_plan(long)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "Ansatz")]
    assert parsed.errors[0].message.startswith("implausible amount: 1e+17")
    wide = write_csv(
        tmp_path / "plan.csv",
        [["Produkt", "Ansatz 2025", "Ansatz 2026"], ["06.01", "999.999.999.999.999.999,00", "5"]],
    )
    parsed = parse_plan(wide)
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "Ansatz 2025")]


def test_plan_lines_adding_up_beyond_the_limit_are_an_error(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ["Produkt", "Jahr", "Sachkonto", "Ansatz"],
            ["06.01", 2025, "541100", 600000000000.0],
            ["06.01", 2025, "542100", 600000000000.0],
        ],
    )
    (error,) = parse_plan(path).errors
    assert (error.row, error.column) == (2, "Produkt")
    assert "add up to 1200000000000.00" in error.message


def test_plan_with_a_huge_amount_is_refused_and_changes_nothing(
    monitor: Monitor, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [["Maßnahme", "Jahr", "Ansatz"], ["JZ-A", 2025, 1e20], ["JZ-B", 2025, 100.0]],
    )
    monitor.run("init")
    before = ledger_rows(monitor.database_url)
    result = monitor.json("import", "plan", str(path), expect=1)
    assert [(e["row"], e["column"]) for e in result["errors"]] == [(2, "Ansatz")]
    assert result["import"] is None
    assert ledger_rows(monitor.database_url) == before
