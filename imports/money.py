"""Exact money: integer cents inside, `Decimal` or two-decimal text outside."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

# A double holds every whole number of cents up to 2**53 exactly (90,071,992,547,409.91 €);
# beyond that an Excel number cannot say which cent it means, so no plausibility limit may lie
# there, and comparing a spreadsheet number with a limit below it is exact.
MAX_EXACT_CENTS = 2**53 - 1
# `[imports] max_abs_amount` by default: 999,999,999,999.99 €, far above any city's budget and
# far below where a 64-bit integer of cents overflows (92,233,720,368,547,758.07 €).
DEFAULT_MAX_ABS_CENTS = 99_999_999_999_999
_HALF = 2**32


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def format_cents(cents: int) -> str:
    """JSON form of an amount: exactly two decimals, dot, no grouping (`"-1234.50"`)."""
    return f"{cents_to_decimal(cents):.2f}"


def exact_sum(cents: pd.Series | np.ndarray) -> int:
    """The sum of integer cents as a Python int, exact however many there are.

    A 64-bit sum wraps silently once it passes 9.2e18 cents (a million lines at the amount
    limit do). Each value is split into a high and a low 32-bit part whose separate sums cannot
    overflow for fewer than 2**31 values, so the sum stays vectorised and exact."""
    values = np.asarray(pd.Series(cents).dropna(), dtype="int64")
    high, low = np.divmod(values, _HALF)
    return int(high.sum()) * _HALF + int(low.sum())
