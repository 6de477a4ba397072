"""The derived allocation table: tagging and district cents of every current spending posting.

Not evidence. Every row can be computed again from the postings (sealed by the hash chain) and
the catalog in force (`ledger.tagging`), and `ledger.derived_allocation` does exactly that
whenever the key in `allocation_cache` no longer matches the ledger. It exists so that `spend`
is one SQL aggregate and `trace` one indexed query over millions of postings, instead of tagging
every posting again on each read. A write to these tables outside the program trips the wire
(`ledger.trip_wire`), whose trigger deletes the key; `verify` compares them with their
recomputation (`ledger.derived_verification`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base


class PostingAllocation(Base):
    """The cents of one current spending posting that reach one district, or no district.

    A posting has one row per district its measure's shares reach on its booking date (seq 0,
    1, … in district order); a posting without a measure, of a measure without a valid share,
    or claimed by two measures (`ambiguous`) has one row with district NULL carrying its whole
    amount. So the rows of a posting sum to its amount_cents, and the rows of a period sum to
    its total spending. allocated_cents: signed, debit positive, like `Posting.amount_cents`.
    share: the catalog's exact decimal text; booking_date: copied from the posting, so that a
    period is one index range.
    """

    __tablename__ = "posting_allocation"
    __table_args__ = (
        # Covers `spend`: a period is a range, district and measure sums need no table access.
        Index(
            "ix_posting_allocation_day",
            "booking_date",
            "district",
            "measure",
            "allocated_cents",
        ),
        # `trace` of one district and period.
        Index("ix_posting_allocation_district_day", "district", "booking_date"),
    )

    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    booking_date: Mapped[date] = mapped_column(Date)
    measure: Mapped[str | None] = mapped_column(String(50))
    district: Mapped[str | None] = mapped_column(String(50))
    share: Mapped[str | None] = mapped_column(String(30))
    allocated_cents: Mapped[int] = mapped_column(BigInteger)
    ambiguous: Mapped[bool] = mapped_column(Boolean)


class AllocationMonth(Base):
    """`posting_allocation` summed per calendar month, district and measure (NULL as there).

    `spend` of a year adds up twelve months of these (a few thousand rows) instead of a million
    allocation rows; only the days of a partial month at either end of a period are read from
    `posting_allocation`. month: the first day of the month. Kept in step by
    `ledger.derived_allocation`, which recomputes the months whose allocation rows changed.
    """

    __tablename__ = "allocation_month"
    __table_args__ = (Index("ix_allocation_month_month", "month", "district", "measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    district: Mapped[str | None] = mapped_column(String(50))
    measure: Mapped[str | None] = mapped_column(String(50))
    allocated_cents: Mapped[int] = mapped_column(BigInteger)


class UnattributedMonth(Base):
    """The `posting_allocation` rows without district summed per calendar month, field and code:
    for each of account, product, cost_center and measure (`field`) the cents of each code, apart
    for postings of a measure without allocation (`with_measure`) and postings without measure.

    `spend` says what its unattributed amount is (`ledger.unattributed`); over millions of
    postings that would join every unattributed row of the period with its posting. Per field,
    not per combination: a month has as many rows as codes, however many postings. Kept in step
    with `allocation_month` by `ledger.allocation_months.summarise_months`. code: NULL where the
    posting leaves the field empty (for measure: no measure); allocated_cents: signed, debit
    positive; month: the first day of the month.
    """

    __tablename__ = "unattributed_month"
    __table_args__ = (Index("ix_unattributed_month_month", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    field: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(50))
    with_measure: Mapped[bool] = mapped_column(Boolean)
    allocated_cents: Mapped[int] = mapped_column(BigInteger)
    postings: Mapped[int] = mapped_column(Integer)


class AllocationCache(Base):
    """The key of `posting_allocation` (one row): what its figures were computed for.

    catalog_import_id: the measures import in force (NULL: no catalog yet); spending_accounts:
    the account patterns joined by newlines; last_posting_id / last_batch_id: the ledger head
    the rows cover; ambiguous: postings two measures claim (while any exist, reads compute on
    the fly, which names them exactly as before). Deleting this row forces a rebuild.
    """

    __tablename__ = "allocation_cache"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    catalog_import_id: Mapped[int | None] = mapped_column(ForeignKey("master_import.id"))
    spending_accounts: Mapped[str] = mapped_column(String(1000))
    last_posting_id: Mapped[int] = mapped_column(Integer)
    last_batch_id: Mapped[int] = mapped_column(Integer)
    ambiguous: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
