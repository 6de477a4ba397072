"""The ledger's tables as SQLAlchemy 2.0 typed models.

Postings are append-only: a correction is a new row whose `supersedes_id` points at the version it
replaces, so an auditor can always see what a figure was before. Constraints live in the database,
not only in Python, so a second writer (or a hand-edited row) cannot break them silently.
Money is stored as integer cents (BIGINT): exact, and summable by the database.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BATCH_STATUSES = ("imported", "partial", "unchanged")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ImportBatch(Base):
    """One file brought into the ledger, with everything needed to recognise it again."""

    __tablename__ = "import_batch"
    __table_args__ = (
        CheckConstraint(f"status IN {BATCH_STATUSES!r}", name="status"),
        CheckConstraint("imported >= 0 AND duplicates >= 0 AND corrections >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    profile: Mapped[str] = mapped_column(String(100))
    os_user: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))
    rows: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    corrections: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(BigInteger)
    # For status "unchanged": the batch that already holds this file's postings.
    same_as_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    # Hash chain (ledger.integrity): posting rows this batch sealed, and the seal itself.
    postings: Mapped[int] = mapped_column(Integer)
    seal: Mapped[str] = mapped_column(String(64))


class BatchReject(Base):
    """A row the importer refused, kept with a partial batch (`--accept-partial`)."""

    __tablename__ = "batch_reject"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    sheet: Mapped[str] = mapped_column(String(200))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)


class BatchMonthTotal(Base):
    """Signed total per booking month of one export, to spot changed months in the next export."""

    __tablename__ = "batch_month_total"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2024-03"
    rows: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(BigInteger)


class Posting(Base):
    """One version of one posting line.

    amount_cents: signed, debit (Soll) positive, credit (Haben) negative.
    key_hash: sha256 of the profile's key fields; versions of one posting share it.
    content_hash: sha256 of the canonical content; equal hashes under one key are duplicates.
    """

    __tablename__ = "posting"
    __table_args__ = (
        # A unique index rather than a constraint, so that a large load can build it after its
        # rows (ledger.deferred_indexes, migration 0019).
        Index("uq_posting_key_version", "key_hash", "version", unique=True),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "(version = 1 AND supersedes_id IS NULL)"
            " OR (version > 1 AND supersedes_id IS NOT NULL)",
            name="version_chain",
        ),
        Index("ix_posting_fiscal_year_booking_date", "fiscal_year", "booking_date"),
        # A version is superseded at most once; only corrections have a supersedes_id, so the
        # index holds just those (migration 0009).
        Index(
            "uq_posting_supersedes_id",
            "supersedes_id",
            unique=True,
            sqlite_where=text("supersedes_id IS NOT NULL"),
            postgresql_where=text("supersedes_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    # Unique: one version can be superseded only once, even by two imports racing each other.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("posting.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    document_no: Mapped[str | None] = mapped_column(String(100))
    line_no: Mapped[int | None] = mapped_column(Integer)
    booking_date: Mapped[date] = mapped_column(Date)
    account: Mapped[str] = mapped_column(String(50), index=True)
    product: Mapped[str | None] = mapped_column(String(50))
    cost_center: Mapped[str | None] = mapped_column(String(50))
    order_no: Mapped[str | None] = mapped_column(String(50))
    text: Mapped[str | None] = mapped_column(Text)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    debit_credit: Mapped[str | None] = mapped_column(String(10))
    source_sheet: Mapped[str] = mapped_column(String(200))
    source_row: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    chain_hash: Mapped[str] = mapped_column(String(64))


class ChainCheck(Base):
    """How far the hash chain was last verified (one row), so that the figure commands check
    only what was added since (`ledger.verification`).

    batch_id, seal: the newest batch then and its stored seal; posting_id, chain_hash: the
    newest posting then and its stored chain hash; postings: how many postings up to it.
    verified_at: the last verification, full or incremental; full_at: the last full one.
    master_import_id, master_seal: the newest master import then and its stored seal; the
    figure commands re-hash only the master data imported after it, unless the trip wire
    (`ledger.trip_wire`) counted writes to master data outside the program.
    Not evidence: a row edited by hand can only make a later check start at the wrong place,
    which `verify` (always full) does not read.
    """

    __tablename__ = "chain_check"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    batch_id: Mapped[int] = mapped_column(Integer)
    seal: Mapped[str] = mapped_column(String(64))
    posting_id: Mapped[int] = mapped_column(Integer)
    chain_hash: Mapped[str] = mapped_column(String(64))
    postings: Mapped[int] = mapped_column(Integer)
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    full_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    master_import_id: Mapped[int] = mapped_column(Integer, server_default="0")
    master_seal: Mapped[str] = mapped_column(String(64), server_default="")
