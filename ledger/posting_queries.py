"""Read postings out of the ledger as DataFrames (callers never see ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Select, exists, select
from sqlalchemy.orm import aliased

from ledger.integrity import GENESIS
from ledger.models import ImportBatch, Posting


@dataclass(frozen=True)
class LedgerHead:
    """The end of the hash chain: where the next batch and posting continue."""

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
    return LedgerHead(
        batch_id=batch[0] if batch else 0,
        seal=batch[1] if batch else GENESIS,
        posting_id=posting[0] if posting else 0,
        chain=posting[1] if posting else GENESIS,
    )


def current_filter() -> object:
    """A posting version is current when no later version supersedes it."""
    newer = aliased(Posting)
    return ~exists().where(newer.supersedes_id == Posting.id)


def _frame(connection: Connection, query: Select) -> pd.DataFrame:
    result = connection.execute(query)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def current_versions(connection: Connection, fiscal_years: list[int] | None) -> pd.DataFrame:
    """key_hash, posting_id, version, content_hash of every current posting (of those years)."""
    query = select(
        Posting.key_hash,
        Posting.id.label("posting_id"),
        Posting.version,
        Posting.content_hash,
    ).where(current_filter())
    if fiscal_years is not None:
        query = query.where(Posting.fiscal_year.in_(fiscal_years))
    return _frame(connection, query)


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
    return _frame(connection, query)
