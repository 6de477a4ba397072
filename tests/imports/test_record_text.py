"""The canonical record text that content, key and chain hashes are taken over."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from imports.record_text import iso_days, record_hashes, record_texts, sha256_hex


def test_record_text_joins_name_value_pairs_with_missing_values_empty() -> None:
    columns = {"a": [1, None], "b": ["x %s %%", "y"], "c": ["", 0]}
    assert list(record_texts(columns, ("c", "a", "b"))) == [
        "c=\x1fa=1\x1fb=x %s %%",
        "c=0\x1fa=\x1fb=y",
    ]


def test_single_field_records() -> None:
    assert list(record_texts({"a": ["1", "2"]}, ("a",))) == ["a=1", "a=2"]


def test_sha256_hex_of_utf8_text() -> None:
    # FIPS 180-2 test vector for "abc"; "ü" is the two UTF-8 bytes C3 BC.
    assert sha256_hex(["abc"]) == [
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    ]
    assert sha256_hex(["ü"]) == [hashlib.sha256(b"\xc3\xbc").hexdigest()]


def test_iso_days_formats_dates_and_keeps_missing_ones_missing() -> None:
    days = pd.Series(pd.to_datetime(["2024-03-14", None, "2024-12-31", "2024-03-14"]))
    assert iso_days(days) == ["2024-03-14", None, "2024-12-31", "2024-03-14"]


def test_record_hashes_equal_sha256_of_record_texts_for_every_kind_of_value() -> None:
    # Import columns (nullable integers, text with NaN, datetime64) and what `verify` reads back
    # from a ledger, including values edited in by hand: floats, booleans, date-times, mixed
    # types, integers beyond 64 bits. Each must hash as `str()` of the value always did.
    columns: dict[str, object] = {
        "year": pd.Series([2024, None, 7], dtype="Int64"),
        "text": pd.Series(["Süd-Ost %s", float("nan"), ""], dtype=object),
        "day": pd.Series(pd.to_datetime(["2024-03-14", None, "2024-12-31"])),
        "date": [dt.date(2024, 3, 14), None, dt.date(1999, 1, 2)],
        "moment": [dt.datetime(2024, 3, 14, 8, 30), None, dt.datetime(2024, 1, 1)],
        "mixed": [1, "1", None],
        "float": [1.0, 1e20, None],
        "flag": [True, False, None],
        "huge": [2**70, -1, None],
    }
    fields = tuple(columns)
    expected_columns = {
        "year": [2024, None, 7],
        "text": ["Süd-Ost %s", None, ""],
        "day": ["2024-03-14", None, "2024-12-31"],
        **{name: columns[name] for name in fields[3:]},
    }
    expected = sha256_hex(record_texts(expected_columns, fields))  # type: ignore[arg-type]
    assert record_hashes(columns, fields).to_list() == expected  # type: ignore[arg-type]
