"""Read spending figures out of `posting_allocation`, when its key matches what is asked.

`cache_answers` is the guard: the rows are used only if, as this connection sees the database,
they were computed for the catalog in force at `as_of`, for these spending accounts and up to
the ledger's newest posting, and no posting in them is ambiguous. Otherwise `ledger.spending`
computes on the fly, so a stale or missing table can make a read slower, never different.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, func, select

from ledger.allocation_models import AllocationCache, AllocationMonth, PostingAllocation
from ledger.allocation_months import split_period
from ledger.master_store import newest_import
from ledger.models import ImportBatch, Posting
from ledger.posting_queries import POSTING_COLUMNS, query_frame

# The trace's posting columns: the allocation row carries the id and the booking date.
_TRACE_POSTING_COLUMNS = tuple(c for c in POSTING_COLUMNS if c not in {"id", "booking_date"})


def accounts_key(patterns: tuple[str, ...]) -> str:
    """The spending-account patterns as stored in `allocation_cache.spending_accounts`."""
    return "\n".join(patterns)


def cache_answers(
    connection: Connection,
    patterns: tuple[str, ...],
    as_of: int | None,
    upto_posting: int | None,
) -> bool:
    """Whether `posting_allocation` holds exactly the figures asked for (see module doc)."""
    state = connection.execute(select(AllocationCache)).first()
    if state is None or state.spending_accounts != accounts_key(patterns) or state.ambiguous:
        return False
    if newest_import(connection, "measures", as_of) != state.catalog_import_id:
        return False
    head = connection.execute(select(func.max(Posting.id))).scalar() or 0
    if head != state.last_posting_id:
        return False
    return upto_posting is None or upto_posting >= head


def cached_sums(
    connection: Connection, column: str, start: date, end: date
) -> tuple[dict[str, int], int]:
    """Cents per district or measure (`column`) booked in [start, end], and the total of all
    spending then (the rows without district or measure included): the whole months from
    `allocation_month`, the days of partial months at either end from `posting_allocation`
    through its covering index `ix_posting_allocation_day`."""
    months, day_ranges = split_period(start, end)
    queries = [
        (PostingAllocation, PostingAllocation.booking_date.between(first, last))
        for first, last in day_ranges
    ]
    if months is not None:
        queries.append((AllocationMonth, AllocationMonth.month.between(*months)))
    sums: dict[str | None, int] = {}
    for table, within_period in queries:
        key = getattr(table, column)
        for value, cents in connection.execute(
            select(key, func.sum(table.allocated_cents)).where(within_period).group_by(key)
        ):
            sums[value] = sums.get(value, 0) + int(cents)
    return {k: cents for k, cents in sums.items() if k is not None}, sum(sums.values())


def cached_trace(
    connection: Connection, district: str, start: date, end: date, measure: str | None
) -> pd.DataFrame:
    """The district's allocation rows in [start, end] with their postings and source files:
    posting_id, measure, share (text), allocated_cents, booking_date, the posting columns,
    file, sha256; by booking date and posting."""
    query = (
        select(
            PostingAllocation.posting_id,
            PostingAllocation.measure,
            PostingAllocation.share,
            PostingAllocation.allocated_cents,
            PostingAllocation.booking_date,
            *(getattr(Posting, c) for c in _TRACE_POSTING_COLUMNS),
            ImportBatch.file_name.label("file"),
            ImportBatch.sha256,
        )
        .join(Posting, Posting.id == PostingAllocation.posting_id)
        .join(ImportBatch, ImportBatch.id == Posting.batch_id)
        .where(
            PostingAllocation.district == district,
            PostingAllocation.booking_date.between(start, end),
        )
        .order_by(
            PostingAllocation.booking_date, PostingAllocation.posting_id, PostingAllocation.seq
        )
    )
    if measure is not None:
        query = query.where(PostingAllocation.measure == measure)
    return query_frame(connection, query)
