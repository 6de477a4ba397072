"""Master data: districts, population, indicators, the measure catalog and the budget plan.

Every import is a row of `master_import` (who, when, which file: the audit log of master-data
changes) and its rows point at it. Nothing is overwritten: the district list and the measure
catalog are snapshots (the newest import of that kind is in force), while population, indicator
values and plan amounts accumulate, a later import's value for the same key superseding an
earlier one. `--as-of` simply ignores imports after the named one. Boundaries and grid cells
(`ledger.geo_models`), places of help (`ledger.facility_models`) and the price index
(`PriceIndex`) are four more kinds; a boundaries import that creates districts writes the whole
new district list too, so the district list in force is the newest import that wrote one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base

MASTER_KINDS = (
    "districts",
    "indicators",
    "measures",
    "plan",
    "boundaries",
    "grid",
    "prices",
    "facilities",
)


class MasterImport(Base):
    __tablename__ = "master_import"
    __table_args__ = (CheckConstraint(f"kind IN {MASTER_KINDS!r}", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    os_user: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)  # JSON: counts, ignored columns, warnings
    # Hash chain (ledger.master_seal): the newest batch when written, the rows sealed, the seal.
    after_batch: Mapped[int] = mapped_column(Integer)
    sealed_rows: Mapped[int] = mapped_column(Integer)
    seal: Mapped[str] = mapped_column(String(64))


def _import_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("master_import.id"), primary_key=True)


def row_hash_column() -> Mapped[str]:
    """sha256 of the row's text (ledger.master_seal.row_hash), sealed by its import."""
    return mapped_column(String(64))


class District(Base):
    __tablename__ = "district"

    import_id: Mapped[int] = _import_fk()
    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    row_hash: Mapped[str] = row_hash_column()


class Population(Base):
    """Inhabitants of a district in a period ("2024", or an indicator file's period)."""

    __tablename__ = "population"

    import_id: Mapped[int] = _import_fk()
    district: Mapped[str] = mapped_column(String(50), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    population: Mapped[int] = mapped_column(Integer)
    row_hash: Mapped[str] = row_hash_column()


class IndicatorValue(Base):
    """One indicator value; NULL value = missing (never zero)."""

    __tablename__ = "indicator_value"

    import_id: Mapped[int] = _import_fk()
    district: Mapped[str] = mapped_column(String(50), primary_key=True)
    indicator: Mapped[str] = mapped_column(String(100), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[float | None] = mapped_column(Float)
    row_hash: Mapped[str] = row_hash_column()


class Measure(Base):
    """A measure of the catalog with the rules that find its postings (text as written:
    comma-separated alternatives, a trailing * for a prefix)."""

    __tablename__ = "measure"

    import_id: Mapped[int] = _import_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(300))
    program: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    cost_center: Mapped[str | None] = mapped_column(String(500))
    product: Mapped[str | None] = mapped_column(String(500))
    account: Mapped[str | None] = mapped_column(String(500))
    order_no: Mapped[str | None] = mapped_column(String(500))
    row_hash: Mapped[str] = row_hash_column()


class Allocation(Base):
    """Share of a measure's spending that reaches a district, valid over a date window.
    share: exact decimal text ("0.5"), because it decides cents."""

    __tablename__ = "allocation"

    import_id: Mapped[int] = _import_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(String(50))
    district: Mapped[str] = mapped_column(String(50))
    share: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    basis: Mapped[str | None] = mapped_column(String(300))
    row_hash: Mapped[str] = row_hash_column()


class PlanAmount(Base):
    """Budgeted amount (Haushaltsansatz) per measure or product and year, in cents."""

    __tablename__ = "plan_amount"
    __table_args__ = (CheckConstraint("measure IS NOT NULL OR product IS NOT NULL", name="target"),)

    import_id: Mapped[int] = _import_fk()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str | None] = mapped_column(String(50))
    product: Mapped[str | None] = mapped_column(String(50))
    year: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    row_hash: Mapped[str] = row_hash_column()


class PriceIndex(Base):
    """A price index per year (the consumer price index, Destatis 61111), to show money in
    constant prices. `level` is the published figure as exact decimal text (`95.0`), `unit` its
    base as published (`2020=100`). Accumulates like plan amounts: a later import's value for
    the same series and year supersedes an earlier one."""

    __tablename__ = "price_index"

    import_id: Mapped[int] = _import_fk()
    series: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(30))
    unit: Mapped[str] = mapped_column(String(30))
    row_hash: Mapped[str] = row_hash_column()


class ReportRun(Base):
    """One committee report built: what it covered, where it went, and the ledger state it saw.

    The state (last_posting_id, last_master_import_id, last_batch_id: `LedgerBound`) is what
    the report was computed from, so the next report can say what changed since, and
    `report --rerun` can compute the same numbers again after later imports. ledger_head: the
    seal of batch last_batch_id. sidecar: the JSON file beside the PDF with every number of the
    report. settings_digest: sha256 of the settings in force (a rerun under other settings is
    flagged). rerun_of: the run this one reproduces (NULL for a report of the ledger as it was).
    settings: the settings in force as JSON ({"base_dir": …, "settings": …}; the latter with
    keys sorted is the text whose sha256 is settings_digest), which a rerun uses
    (`monitor.recorded_settings`).
    Runs before revision 0006 have no sidecar, digest or rerun_of; their last_batch_id was
    found from ledger_head; runs before 0013 have no settings.
    """

    __tablename__ = "report_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(10))
    lang: Mapped[str] = mapped_column(String(5))
    file: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_posting_id: Mapped[int] = mapped_column(Integer)
    last_master_import_id: Mapped[int] = mapped_column(Integer)
    ledger_head: Mapped[str] = mapped_column(String(64))
    last_batch_id: Mapped[int | None] = mapped_column(Integer)
    settings_digest: Mapped[str | None] = mapped_column(String(64))
    sidecar: Mapped[str | None] = mapped_column(String(1000))
    rerun_of: Mapped[int | None] = mapped_column(ForeignKey("report_run.id"))
    settings: Mapped[str | None] = mapped_column(Text)
