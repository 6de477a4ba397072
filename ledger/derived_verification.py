"""`verify` of the derived allocation tables: named where they were written outside the program,
and compared with a recomputation from the verified ledger.

The tables are not evidence (`ledger.allocation_models`), but `spend` and `trace` read their
figures from them, so `verify` covers them in two ways:

- writes outside the program that the trip wire counted (`ledger.trip_wire`) and no rebuild has
  settled yet: named. Their trigger deleted the key, so no figure reads the table until then;
- where the key is in force (the table answers reads), every row is computed again from the
  postings and the catalog, half a million postings at a time, exactly as a rebuild would, and
  so are the monthly sums (`allocation_month`) and the monthly sums of what reaches no district
  per account, product, cost centre and measure (`unattributed_month`, which `spend` explains
  its unattributed amount with); a difference (the trip wire bypassed) is named, and the key is
  deleted, so that the next read rebuilds the table from the verified ledger.

The comparison costs what a rebuild costs (tagging every posting), and only `verify` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Connection, Engine, Row, delete, select
from sqlalchemy.exc import DBAPIError

from ledger.allocation_models import (
    AllocationCache,
    AllocationMonth,
    PostingAllocation,
    UnattributedMonth,
)
from ledger.allocation_months import month_of, sums_by_field
from ledger.allocation_queries import accounts_key
from ledger.database import write_transaction
from ledger.derived_allocation import CHUNK_POSTINGS, allocation_rows
from ledger.master_store import catalog, newest_import
from ledger.models import Posting
from ledger.posting_queries import query_frame
from ledger.trip_wire import DERIVED_TABLES, foreign_writes
from ledger.verify_problems import part, verify_problem

_KEY = ["posting_id", "seq"]
_VALUES = ["booking_date", "measure", "district", "share", "allocated_cents", "ambiguous"]
_MONTH = ["month", "district", "measure"]
_NAMED = 5


@dataclass(frozen=True)
class DerivedCheck:
    """compared: the table was in force and compared with its recomputation (postings: how
    many); problems: as `VerifyReport.problems`."""

    compared: bool = False
    postings: int = 0
    problems: tuple[dict[str, object], ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        return {"compared": self.compared, "postings": self.postings}


def check_derived(engine: Engine, patterns: tuple[str, ...]) -> DerivedCheck:
    """Name foreign writes to the derived tables and compare the table in force with its
    recomputation (module docstring); the key is deleted where it differs."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tripped = foreign_writes(connection, DERIVED_TABLES)
            problems = [_tripped(table, found) for table, found in tripped.items()]
            state = connection.execute(select(AllocationCache)).first()
            in_force = (
                state is not None
                and state.spending_accounts == accounts_key(patterns)
                and state.catalog_import_id == newest_import(connection, "measures")
            )
            if not in_force:
                return DerivedCheck(problems=tuple(problems))
            differing, months, unattributed, postings = _compare(connection, patterns, state)
    if differing or months or unattributed:
        problems.append(_differs(differing, months, unattributed))
        _drop_key(engine)
    return DerivedCheck(True, postings, tuple(problems))


def _compare(
    connection: Connection, patterns: tuple[str, ...], state: Row
) -> tuple[list[int], list[str], list[str], int]:
    """(postings whose rows differ, months whose sums differ, months whose unattributed sums
    differ, postings compared)."""
    measures, allocations = catalog(connection, state.catalog_import_id)
    head: int = state.last_posting_id
    differing: list[int] = []
    sums: list[pd.DataFrame] = []
    unattributed: list[pd.DataFrame] = []
    postings = 0
    for after in range(0, head, CHUNK_POSTINGS):
        upto = min(after + CHUNK_POSTINGS, head)
        expected = allocation_rows(connection, patterns, measures, allocations, after, upto)
        stored = query_frame(
            connection,
            select(PostingAllocation.__table__).where(
                PostingAllocation.posting_id > after, PostingAllocation.posting_id <= upto
            ),
        )
        differing += _differing_postings(expected, stored)
        postings += expected["posting_id"].nunique()
        sums.append(_month_sums(expected))
        unattributed.append(_unattributed_postings(connection, expected, after, upto))
    stored_months = query_frame(
        connection, select(*(getattr(AllocationMonth, c) for c in [*_MONTH, "allocated_cents"]))
    )
    months = _differing_months(pd.concat(sums, ignore_index=True) if sums else None, stored_months)
    rows = pd.concat(unattributed, ignore_index=True) if unattributed else None
    return differing, months, _differing_unattributed(connection, rows), postings


def _unattributed_postings(
    connection: Connection, expected: pd.DataFrame, after: int, upto: int
) -> pd.DataFrame:
    """The recomputed rows without district with their postings' codes and month, as
    `allocation_months.unattributed_rows` reads them from the table."""
    loose = expected.loc[expected["district"].isna(), ["posting_id", "booking_date", "measure"]]
    loose = loose.assign(amount_cents=expected.loc[loose.index, "allocated_cents"])
    codes = query_frame(
        connection,
        select(
            Posting.id.label("posting_id"), Posting.account, Posting.product, Posting.cost_center
        ).where(Posting.id > after, Posting.id <= upto),
    )
    rows = loose.merge(codes, on="posting_id", how="left")
    return rows.assign(month=rows["booking_date"].map(month_of))


