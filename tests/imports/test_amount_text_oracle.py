"""The vectorised amount-text parser gives what the per-text parser before issue 19 gave.

The oracle below is that parser (imports/german_values.py at commit bbcf9b6, one regular
expression match per text in Python), restricted to ASCII digits as the new one is: hypothesis
feeds both the characters German exports put around amounts.
"""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.german_values import read_amounts
from imports.money import DEFAULT_MAX_ABS_CENTS

_NOISE = re.compile(r"\s+|€|EUR", re.IGNORECASE)


def _oracle(text: str, decimal: str, max_abs_cents: int) -> tuple[int | None, bool]:
    """(cents or None, too large) as the per-text parser computed them."""
    group = "." if decimal == "," else ","
    g, d = re.escape(group), re.escape(decimal)
    pattern = re.compile(
        rf"(?P<lead>[-+])?(?P<int>[0-9]{{1,3}}(?:{g}[0-9]{{3}})+|[0-9]+)"
        rf"(?:{d}(?P<frac>[0-9]{{1,2}}))?(?P<trail>-)?"
    )
    match = pattern.fullmatch(_NOISE.sub("", text))
    if match is None or (match["lead"] == "-" and match["trail"] == "-"):
        return None, False
    digits = match["int"].replace(group, "")
    max_digits = len(str(max_abs_cents // 100))
    if len(digits) > max_digits and len(digits.lstrip("0")) > max_digits:
        return None, True
    cents = int(digits + (match["frac"] or "").ljust(2, "0"))
    if cents > max_abs_cents:
        return None, True
    return (-cents if "-" in (match["lead"], match["trail"]) else cents), False


_PIECES = st.sampled_from(
    ["0", "1", "5", "9", "00", "123", ".", ",", "-", "+", " ", "\xa0", "\x1f", "€", "EUR", "eur",
     "1.234", "1,234", ".000", ",5", ",56", "x"]
)  # fmt: skip
_TEXTS = st.lists(_PIECES, min_size=1, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    texts=st.lists(_TEXTS, min_size=1, max_size=30),
    decimal=st.sampled_from([",", "."]),
    limit=st.sampled_from([DEFAULT_MAX_ABS_CENTS, 100_000, 1, 2**53 - 1]),
)
def test_vectorised_amount_texts_match_the_per_text_parser(
    texts: list[str], decimal: str, limit: int
) -> None:
    amounts = read_amounts(pd.Series(texts, dtype=object), decimal, limit)
    for position, text in enumerate(texts):
        cents, too_large = _oracle(text, decimal, limit)
        blank = text.strip() == ""
        got = amounts.cents.iloc[position]
        assert (None if pd.isna(got) else int(got)) == (None if blank else cents), text
        assert bool(amounts.too_large.iloc[position]) == too_large, text
        assert bool(amounts.bad.iloc[position]) == (not blank and cents is None and not too_large)


def test_grouped_negative_and_trailing_minus_amounts() -> None:
    amounts = read_amounts(
        pd.Series(["1.234.567,89", "-1.234,56", "1.234,56-", "12 345,6 €", "-1,00-"]), ","
    )
    assert amounts.cents.tolist() == [123456789, -123456, -123456, 1234560, pd.NA]
    assert amounts.bad.tolist() == [False, False, False, False, True]
