"""Monthly sums of `posting_allocation`, and how a period splits into whole months and days.

`spend` of a year over millions of postings would add up a million allocation rows (about half
a second in SQLite); twelve months of `allocation_month` are a few thousand. A period that does
not start on the first or end on the last day of a month reads those edge days from
`posting_allocation` itself, so any period gives exactly the cents of the detail rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, Date, delete, func, insert, literal, select

from ledger.allocation_models import AllocationMonth, PostingAllocation

_SUMMED = ("month", "district", "measure", "allocated_cents")


def month_of(day: date) -> date:
    """The first day of the day's month: the key of `allocation_month`."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after the day's."""
    return (month_of(day) + timedelta(days=32)).replace(day=1)


def split_period(
    start: date, end: date
) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The whole months inside [start, end] as (first month, last month), or None, and the day
    ranges before and after them that must be read day by day."""
    if end < start:
        return None, []
    first_whole = start if start.day == 1 else next_month(start)
    # The first day after the last whole month.
    stop = end + timedelta(days=1) if (end + timedelta(days=1)).day == 1 else month_of(end)
    if first_whole >= stop:
        return None, [(start, end)]
    days = []
    if start < first_whole:
        days.append((start, first_whole - timedelta(days=1)))
    if stop <= end:
        days.append((stop, end))
    return (first_whole, month_of(stop - timedelta(days=1))), days


def summarise_months(connection: Connection, months: Iterable[date] | None = None) -> None:
    """Recompute `allocation_month` for the given months (first days), or for all of them."""
    if months is None:
        connection.execute(delete(AllocationMonth))
        day = PostingAllocation.booking_date
        low, high = connection.execute(select(func.min(day), func.max(day))).one()
        months = _months_between(low, high) if low is not None else []
    else:
        months = sorted(set(months))
        if months:
            connection.execute(delete(AllocationMonth).where(AllocationMonth.month.in_(months)))
    for first in months:
        last = next_month(first) - timedelta(days=1)
        connection.execute(
            insert(AllocationMonth).from_select(
                list(_SUMMED),
                select(
                    literal(first, Date),
                    PostingAllocation.district,
                    PostingAllocation.measure,
                    func.sum(PostingAllocation.allocated_cents),
                )
                .where(PostingAllocation.booking_date.between(first, last))
                .group_by(PostingAllocation.district, PostingAllocation.measure),
            )
        )


def _months_between(low: date, high: date) -> list[date]:
    months, first = [], month_of(low)
    while first <= high:
        months.append(first)
        first = next_month(first)
    return months
