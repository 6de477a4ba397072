"""Vectorised conversion of export cells: German text numbers, dates and codes.

Every function takes a pandas Series of raw cells (None, str, int, float, date, datetime, as the
readers deliver them) and returns the converted Series plus a boolean mask of cells that could not
be converted, so the caller can report each bad cell with its row and column. No float ever
carries money: amounts become integer cents.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import polars as pl

from imports.money import DEFAULT_MAX_ABS_CENTS, MAX_EXACT_CENTS

# Excel's 1900 date system counts from 1899-12-30 (it treats 1900 as a leap year).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_SERIAL_MIN, _SERIAL_MAX = 1, 2_958_465  # 1900-01-01 .. 9999-12-31
# Currency signs and all whitespace (also inside: "1 234,56") are not part of an amount. The
# characters are Python's `str.isspace()` ones: Rust's \s lacks the separators \x1c-\x1f.
_NOISE = r"(?i)[\s\x1c-\x1f]+|€|EUR"


def _amount_pattern(decimal: str) -> str:
    """A whole amount text: optional leading sign, digits (grouped by threes or not), up to two
    decimals, optional trailing minus. ASCII digits only."""
    group = "." if decimal == "," else ","
    g, d = re.escape(group), re.escape(decimal)
    return (
        rf"^(?P<lead>[-+])?(?P<int>[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]+)"
        rf"(?:{d}(?P<frac>[0-9]{{1,2}}))?(?P<trail>-)?$"
    )


def _text_cents(
    texts: pd.Series, decimal: str, max_abs_cents: int
) -> tuple[pd.arrays.IntegerArray, np.ndarray]:
    """Signed cents of each amount text (<NA> where it is not one: both a leading and a
    trailing minus is not, nor is one larger than `max_abs_cents`), and a mask of those larger
    than the limit. Vectorised in polars (Rust regex and string kernels): no Python call per
    text."""
    group = "." if decimal == "," else ","
    # More integer digits than the limit has can only be larger; they are never turned into an
    # int (a 64-bit integer holds 19 digits).
    max_digits = len(str(max_abs_cents // 100))
    parts = (
        pl.Series("text", texts.to_numpy(dtype=object), dtype=pl.String)
        .str.replace_all(_NOISE, "")
        .str.extract_groups(_amount_pattern(decimal))
        .struct.unnest()
    )
    digits = pl.col("int").str.replace_all(group, "", literal=True)
    significant = digits.str.strip_chars_start("0").str.len_chars()
    beyond_digits = (digits.str.len_chars() > max_digits) & (significant > max_digits)
    magnitude = pl.when(~beyond_digits).then(
        pl.concat_str(digits, pl.col("frac").fill_null("").str.pad_end(2, "0")).cast(pl.Int64)
    )
    negative = (pl.col("lead") == "-") | (pl.col("trail") == "-")
    both = (pl.col("lead") == "-") & (pl.col("trail") == "-")
    too_large = (beyond_digits | (magnitude > max_abs_cents)).fill_null(False) & ~both.fill_null(
        False
    )
    ok = pl.col("int").is_not_null() & ~both.fill_null(False) & ~too_large
    cents = pl.when(ok).then(
        pl.when(negative.fill_null(False)).then(-magnitude).otherwise(magnitude)
    )
    result = parts.select(cents.alias("cents"), too_large.alias("too_large"))
    missing = result["cents"].is_null().to_numpy()
    whole = result["cents"].fill_null(0).to_numpy().astype("int64")
    return pd.arrays.IntegerArray(whole, missing), result["too_large"].to_numpy()


# What Python's str.strip() removes (str.isspace()); polars' own default lacks \x1c-\x1f.
# Written out: finding them among all 1,114,112 code points took 0.3 s of every CLI start
# (tests/imports/test_german_values.py checks the list against str.isspace()).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _stripped(texts: pd.Series) -> pl.Series:
    """Each text without leading and trailing whitespace, as `str.strip()` gives it, in Rust
    (pandas' string methods call Python once per text)."""
    return pl.Series(texts.to_numpy(dtype=object), dtype=pl.String).str.strip_chars(WHITESPACE)


_TYPE_OF = np.frompyfunc(type, 1, 1)  # a ufunc: `type` called from C, no Python loop

# The exact types the readers deliver (bool is deliberately not a number here).
_NUMBER_TYPES = (int, float)
_DATE_TYPES = (dt.date, dt.datetime, pd.Timestamp)


def cell_types(values: pd.Series) -> pd.Series:
    """The Python type of each cell: one C-level pass that the type tests below share."""
    return pd.Series(_TYPE_OF(values.to_numpy(dtype=object)), index=values.index, dtype=object)


def is_blank(values: pd.Series) -> pd.Series:
    """None, NaN and whitespace-only text count as empty.

    Any other cell (a number, a date) has a non-empty text form, so one vectorised conversion
    to text finds the whitespace-only strings without testing each cell's type in Python."""
    blank = values.isna()
    present = values[~blank]
    if len(present):
        blank.loc[present.index] = (_stripped(present.astype(str)) == "").to_numpy()
    return blank


class Amounts(NamedTuple):
    """Amount cells read: cents (Int64, <NA> where not stored), `bad` (not an amount) and
    `too_large` (an amount beyond the plausibility limit, or an infinite number)."""

    cents: pd.Series
    bad: pd.Series
    too_large: pd.Series


def read_amounts(
    values: pd.Series, decimal: str, max_abs_cents: int = DEFAULT_MAX_ABS_CENTS
) -> Amounts:
    """Signed integer cents from numbers or text like `1.234,56`, `-1.234,56`, `1.234,56-`.

    `decimal` is the profile's decimal mark: `1.234` with decimal "," is 1234.00, with "." it has
    three decimals and is refused — the mark is a property of the export, never guessed per row.
    `max_abs_cents` ([imports] max_abs_amount in cents, at most MAX_EXACT_CENTS): a larger
    absolute amount is implausible and is checked before it becomes an integer, so that no
    amount can wrap around (1e17 € would be -9,223,372,036,854,775,808 cents in 64 bits).
    """
    if not 0 < max_abs_cents <= MAX_EXACT_CENTS:
        raise ValueError(f"max_abs_cents must lie in 1..{MAX_EXACT_CENTS}, not {max_abs_cents}")
    cents = pd.Series(pd.NA, index=values.index, dtype="Int64")
    blank = is_blank(values)
    numeric = cell_types(values).isin(_NUMBER_TYPES)
    numeric &= ~blank
    bad = pd.Series(False, index=values.index)
    too_large = pd.Series(False, index=values.index)

    if numeric.any():
        with np.errstate(over="ignore", invalid="ignore"):
            scaled = _as_floats(values[numeric]) * 100.0
            rounded = np.round(scaled)
            # Compared as doubles, exact below MAX_EXACT_CENTS; infinity fails, NaN is blank.
            fits = rounded.abs() <= float(max_abs_cents)
            # Excel stores binary doubles: 1234.56 is 123455.99999999999 cents, not a sub-cent
            # amount.
            sub_cent = (scaled - rounded).abs() > 1e-6 * np.maximum(1.0, rounded.abs())
        good = (fits & ~sub_cent).to_numpy()
        whole = np.where(good, rounded.to_numpy(), 0.0).astype("int64")
        cents[numeric] = pd.arrays.IntegerArray(whole, ~good)
        bad[numeric] = (fits & sub_cent).to_numpy()
        too_large[numeric] = (~fits).to_numpy()

    text = ~numeric & ~blank
    if text.any():
        parsed, beyond = _text_cents(values[text].astype(str), decimal, max_abs_cents)
        cents[text] = parsed
        too_large[text] = beyond
        bad[text] = parsed.isna() & ~beyond
    cents[bad | too_large] = pd.NA
    return Amounts(cents, bad, too_large)


def parse_amount_cents(
    values: pd.Series, decimal: str, max_abs_cents: int = DEFAULT_MAX_ABS_CENTS
) -> tuple[pd.Series, pd.Series]:
    """`read_amounts` where the reason does not matter: (cents as Int64 with <NA> for bad,
    too large or empty cells, mask of non-empty cells that are not stored)."""
    amounts = read_amounts(values, decimal, max_abs_cents)
    return amounts.cents, amounts.bad | amounts.too_large


def _as_floats(numbers: pd.Series) -> pd.Series:
    """Number cells as doubles; an integer too large for a double (a workbook may store a
    400-digit integer) becomes infinity instead of stopping the import."""
    try:
        return numbers.astype("float64")
    except OverflowError:
        return numbers.map(_as_float).astype("float64")


def _as_float(value: float) -> float:
    if abs(value) < 10**308:
        return float(value)
    return math.inf if value > 0 else -math.inf


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates from Excel dates, Excel serial numbers (as numbers or digit text) and text.

    Text formats: `31.12.2024`, `1.2.2024`, `31.12.24`, `2024-12-31`, optionally followed by a
    time. Returns (datetime64 Series with NaT for bad/empty cells, mask of bad non-empty cells).
    """
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    blank = is_blank(values)

    types = cell_types(values)
    is_date = types.isin(_DATE_TYPES)
    if is_date.any():
        result[is_date] = pd.to_datetime(values[is_date].map(_as_datetime)).dt.normalize()

    text = types.eq(str) & ~blank
    stripped = (
        values[text]
        .astype(str)
        .str.strip()
        .str.replace(r"[ T]\d{1,2}:\d{2}(:\d{2})?$", "", regex=True)
    )
    serial_text = stripped.str.fullmatch(r"\d{1,7}(?:\.0+)?")

    numeric = types.isin(_NUMBER_TYPES) & ~blank
    serials = pd.concat(
        [values[numeric].astype("float64"), stripped[serial_text].astype("float64")]
    )
    if len(serials):
        valid = (serials >= _SERIAL_MIN) & (serials <= _SERIAL_MAX)
        days = np.floor(serials.where(valid, np.nan))
        result[serials.index] = _EXCEL_EPOCH + pd.to_timedelta(days, unit="D")

    words = stripped[~serial_text]
    if len(words):
        german = pd.to_datetime(words, format="%d.%m.%Y", errors="coerce")
        short = pd.to_datetime(words.where(german.isna()), format="%d.%m.%y", errors="coerce")
        iso = pd.to_datetime(words.where(german.isna()), format="%Y-%m-%d", errors="coerce")
        result[words.index] = german.fillna(short).fillna(iso)

    bad = result.isna() & ~blank
    return result, bad


def _as_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    assert isinstance(value, dt.date)
    return dt.datetime(value.year, value.month, value.day)


def normalise_codes(values: pd.Series) -> pd.Series:
    """Codes as text: `531800.0` (a number Excel stored) becomes "531800"; blanks become None.

    Account numbers, cost centers and document numbers are identifiers, not quantities; leading
    zeros in text are kept, trailing `.0` of a float is an artefact of the spreadsheet.
    """
    return _as_text(values).astype(object).where(lambda t: t.notna() & t.ne(""), None)


def _as_text(values: pd.Series) -> pd.Series:
    """Stripped text of every cell, whole floats without their `.0`; blanks as missing."""
    result = pd.Series(pd.NA, index=values.index, dtype=object)
    floats = cell_types(values).eq(float) & values.notna()
    whole = floats.copy()
    if floats.any():
        numbers = values[floats].astype("float64")
        integral = np.isfinite(numbers) & (numbers == np.floor(numbers))
        whole[floats] = integral.to_numpy()
        # int64 holds every whole double below 2**63; beyond it (a code stored as 1e20) the
        # cast would wrap, so those rare cells are written out by Python's exact int().
        small = integral & (numbers.abs() < 2.0**63)
        large = integral & ~small
        result.loc[small.index[small.to_numpy()]] = (
            numbers[small].astype("int64").astype(str).astype(object)
        )
        if large.any():
            result.loc[large.index[large.to_numpy()]] = numbers[large].map(lambda f: str(int(f)))
    rest = values.notna() & ~whole
    if rest.any():
        result[rest] = _stripped(values[rest].astype(str)).to_numpy()
    return result


def parse_whole_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers (years, line numbers) from numbers or digit text; bad cells masked."""
    blank = is_blank(values)
    as_text = _as_text(values).where(~blank)
    ok = as_text.str.fullmatch(r"\d{1,9}").fillna(False).astype(bool)
    numbers = pd.Series(pd.NA, index=values.index, dtype="Int64")
    numbers[ok] = as_text[ok].astype("int64")
    return numbers, ~ok & ~blank
