"""Exact money: integer cents inside, `Decimal` or two-decimal text outside."""

from __future__ import annotations

from decimal import Decimal


def cents_to_decimal(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def format_cents(cents: int) -> str:
    """JSON form of an amount: exactly two decimals, dot, no grouping (`"-1234.50"`)."""
    return f"{cents_to_decimal(cents):.2f}"