def _differing_unattributed(connection: Connection, rows: pd.DataFrame | None) -> list[str]:
    """The months whose `unattributed_month` rows differ from the sums of `rows`."""
    expected = [
        sums_by_field(group).assign(month=month)
        for month, group in ([] if rows is None else rows.groupby("month", sort=True))
    ]
    columns = ["month", "field", "code", "with_measure"]
    stored = query_frame(
        connection,
        select(
            *(getattr(UnattributedMonth, c) for c in columns),
            UnattributedMonth.allocated_cents.label("cents"),
            UnattributedMonth.postings,
        ),
    )
    keyed = [
        frame.assign(
            month=frame["month"].map(lambda m: str(m)[:7]),
            code=frame["code"].astype(object).fillna("\0"),
            with_measure=frame["with_measure"].astype(bool),
            cents=frame["cents"].astype("int64"),
            postings=frame["postings"].astype("int64"),
        )[[*columns, "cents", "postings"]]
        for frame in (
            pd.concat(expected, ignore_index=True) if expected else stored.iloc[0:0],
            stored,
        )
    ]
    both = keyed[0].merge(keyed[1], on=columns, how="outer", suffixes=("", "_stored"))
    differs = (both["cents"] != both["cents_stored"]) | (
        both["postings"] != both["postings_stored"]
    )
    return sorted(set(both.loc[differs, "month"]))


def _canonical(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows as text, so that a Decimal share and its stored text, a numpy and a Python integer,
    compare equal."""
    frame = rows[[*_KEY, *_VALUES]].astype(object)
    frame = frame.where(frame.notna(), None)
    for column in _VALUES:
        frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    frame[_KEY] = frame[_KEY].astype("int64")
    return frame


def _differing_postings(expected: pd.DataFrame, stored: pd.DataFrame) -> list[int]:
    both = _canonical(expected).merge(
        _canonical(stored), on=_KEY, how="outer", suffixes=("", "_stored"), indicator=True
    )
    differs = both["_merge"] != "both"
    for column in _VALUES:
        differs |= both[column].fillna("\0") != both[f"{column}_stored"].fillna("\0")
    return sorted(set(both.loc[differs, "posting_id"].astype(int)))


def _month_sums(rows: pd.DataFrame) -> pd.DataFrame:
    frame = rows.assign(month=rows["booking_date"].map(month_of))
    return frame.groupby(_MONTH, dropna=False, as_index=False)["allocated_cents"].sum()


def _differing_months(expected: pd.DataFrame | None, stored: pd.DataFrame) -> list[str]:
    if expected is None or expected.empty:
        return sorted({str(m)[:7] for m in stored["month"]})
    expected = expected.groupby(_MONTH, dropna=False, as_index=False)["allocated_cents"].sum()
    keyed = [
        frame.assign(
            month=frame["month"].map(str),
            # Object first: a column of nothing but NULLs comes back as float.
            district=frame["district"].astype(object).fillna("\0"),
            measure=frame["measure"].astype(object).fillna("\0"),
            allocated_cents=frame["allocated_cents"].astype("int64"),
        )
        for frame in (expected, stored)
    ]
    both = keyed[0].merge(keyed[1], on=_MONTH, how="outer", suffixes=("", "_stored"))
    differs = both["allocated_cents"] != both["allocated_cents_stored"]
    return sorted({month[:7] for month in both.loc[differs, "month"]})


def _tripped(table: str, found: dict[str, object]) -> dict[str, object]:
    return verify_problem(
        "derived",
        "derived_written",
        {"table": table},
        table=table,
        count=found["unsettled"],
        last=str(found["last_at"]),
    )


def _differs(postings: list[int], months: list[str], unattributed: list[str]) -> dict[str, object]:
    parts = []
    if postings:
        named = ", ".join(str(p) for p in postings[:_NAMED])
        if len(postings) > _NAMED:
            more = len(postings) - _NAMED
            parts.append(part("derived_postings_more", count=len(postings), named=named, more=more))
        else:
            parts.append(part("derived_postings", count=len(postings), named=named))
    if months:
        parts.append(part("derived_months", months=", ".join(months[:_NAMED])))
    if unattributed:
        parts.append(part("derived_unattributed", months=", ".join(unattributed[:_NAMED])))
    where = parts[0]
    for further in parts[1:]:
        where = part("derived_and", first=where, second=further)
    about = {
        "table": "posting_allocation",
        "postings": postings,
        "months": months,
        "unattributed_months": unattributed,
    }
    return verify_problem("derived", "derived_differs", about, where=where)


def _drop_key(engine: Engine) -> None:
    """Delete the key so that no read uses the table (not on a ledger this user may only
    read: the problem stays named)."""
    try:
        with write_transaction(engine) as connection:
            connection.execute(delete(AllocationCache))
    except DBAPIError:
        return
