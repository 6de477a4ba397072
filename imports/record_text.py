"""The canonical text of records given column-wise, which every hash in the ledger is taken over.

A record's text is `name=value` per field, joined by the ASCII unit separator (which cannot occur
in a trimmed export cell): a missing value is empty, every other value is its `str` (ISO for
dates, digits for whole numbers). The text form is part of the ledger: content and key hashes and
the hash chain are SHA-256 over it, so it must never change silently (see the tests pinning it).

A whole row is formatted by one %-template, in C, instead of field by field and then joined:
for a million postings of nineteen fields that is 2.7 s instead of 6.7 s of an import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

SEPARATOR = "\x1f"


def record_texts(columns: Mapping[str, Sequence[object]], fields: Sequence[str]) -> Iterator[str]:
    """The text of each record, from `columns[name]` (equal lengths) for `fields` in order."""
    # Field names are identifiers, so they hold no "%" the template would read as a directive.
    template = SEPARATOR.join(f"{name}=%s" for name in fields)
    values = [_missing_as_empty(columns[name]) for name in fields]
    return map(template.__mod__, zip(*values, strict=True))


def sha256_hex(texts: Iterable[str]) -> list[str]:
    """Hex SHA-256 of each text's UTF-8 bytes."""
    sha256 = hashlib.sha256
    return [sha256(text.encode("utf-8")).hexdigest() for text in texts]


def iso_days(column: pd.Series) -> list[str | None]:
    """`YYYY-MM-DD` of each date of a datetime64 column, formatted once per distinct day (a
    year has at most 366); None for a missing one."""
    codes, days = pd.factorize(column)
    return np.array([*days.strftime("%Y-%m-%d"), None], dtype=object)[codes].tolist()


def _missing_as_empty(values: Sequence[object]) -> Sequence[object]:
    # `None in values` runs in C and is false for most columns, which then are not copied.
    if None not in values:
        return values
    return ["" if value is None else value for value in values]
