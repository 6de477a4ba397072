"""Read postings out of the ledger as DataFrames (callers never see ORM objects)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Select,
    String,
    Table,
    and_,
    exists,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import aliased

from ledger.bulk_insert import bulk_insert
from ledger.integrity import GENESIS
from ledger.master_models import MasterImport
from ledger.models import ImportBatch, Posting


@dataclass(frozen=True)
class LedgerHead:
    """The end of the hash chain: where the next batch and posting continue.

    seal: the newest seal of the ledger, a batch's or a master import's (`ledger.master_seal`),
    which the next batch or master import continues from; batch_id: the newest batch."""

    batch_id: int
    seal: str
    posting_id: int
    chain: str


def ledger_head(connection: Connection) -> LedgerHead:
    batch = connection.execute(
        select(ImportBatch.id, ImportBatch.seal).order_by(ImportBatch.id.desc()).limit(1)
    ).first()
    posting = connection.execute(
        select(Posting.id, Posting.chain_hash).order_by(Posting.id.desc()).limit(1)
    ).first()
    master = connection.execute(
        select(MasterImport.after_batch, MasterImport.seal)
        .order_by(MasterImport.id.desc())
        .limit(1)
    ).first()
    batch_id, seal = (batch[0], batch[1]) if batch else (0, GENESIS)
    if master is not None and master[0] >= batch_id:
        seal = master[1]  # written after the newest batch
    return LedgerHead(
        batch_id=batch_id,
        seal=seal,
        posting_id=posting[0] if posting else 0,
        chain=posting[1] if posting else GENESIS,
    )


@dataclass(frozen=True)
class LedgerBound:
    """The ledger as it stood at one moment, so that a report can be computed again later.

    posting_id: the newest posting then (postings with a higher id came later, and so did any
    version superseding an older one); master_import_id: the newest master-data import (master
    data `as_of` it); batch_id: the newest import batch (also those that added no posting).
    Ids grow in commit order because every writer holds the ledger's write lock
    (`ledger.database.write_transaction`), so "id ≤ bound" is exactly "was there then".
    """

    posting_id: int
    master_import_id: int
    batch_id: int


def ledger_bound(connection: Connection) -> LedgerBound:
    """The bound of the ledger as this connection sees it now (0 where a table is empty)."""
    row = connection.execute(
        select(
            select(func.max(Posting.id)).scalar_subquery(),
            select(func.max(MasterImport.id)).scalar_subquery(),
            select(func.max(ImportBatch.id)).scalar_subquery(),
        )
    ).one()
    return LedgerBound(*(int(value or 0) for value in row))


def current_filter(upto_posting: int | None = None) -> object:
    """A posting version is current when no later version supersedes it.

    upto_posting: the ledger as it stood when `upto_posting` was its newest posting: a version
    superseded only by a later one (id above the bound) is still current there. Callers bound
    the postings themselves too (`Posting.id <= upto_posting`).
    """
    newer = aliased(Posting)
    supersedes = newer.supersedes_id == Posting.id
    if upto_posting is not None:
        supersedes = and_(supersedes, newer.id <= upto_posting)
    return ~exists().where(supersedes)


def within(upto_posting: int | None) -> object:
    """Postings that existed at the bound (all of them without one)."""
    return Posting.id <= upto_posting if upto_posting is not None else true()


def query_frame(connection: Connection, query: Select) -> pd.DataFrame:
    """Query rows as a DataFrame, built column-wise (several times faster than from Row objects)."""
    result = connection.execute(query)
    names = list(result.keys())
    rows = result.fetchall()
    columns = zip(*rows, strict=True) if rows else ([] for _ in names)
    return pd.DataFrame(dict(zip(names, (list(c) for c in columns), strict=True)), columns=names)


# An export's identity hashes, loaded for one comparison with the ledger (`export_keys`).
EXPORT_KEYS = Table(
    "export_key",
    MetaData(),
    Column("key_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    prefixes=["TEMPORARY"],
)


def holds_postings(connection: Connection, fiscal_years: list[int] | None) -> bool:
    """Whether the ledger has any posting (of those years): if not, every key is new."""
    query = select(Posting.id).limit(1)
    if fiscal_years is not None:
        query = query.where(Posting.fiscal_year.in_(fiscal_years))
    return connection.execute(query).first() is not None


@contextmanager
def export_keys(connection: Connection, postings: pd.DataFrame) -> Iterator[Table]:
    """The export's key and content hashes as a temporary table, for the duration of the block.

    The ledger is then compared with the export inside the database, and only what differs
    comes back, instead of every current version being loaded into memory. The index is built
    after the rows are in, which sorts once instead of growing a B-tree in random key order.
    """
    EXPORT_KEYS.create(connection)
    bulk_insert(
        connection,
        EXPORT_KEYS.name,
        {
            "key_hash": postings["key_hash"].tolist(),
            "content_hash": postings["content_hash"].tolist(),
        },
    )
    connection.exec_driver_sql(
        f"CREATE INDEX ix_export_key_key_hash ON {EXPORT_KEYS.name} (key_hash)"
    )
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"ANALYZE {EXPORT_KEYS.name}")  # no autovacuum for temp tables
    yield EXPORT_KEYS
    EXPORT_KEYS.drop(connection)


def changed_versions(connection: Connection) -> pd.DataFrame:
    """key_hash, posting_id, version of every loaded export key whose current version in the
    ledger has other content (a correction), or with no posting at all (new; id and version
    <NA>). The keys not listed are duplicates of their current version."""
    keys = EXPORT_KEYS.c
    current = and_(Posting.key_hash == keys.key_hash, current_filter())
    query = (
        select(keys.key_hash, Posting.id.label("posting_id"), Posting.version)
        .select_from(EXPORT_KEYS.outerjoin(Posting, current))
        .where(or_(Posting.id.is_(None), Posting.content_hash != keys.content_hash))
    )
    return query_frame(connection, query).astype({"posting_id": "Int64", "version": "Int64"})


def missing_from_export(
    connection: Connection, months: Sequence[tuple[int, date, date]], examples: int
) -> tuple[int, pd.DataFrame]:
    """Current postings of the given booking months whose key is not among the loaded export
    keys: how many, and the first `examples` of them (oldest first).

    months: (fiscal_year, first day, first day of the next month) per month the export covers.
    """
    if not months:
        return 0, pd.DataFrame()
    in_months = or_(
        *(
            and_(
                Posting.fiscal_year == year,
                Posting.booking_date >= first,
                Posting.booking_date < end,
            )
            for year, first, end in months
        )
    )
    exported = exists().where(EXPORT_KEYS.c.key_hash == Posting.key_hash)
    query = (
        select(*_EXAMPLE_COLUMNS, func.count().over().label("missing"))
        .where(current_filter(), in_months, ~exported)
        .order_by(Posting.id)
        .limit(examples)
    )
    found = query_frame(connection, query)
    return (int(found["missing"].iloc[0]) if len(found) else 0), found.drop(columns="missing")


def missing_examples(connection: Connection, ids: Sequence[int]) -> pd.DataFrame:
    """The postings `missing_from_export` describes, for ids found otherwise, in id order."""
    query = select(*_EXAMPLE_COLUMNS).where(Posting.id.in_(ids)).order_by(Posting.id)
    return query_frame(connection, query)


# What an export comparison shows of a posting no longer in the export.
_EXAMPLE_COLUMNS = (
    Posting.fiscal_year,
    Posting.document_no,
    Posting.line_no,
    Posting.booking_date,
    Posting.account,
    Posting.amount_cents,
)


# A posting as the rest of the program sees it: its content and where it came from.
POSTING_COLUMNS: tuple[str, ...] = (
    "id",
    "fiscal_year",
    "document_no",
    "line_no",
    "booking_date",
    "account",
    "product",
    "cost_center",
    "order_no",
    "text",
    "amount_cents",
    "batch_id",
    "source_sheet",
    "source_row",
)


def current_postings(
    connection: Connection, fiscal_years: list[int] | None = None, columns: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Current postings with the requested model columns (POSTING_COLUMNS by default)."""
    names = columns or POSTING_COLUMNS
    query = select(*(getattr(Posting, n) for n in names)).where(current_filter())
    if fiscal_years is not None:
        query = query.where(Posting.fiscal_year.in_(fiscal_years))
    return query_frame(connection, query)
