"""Money in constant prices: euros of year Y in prices of the base year B.

real = nominal × level(B) / level(Y), with the levels of the price index (`import prices`; the
consumer price index, Destatis 61111-0001) as exact decimals. The quotient is computed in
Decimal (28 significant digits) and each amount rounded half up to the cent once, at the end.
A period over several calendar years is deflated year by year (each year's amounts with that
year's level) and the rounded years added up. In a `spend` document the real unattributed
amount and every row are rounded that way and the real total is their sum, so that rows +
unattributed = total holds in constant prices too, to the cent (it may differ by a few cents
from the rounded real value of the nominal total).

The base year is `[prices] base_year` (0: the newest year the index holds). A year of the
period without a level is an error naming it: a figure half in constant and half in current
prices would mislead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection

from imports.money import format_cents
from ledger.master_store import price_index


class NoPriceIndex(ValueError):
    """The price index the figure needs is not in the ledger; the message says which year.
    code and values say the same as data, for the front door to word ("no_level": series,
    year; "no_index"; "base_year": year, series, first, last)."""

    def __init__(self, message: str, code: str, **values: object) -> None:
        super().__init__(message)
        self.code, self.values = code, values


@dataclass(frozen=True)
class PriceBase:
    """A price index series and the base year its amounts are expressed in."""

    series: str
    unit: str
    base_year: int
    levels: Mapping[int, Decimal]

    def cents(self, cents: int, year: int) -> int:
        """`cents` of `year` in prices of the base year, rounded half up to the cent."""
        if year not in self.levels:
            raise NoPriceIndex(
                f"the price index {self.series} has no level for {year}; import one with "
                "`budget-monitor import prices FILE` (Destatis table 61111-0001)",
                "no_level",
                series=self.series,
                year=year,
            )
        real = Decimal(int(cents)) * self.levels[self.base_year] / self.levels[year]
        return int(real.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def describe(self) -> dict[str, object]:
        return {"series": self.series, "unit": self.unit, "base_year": self.base_year}


def price_base(connection: Connection, base_year: int, as_of: int | None = None) -> PriceBase:
    """The newest imported series with its levels; `base_year` 0 is its newest year."""
    frame = price_index(connection, as_of)
    if frame.empty:
        raise NoPriceIndex(
            "no price index in the ledger; import one with `budget-monitor import prices FILE` "
            "(Destatis table 61111-0001, Verbraucherpreisindex)",
            "no_index",
        )
    series = str(frame["series"].iloc[-1])
    own = frame[frame["series"] == series]
    levels = {int(y): Decimal(str(v)) for y, v in zip(own["year"], own["level"], strict=True)}
    year = base_year or max(levels)
    if year not in levels:
        raise NoPriceIndex(
            f"[prices] base_year {year}: the price index {series} has no level for it "
            f"(it holds {min(levels)}–{max(levels)})",
            "base_year",
            year=year,
            series=series,
            first=min(levels),
            last=max(levels),
        )
    return PriceBase(series, str(own["unit"].iloc[-1]), year, levels)


def calendar_years(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] cut at the turns of the year."""
    return [
        (max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))
        for year in range(start.year, end.year + 1)
    ]


def _cents(amount: str) -> int:
    return int(Decimal(amount).scaleb(2))


def add_constant_prices(
    document: dict[str, object],
    base: PriceBase,
    spend_of: Callable[[date, date], dict[str, object]],
) -> dict[str, object]:
    """The `spend` document with its amounts also in constant prices: `amount_real` (and
    `plan_real` where a row has a plan) per row, `unattributed_real`, `total_real`, and
    `prices` (series, unit, base year). spend_of(start, end) gives the same document for a
    part of the period (called per calendar year when the period spans several)."""
    start = date.fromisoformat(str(document["from"]))
    end = date.fromisoformat(str(document["to"]))
    pieces = calendar_years(start, end)
    rows: dict[str, int] = {}
    unattributed = 0
    for first, last in pieces:
        piece = document if len(pieces) == 1 else spend_of(first, last)
        for row in piece["rows"]:  # type: ignore[attr-defined]
            real = base.cents(_cents(row["amount"]), first.year)
            rows[row["key"]] = rows.get(row["key"], 0) + real
        unattributed += base.cents(_cents(str(piece["unattributed"])), first.year)
    out_rows = []
    for row in document["rows"]:  # type: ignore[attr-defined]
        real_row = {**row, "amount_real": format_cents(rows.get(row["key"], 0))}
        if row.get("plan") is not None:
            real_row["plan_real"] = format_cents(base.cents(_cents(row["plan"]), start.year))
        out_rows.append(real_row)
    return {
        **document,
        "rows": out_rows,
        "unattributed_real": format_cents(unattributed),
        "total_real": format_cents(sum(rows.values()) + unattributed),
        "prices": base.describe(),
    }
