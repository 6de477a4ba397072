"""Monthly sums of `posting_allocation`, and how a period splits into whole months and days.

`spend` of a year over millions of postings would add up a million allocation rows (about half
a second in SQLite); twelve months of `allocation_month` are a few thousand. A period that does
not start on the first or end on the last day of a month reads those edge days from
`posting_allocation` itself, so any period gives exactly the cents of the detail rows.

`unattributed_month` likewise keeps the rows without district per month, field (account,
product, cost centre, measure) and code, for what `spend` says its unattributed amount is
(`ledger.unattributed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Date, delete, func, insert, literal, select

from ledger.allocation_models import AllocationMonth, PostingAllocation, UnattributedMonth
from ledger.models import Posting
from ledger.posting_queries import query_frame

_SUMMED = ("month", "district", "measure", "allocated_cents")
SUM_COLUMNS = ("field", "code", "with_measure", "cents", "postings")
# The fields whose codes explain the unattributed spending (`ledger.unattributed`).
UNATTRIBUTED_FIELDS: tuple[str, ...] = ("account", "product", "cost_center", "measure")


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
    """Recompute `allocation_month` and `unattributed_month` for the given months (first
    days), or for all of them."""
    if months is None:
        connection.execute(delete(AllocationMonth))
        connection.execute(delete(UnattributedMonth))
        day = PostingAllocation.booking_date
        low, high = connection.execute(select(func.min(day), func.max(day))).one()
        months = _months_between(low, high) if low is not None else []
    else:
        months = sorted(set(months))
        if months:
            connection.execute(delete(AllocationMonth).where(AllocationMonth.month.in_(months)))
            connection.execute(delete(UnattributedMonth).where(UnattributedMonth.month.in_(months)))
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
        sums = sums_by_field(unattributed_rows(connection, first, last))
        if len(sums):
            connection.execute(
                insert(UnattributedMonth),
                [
                    {
                        "month": first,
                        "field": field,
                        "code": code,
                        "with_measure": bool(with_measure),
                        "allocated_cents": int(cents),
                        "postings": int(postings),
                    }
                    for field, code, with_measure, cents, postings in sums.itertuples(index=False)
                ],
            )


def unattributed_rows(connection: Connection, first: date, last: date) -> pd.DataFrame:
    """The allocation rows without district booked in [first, last] with their postings' codes:
    account, product, cost_center, measure, amount_cents (one row per posting)."""
    return query_frame(
        connection,
        select(
            Posting.account,
            Posting.product,
            Posting.cost_center,
            PostingAllocation.measure,
            PostingAllocation.allocated_cents.label("amount_cents"),
        )
        .join(Posting, Posting.id == PostingAllocation.posting_id)
        .where(
            PostingAllocation.district.is_(None),
            PostingAllocation.booking_date.between(first, last),
        ),
    )


def sums_by_field(rows: pd.DataFrame) -> pd.DataFrame:
    """Unattributed postings (account, product, cost_center, measure, amount_cents; one row per
    posting) summed per field and code: field, code (None: empty), with_measure (a measure
    without allocation), cents, postings — the rows of `unattributed_month`. One group-by over
    the fields stacked (an empty code and None are the same: no code)."""
    with_measure = rows["measure"].notna().to_numpy()
    fields = len(UNATTRIBUTED_FIELDS)
    stacked = pd.DataFrame(
        {
            "field": np.repeat(np.array(UNATTRIBUTED_FIELDS, dtype=object), len(rows)),
            "code": pd.concat([rows[f] for f in UNATTRIBUTED_FIELDS], ignore_index=True)
            .astype(object)
            .fillna(""),
            "with_measure": np.tile(with_measure, fields),
            "cents": np.tile(rows["amount_cents"].to_numpy(dtype="int64"), fields),
        }
    )
    sums = (
        stacked.groupby(["field", "code", "with_measure"], sort=False)["cents"]
        .agg(cents="sum", postings="size")
        .reset_index()
    )
    # Object first: a `str` column's "missing" is NaN, which PostgreSQL would store as 'NaN'.
    sums["code"] = sums["code"].astype(object).where(sums["code"] != "", None)
    return sums.astype({"cents": "int64", "postings": "int64", "with_measure": bool})[
        list(SUM_COLUMNS)
    ]


def _months_between(low: date, high: date) -> list[date]:
    months, first = [], month_of(low)
    while first <= high:
        months.append(first)
        first = next_month(first)
    return months
