"""German number, date and code conventions of finance exports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from imports.german_values import (
    WHITESPACE,
    normalise_codes,
    parse_amount_cents,
    parse_dates,
    parse_whole_numbers,
)


def cells(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize(
    ("cell", "cents"),
    [
        ("1.234,56", 123456),
        ("-1.234,56", -123456),
        ("1.234,56-", -123456),
        ("1.234", 123400),  # thousands separator under decimal ","
        ("12,3", 1230),
        ("0,05", 5),
        ("12 345,00 €", 1234500),
        ("1234,5", 123450),
        (1234.56, 123456),  # an Excel double that is 123455.99999999999 cents
        (-0.1, -10),
        (5, 500),
    ],
)
def test_amounts_become_exact_cents(cell: object, cents: int) -> None:
    parsed, bad = parse_amount_cents(cells(cell), ",")
    assert not bad.iloc[0]
    assert parsed.iloc[0] == cents


@pytest.mark.parametrize("cell", ["abc", "1.234,567", "-5-", "1,2,3", 0.001, "12.34"])
def test_text_that_is_not_an_amount_under_decimal_comma_is_bad(cell: object) -> None:
    parsed, bad = parse_amount_cents(cells(cell), ",")
    assert bad.iloc[0]
    assert pd.isna(parsed.iloc[0])


def test_decimal_mark_is_the_profiles_never_guessed_per_row() -> None:
    parsed, bad = parse_amount_cents(cells("1.234", "1,234.50", "1234.5"), ".")
    assert bad.tolist() == [True, False, False]  # 1.234 would be three decimals
    assert parsed.tolist()[1:] == [123450, 123450]


def test_blank_amount_is_not_bad_but_missing() -> None:
    parsed, bad = parse_amount_cents(cells(None, "  "), ",")
    assert bad.tolist() == [False, False]
    assert parsed.isna().all()


def test_dates_from_text_serials_and_excel_dates() -> None:
    parsed, bad = parse_dates(
        cells(
            "31.12.2024",
            "2024-12-31",
            45657,
            "45657",
            "45657.0",
            dt.date(2024, 12, 31),
            dt.datetime(2024, 12, 31, 13, 5),
            "31.12.24",
            "1.2.2024 00:00:00",
        )
    )
    assert not bad.any()
    expected = [pd.Timestamp("2024-12-31")] * 8 + [pd.Timestamp("2024-02-01")]
    assert parsed.tolist() == expected


def test_text_that_is_not_a_date_is_bad_and_blank_is_missing() -> None:
    parsed, bad = parse_dates(cells("31.13.2024", "gestern", None))
    assert bad.tolist() == [True, True, False]
    assert parsed.isna().all()


def test_codes_stored_as_numbers_become_text() -> None:
    assert normalise_codes(cells(531800.0, 531800, " 00123 ", "06.02.01", None, "")).tolist() == [
        "531800",
        "531800",
        "00123",
        "06.02.01",
        None,
        None,
    ]


def test_whole_numbers_from_numbers_and_text() -> None:
    parsed, bad = parse_whole_numbers(cells(2024.0, "2024", 3, None, "x", 2.5))
    assert parsed.tolist()[:3] == [2024, 2024, 3]
    assert bad.tolist() == [False, False, False, False, True, True]


def test_whitespace_stripped_is_exactly_what_str_strip_removes() -> None:
    """The list is written out to spare every start-up the search; it must stay Python's."""
    assert "".join(chr(c) for c in range(0x110000) if chr(c).isspace()) == WHITESPACE
