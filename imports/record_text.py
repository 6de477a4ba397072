"""The canonical text of records given column-wise, which every hash in the ledger is taken over.

A record's text is `name=value` per field, joined by the ASCII unit separator (which cannot occur
in a trimmed export cell): a missing value is empty, every other value is its `str` (ISO for
dates, digits for whole numbers). The text form is part of the ledger: content and key hashes and
the hash chain are SHA-256 over it, so it must never change silently (see the tests pinning it).

The import and `verify` hash whole columns at once (`record_hashes`): polars builds the texts
and polars-hash takes their SHA-256 in Rust, with no Python call per record (issue 19: for a
million postings the three hashes of every posting took about 5 s in Python, see README).
`record_texts` formats the same text in Python, one %-template per row, for the few records
(master data) hashed elsewhere and for tests that pin the text form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd
import polars as pl
import polars_hash  # noqa: F401  (the `chash` namespace of polars expressions)

SEPARATOR = "\x1f"
# What a field's values may be for `record_hashes`: their text form in polars is `str()`'s.
# (Floats and booleans are not: polars writes `1e20` and `true` where Python writes `1e+20` and
# `True`; no hashed field holds them.)
_TEXT_SAFE = (pl.String, pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32,
              pl.UInt64, pl.Date, pl.Null)  # fmt: skip


def record_texts(columns: Mapping[str, Sequence[object]], fields: Sequence[str]) -> Iterator[str]:
    """The text of each record, from `columns[name]` (equal lengths) for `fields` in order."""
    # Field names are identifiers, so they hold no "%" the template would read as a directive.
    template = SEPARATOR.join(f"{name}=%s" for name in fields)
    values = [_missing_as_empty(columns[name]) for name in fields]
    return map(template.__mod__, zip(*values, strict=True))


def record_hashes(
    columns: Mapping[str, Sequence[object] | pd.Series | pl.Series], fields: Sequence[str]
) -> pl.Series:
    """Hex SHA-256 of each record's text (the text `record_texts` gives), column-wise in Rust.

    columns: per field, Python values (str, int, date or None), a pandas Series (nullable
    integers, text with None or NaN for missing, datetime64 taken as its day) or a polars
    Series, all of one length."""
    return hashes_over(columns, {"hash": fields})["hash"]


def hashes_over(
    columns: Mapping[str, Sequence[object] | pd.Series | pl.Series],
    hashed: Mapping[str, Sequence[str]],
) -> pl.DataFrame:
    """Several hashes of each record, each `record_hashes` over its own fields (`hashed`: name of
    the hash -> fields), as the columns of one frame. Each field is turned into a polars column
    once, and polars takes the hashes side by side: an import's key and content hashes share
    three fields, and the conversion from pandas cost as much as the hashing (issue 19)."""
    needed = dict.fromkeys(name for fields in hashed.values() for name in fields)
    frame = pl.DataFrame([_as_polars(name, columns[name]) for name in needed])
    return frame.select(_text_hash(fields).alias(name) for name, fields in hashed.items())


def _text_hash(fields: Sequence[str]) -> pl.Expr:
    pieces: list[pl.Expr] = []
    for position, name in enumerate(fields):
        pieces.append(pl.lit(f"{SEPARATOR if position else ''}{name}="))
        pieces.append(pl.col(name).cast(pl.String).fill_null(""))
    return pl.concat_str(pieces).chash.sha2_256()


def _as_polars(name: str, values: Sequence[object] | pd.Series | pl.Series) -> pl.Series:
    """One field as a polars column, without pyarrow (which would change the string storage of
    every pandas frame in the project)."""
    try:
        if isinstance(values, pl.Series):
            column = values.rename(name)
        elif isinstance(values, pd.Series):
            column = _from_pandas(name, values)
        else:
            column = pl.Series(name, values)
    except (TypeError, ValueError, OverflowError, pl.exceptions.PolarsError):
        return _python_text(name, values)
    if column.dtype not in _TEXT_SAFE:
        return _python_text(name, values)
    return column


def _python_text(name: str, values: Sequence[object] | pd.Series | pl.Series) -> pl.Series:
    """`str()` of each value, in Python, for a column polars would write otherwise (floats,
    booleans, date-times, mixed types: say a value edited into the ledger by hand, which
    `verify` must hash as before and report, not fail on). Never the case on an import's path."""
    if isinstance(values, pd.Series):
        items: Sequence[object] = values.astype(object).where(values.notna(), None).tolist()
    elif isinstance(values, pl.Series):
        items = values.to_list()
    else:
        items = values
    return pl.Series(name, [None if v is None else str(v) for v in items], dtype=pl.String)


def _from_pandas(name: str, values: pd.Series) -> pl.Series:
    missing = values.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pl.Series(name, values.to_numpy()).dt.date()
    if pd.api.types.is_integer_dtype(values.dtype):
        column = pl.Series(name, values.to_numpy(dtype="int64", na_value=0))
        if missing.any():
            column = pl.select(pl.when(pl.Series(missing)).then(None).otherwise(column)).to_series()
        return column.rename(name)
    # Text with None, NaN or <NA> for missing (polars reads the objects in Rust).
    return pl.Series(name, np.where(missing, None, values.to_numpy(dtype=object)), dtype=pl.String)


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
