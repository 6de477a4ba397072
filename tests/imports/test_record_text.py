"""The canonical record text that content, key and chain hashes are taken over."""

from __future__ import annotations

import hashlib

import pandas as pd

from imports.record_text import iso_days, record_texts, sha256_hex


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
