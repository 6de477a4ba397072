"""Keep `posting_allocation` in step with the ledger and the catalog, incrementally.

The table holds the result of `ledger.tagging` for every current spending posting under the
newest catalog; `allocation_cache` says for which catalog, spending accounts and ledger head.
`refresh_allocations` brings it up to date before a read:

- same catalog and accounts, new postings since the head: only those are tagged and allocated,
  and the rows of the versions they supersede are deleted (a correction drops out); the monthly
  sums (`ledger.allocation_months`) of the months either touched are recomputed;
- another catalog (a new measures import) or other spending accounts: every row is recomputed;
- `--as-of` an older catalog: nothing is written, the read computes on the fly
  (`ledger.spending`); keeping a table per catalog version would multiply the rows and the
  work of every posting import for figures that are asked for rarely (audits, reruns).

Tagging a posting depends on nothing but that posting and the catalog, so tagging the new
postings alone gives exactly the rows a full recomputation would.

A write to these tables outside the program trips the wire (`ledger.trip_wire`): its trigger
deletes the key, so no figure is read from the table until the next refresh has rebuilt it from
the verified ledger; the rebuild settles those writes. `verify` names them until then, and
compares the table with a recomputation (`ledger.derived_verification`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update

from ledger.allocation_models import AllocationCache, AllocationMonth, PostingAllocation
from ledger.allocation_months import month_of, summarise_months
from ledger.allocation_queries import accounts_key
from ledger.bulk_insert import bulk_insert
from ledger.database import write_transaction
from ledger.deferred_indexes import DeferredIndexes
from ledger.master_store import catalog, newest_import
from ledger.models import Posting
from ledger.posting_queries import current_filter, ledger_bound, query_frame
from ledger.spending import account_condition
from ledger.tagging import allocate, ambiguous_postings, claim_measures
from ledger.trip_wire import DERIVED_TABLES, foreign_writes, settle, suspended

# Postings tagged per step of a rebuild: bounds memory (about 1 GB at this size).
CHUNK_POSTINGS = 500_000
_POSTING_FIELDS = (
    "id",
    "booking_date",
    "account",
    "product",
    "cost_center",
    "order_no",
    "amount_cents",
)
_ROW_COLUMNS = [c.name for c in PostingAllocation.__table__.columns]
# The tables a rebuild fills in bulk, without their row triggers (`ledger.trip_wire.suspended`).
_BULK_TABLES = (PostingAllocation.__tablename__, AllocationMonth.__tablename__)


@dataclass(frozen=True)
class Refresh:
    """What a refresh did. action: "current" (nothing to do), "extended" (new postings tagged),
    "rebuilt" (everything recomputed) or "skipped" (an older catalog: read on the fly);
    postings: how many postings were tagged."""

    action: str
    postings: int


def refresh_allocations(
    engine: Engine, patterns: tuple[str, ...], as_of: int | None = None
) -> Refresh:
    """Bring `posting_allocation` up to date for the catalog in force at master import `as_of`
    (None: the newest); serialised with imports by the ledger's write lock."""
    with write_transaction(engine) as connection:
        newest = newest_import(connection, "measures")
        if as_of is not None and newest_import(connection, "measures", as_of) != newest:
            return Refresh("skipped", 0)
        state = connection.execute(select(AllocationCache)).first()
        bound = ledger_bound(connection)
        key = accounts_key(patterns)
        tripped = foreign_writes(connection, DERIVED_TABLES)
        if (
            state is None
            or tripped
            or state.catalog_import_id != newest
            or state.spending_accounts != key
        ):
            tagged = _rebuild(connection, patterns, newest, bound.posting_id)
            settle(connection, tripped)
            return Refresh("rebuilt", tagged)
        if state.last_posting_id == bound.posting_id:
            return Refresh("current", 0)
        tagged = _extend(connection, patterns, state, bound.posting_id)
        return Refresh("extended", tagged)


def _rebuild(
    connection: Connection, patterns: tuple[str, ...], catalog_id: int | None, head: int
) -> int:
    """Recompute every row for catalog `catalog_id`, half a million postings at a time."""
    connection.execute(delete(AllocationCache))
    measures, allocations = catalog(connection, catalog_id)
    # Rows arrive in posting order, the secondary indexes want date and district order: filling
    # them row by row scatters writes over the whole index; building them at the end sorts once.
    indexes = DeferredIndexes(connection, PostingAllocation.__table__)
    tagged = ambiguous = 0
    with suspended(connection, _BULK_TABLES, derived=True):
        connection.execute(delete(PostingAllocation))
        indexes.drop()
        for after in range(0, head, CHUNK_POSTINGS):
            rows = allocation_rows(
                connection, patterns, measures, allocations, after, after + CHUNK_POSTINGS
            )
            _insert(connection, rows)
            tagged += rows["posting_id"].nunique()
            ambiguous += rows.loc[rows["ambiguous"], "posting_id"].nunique()
        indexes.build()
        summarise_months(connection)
    now = datetime.now(UTC)
    connection.execute(
        insert(AllocationCache).values(
            id=1,
            catalog_import_id=catalog_id,
            spending_accounts=accounts_key(patterns),
            ambiguous=ambiguous,
            built_at=now,
            **_head(connection, now),
        )
    )
    return tagged


def _extend(connection: Connection, patterns: tuple[str, ...], state: Row, head: int) -> int:
    """Tag the postings after the cached head; drop the rows of the versions they supersede."""
    after = state.last_posting_id
    superseded = select(Posting.supersedes_id).where(
        Posting.id > after, Posting.supersedes_id.is_not(None)
    )
    dropped_ambiguous = connection.execute(
        select(func.count(func.distinct(PostingAllocation.posting_id))).where(
            PostingAllocation.ambiguous, PostingAllocation.posting_id.in_(superseded)
        )
    ).scalar_one()
    dropped_days = connection.execute(
        select(PostingAllocation.booking_date)
        .distinct()
        .where(PostingAllocation.posting_id.in_(superseded))
    ).scalars()
    changed_months = {month_of(day) for day in dropped_days}
    connection.execute(
        delete(PostingAllocation).where(PostingAllocation.posting_id.in_(superseded))
    )
    measures, allocations = catalog(connection, state.catalog_import_id)
    rows = allocation_rows(connection, patterns, measures, allocations, after, head)
    _insert(connection, rows)
    changed_months.update(month_of(day) for day in rows["booking_date"].unique())
    summarise_months(connection, changed_months)
    ambiguous = state.ambiguous - dropped_ambiguous
    ambiguous += rows.loc[rows["ambiguous"], "posting_id"].nunique()
    connection.execute(
        update(AllocationCache)
        .where(AllocationCache.id == 1)
        .values(ambiguous=ambiguous, **_head(connection, datetime.now(UTC)))
    )
    return int(rows["posting_id"].nunique())


def _head(connection: Connection, now: datetime) -> dict[str, object]:
    bound = ledger_bound(connection)
    return {
        "last_posting_id": bound.posting_id,
        "last_batch_id": bound.batch_id,
        "refreshed_at": now,
    }


def allocation_rows(
    connection: Connection,
    patterns: tuple[str, ...],
    measures: pd.DataFrame,
    allocations: pd.DataFrame,
    after: int,
    upto: int,
) -> pd.DataFrame:
    """The table's rows for the current spending postings with after < id <= upto."""
    postings = query_frame(
        connection,
        select(*(getattr(Posting, c) for c in _POSTING_FIELDS)).where(
            Posting.id > after,
            Posting.id <= upto,
            current_filter(),
            account_condition(patterns),
        ),
    )
    claims = claim_measures(postings, measures)
    ambiguous = ambiguous_postings(claims)
    single = claims[~claims["posting_id"].isin(ambiguous)]
    own = postings[["id", "booking_date", "amount_cents"]].rename(columns={"id": "posting_id"})
    allocated = allocate(own.merge(single, on="posting_id"), allocations)
    whole = own[~own["posting_id"].isin(single["posting_id"])]
    whole = whole.assign(
        measure=None,
        district=None,
        share=None,
        allocated_cents=whole["amount_cents"],
        ambiguous=whole["posting_id"].isin(ambiguous),
    )
    allocated = allocated.assign(
        booking_date=allocated["posting_id"].map(own.set_index("posting_id")["booking_date"]),
        ambiguous=False,
    )
    rows = pd.concat([allocated, whole], ignore_index=True)
    rows["ambiguous"] = rows["ambiguous"].astype(bool)
    rows["seq"] = rows.groupby("posting_id").cumcount()
    return rows[_ROW_COLUMNS]


def _insert(connection: Connection, rows: pd.DataFrame) -> None:
    """Insert the rows as plain Python values through the driver (`ledger.bulk_insert`)."""
    if rows.empty:
        return
    values = rows.astype(object).where(rows.notna(), None)
    bulk_insert(
        connection,
        PostingAllocation.__tablename__,
        {
            "posting_id": values["posting_id"].astype("int64").tolist(),
            "seq": values["seq"].astype("int64").tolist(),
            "booking_date": [day.isoformat() for day in values["booking_date"]],
            "measure": values["measure"].tolist(),
            "district": values["district"].tolist(),
            "share": [None if share is None else str(share) for share in values["share"]],
            "allocated_cents": values["allocated_cents"].astype("int64").tolist(),
            "ambiguous": values["ambiguous"].astype(bool).tolist(),
        },
    )
