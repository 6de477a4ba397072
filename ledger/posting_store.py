"""Write one parsed export into the ledger: new postings, corrections, duplicates.

One file, one transaction (see `ledger.database.write_transaction`): either every good row of the
file is in the ledger with its batch, or nothing is. Nothing is ever updated in place; a changed
posting under a known key becomes a new version that supersedes the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, text, update

from imports.fingerprint import Fingerprint
from imports.postings import ParsedExport
from imports.record_text import iso_days
from ledger.current_keys import compare_years
from ledger.database import write_transaction
from ledger.export_comparison import (
    EXAMPLES,
    ExportComparison,
    compare_with_ledger,
    month_totals,
)
from ledger.integrity import batch_seal, posting_chain
from ledger.models import BatchMonthTotal, BatchReject, ImportBatch
from ledger.posting_queries import changed_versions, export_keys, holds_postings, ledger_head
from ledger.slice_writer import SliceWriter

# Posting rows chained and inserted at a time (see _insert_batch).
_SLICE = 100_000


@dataclass(frozen=True)
class KnownFile:
    """An earlier batch that imported the same bytes."""

    id: int
    profile: str
    rows: int
    rejected: int
    skipped: int
    total_cents: int


@dataclass(frozen=True)
class StoreOutcome:
    """What an import did (or, for a dry run, would do)."""

    batch: int | None
    status: str
    imported: int
    duplicates: int
    corrections: int
    same_as_batch: int | None
    comparison: ExportComparison | None


class _DryRunFinished(Exception):
    def __init__(self, outcome: StoreOutcome) -> None:
        self.outcome = outcome


def find_imported_file(engine: Engine, sha256: str) -> KnownFile | None:
    """The batch that already imported these exact bytes, if any."""
    with engine.connect() as connection:
        return _imported_batch(connection, sha256)


def _imported_batch(connection: Connection, sha256: str) -> KnownFile | None:
    row = connection.execute(
        select(
            ImportBatch.id,
            ImportBatch.profile,
            ImportBatch.rows,
            ImportBatch.rejected,
            ImportBatch.skipped,
            ImportBatch.total_cents,
        )
        .where(ImportBatch.sha256 == sha256, ImportBatch.status.in_(("imported", "partial")))
        .order_by(ImportBatch.id)
        .limit(1)
    ).first()
    return None if row is None else KnownFile(*row)


def record_unchanged(
    engine: Engine, print_: Fingerprint, earlier: KnownFile, os_user: str, started: datetime
) -> StoreOutcome:
    """Log a repeated import of identical bytes: nothing new, every row a duplicate."""
    with write_transaction(engine) as connection:
        batch_id = _insert_batch(
            connection,
            print_=print_,
            profile=earlier.profile,
            os_user=os_user,
            started=started,
            status="unchanged",
            counts={
                "rows": earlier.rows,
                "imported": 0,
                "duplicates": earlier.rows - earlier.rejected,
                "corrections": 0,
                "rejected": earlier.rejected,
                "skipped": earlier.skipped,
                "total_cents": earlier.total_cents,
            },
            same_as=earlier.id,
        )
    return StoreOutcome(
        batch_id, "unchanged", 0, earlier.rows - earlier.rejected, 0, earlier.id, None
    )


def store_export(
    engine: Engine,
    parsed: ParsedExport,
    *,
    os_user: str,
    started: datetime,
    accept_partial: bool = False,
    dry_run: bool = False,
) -> StoreOutcome:
    """Insert what is new in `parsed`; with rejects, only under `accept_partial`."""
    if parsed.errors and not accept_partial and not dry_run:
        raise ValueError("a file with rejected rows is stored only with accept_partial")
    try:
        with write_transaction(engine) as connection:
            earlier = _imported_batch(connection, parsed.fingerprint.sha256)
            if earlier is not None and not dry_run:
                # Another process imported the same bytes while we were parsing.
                return StoreOutcome(*_unchanged_in(connection, parsed, earlier, os_user, started))
            outcome = _store(connection, parsed, os_user=os_user, started=started)
            if dry_run:
                raise _DryRunFinished(outcome)
            return outcome
    except _DryRunFinished as finished:
        return finished.outcome


def _unchanged_in(
    connection: Connection,
    parsed: ParsedExport,
    earlier: KnownFile,
    os_user: str,
    started: datetime,
) -> tuple[int, str, int, int, int, int, None]:
    duplicates = len(parsed.postings) + parsed.duplicates_in_file
    batch_id = _insert_batch(
        connection,
        print_=parsed.fingerprint,
        profile=parsed.profile.name,
        os_user=os_user,
        started=started,
        status="unchanged",
        counts=_counts(parsed, imported=0, duplicates=duplicates, corrections=0),
        same_as=earlier.id,
    )
    return batch_id, "unchanged", 0, duplicates, 0, earlier.id, None


def _counts(
    parsed: ParsedExport, *, imported: int, duplicates: int, corrections: int
) -> dict[str, int]:
    return {
        "rows": parsed.rows,
        "imported": imported,
        "duplicates": duplicates,
        "corrections": corrections,
        "rejected": len({e.row for e in parsed.errors}),
        "skipped": parsed.skipped,
        "total_cents": parsed.total_cents,
    }


def _store(
    connection: Connection, parsed: ParsedExport, *, os_user: str, started: datetime
) -> StoreOutcome:
    postings = parsed.postings
    years = sorted(int(y) for y in postings["fiscal_year"].unique())
    restrict = years if "fiscal_year" in parsed.profile.key else None
    totals = month_totals(postings)
    if not holds_postings(connection, restrict):
        missing = pd.array([pd.NA] * len(postings), dtype="Int64")
        new_rows = postings.assign(posting_id=missing, version=missing)
        comparison = compare_with_ledger(connection, postings, totals, keys_loaded=False)
    else:
        if restrict is not None:
            # The key holds the fiscal year: the export's keys are among its years' postings.
            years = compare_years(connection, restrict, postings, totals, EXAMPLES)
            changed = years.changed
            comparison = compare_with_ledger(
                connection, postings, totals, False, current=years, changed_keys=changed["key_hash"]
            )
        else:
            with export_keys(connection, postings):
                changed = changed_versions(connection)
                comparison = compare_with_ledger(
                    connection, postings, totals, True, changed_keys=changed["key_hash"]
                )
        # An inner merge keeps the export's row order, which the new ids follow.
        new_rows = postings.merge(changed, how="inner", on="key_hash")
    known = new_rows["posting_id"].notna()
    corrections = int(known.sum())
    imported = len(new_rows) - corrections
    counts = _counts(
        parsed,
        imported=imported,
        duplicates=len(postings) - len(new_rows) + parsed.duplicates_in_file,
        corrections=corrections,
    )
    status = "partial" if parsed.errors else "imported"
    new_rows["version"] = new_rows["version"].fillna(0).astype("int64") + 1
    new_rows["supersedes_id"] = new_rows["posting_id"]
    batch_id = _insert_batch(
        connection,
        print_=parsed.fingerprint,
        profile=parsed.profile.name,
        os_user=os_user,
        started=started,
        status=status,
        counts=counts,
        same_as=None,
        rows=new_rows,
    )
    if len(totals):
        connection.execute(
            insert(BatchMonthTotal),
            [{"batch_id": batch_id, **row} for row in totals.to_dict(orient="records")],
        )
    if parsed.errors:
        connection.execute(
            insert(BatchReject),
            [
                {
                    "batch_id": batch_id,
                    "sheet": e.sheet,
                    "row": e.row,
                    "column": e.column,
                    "message": e.message,
                }
                for e in parsed.errors
            ],
        )
    return StoreOutcome(
        batch=batch_id,
        status=status,
        imported=counts["imported"],
        duplicates=counts["duplicates"],
        corrections=counts["corrections"],
        same_as_batch=None,
        comparison=comparison,
    )


def _insert_batch(
    connection: Connection,
    *,
    print_: Fingerprint,
    profile: str,
    os_user: str,
    started: datetime,
    status: str,
    counts: dict[str, int],
    same_as: int | None,
    rows: pd.DataFrame | None = None,
) -> int:
    """Append a batch and its posting rows, sealed into the hash chain.

    Ids are assigned here rather than by the database because they are part of what the chain
    seals; imports are serialised (write_transaction), so max(id) + 1 cannot collide.
    """
    head = ledger_head(connection)
    batch = {
        "id": head.batch_id + 1,
        "file_name": print_.name,
        "file_size": print_.size,
        "sha256": print_.sha256,
        "profile": profile,
        "os_user": os_user,
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "status": status,
        "same_as_batch_id": same_as,
        **counts,
    }
    # The batch row goes first (the postings' foreign key needs it), and its chain end and seal
    # are written at the end of the same transaction, once known. The rows go in slices (the
    # chain's text forms of a million rows at once would take more memory than the rest of the
    # import); a slice's columns and chain links are prepared while a writer thread inserts the
    # slice before (ledger.slice_writer).
    batch["postings"], batch["seal"] = 0, ""
    connection.execute(insert(ImportBatch), [batch])
    previous, count = head.chain, 0
    if rows is not None and len(rows):
        with SliceWriter(connection, "posting") as writer:
            for i in range(0, len(rows), _SLICE):
                part = rows.iloc[i : i + _SLICE]
                columns = _posting_columns(batch["id"], head.posting_id + count, part)
                chain = posting_chain(columns, previous)
                writer.put({**columns, "chain_hash": chain})
                previous, count = chain[-1], count + len(part)
    batch["postings"] = count
    batch["seal"] = batch_seal(batch, head.seal, previous, count)
    connection.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch["id"])
        .values(postings=count, seal=batch["seal"])
    )
    if count and connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('posting', 'id'), :last)"),
            {"last": head.posting_id + count},
        )
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('import_batch', 'id'), :last)"),
            {"last": batch["id"]},
        )
    return int(batch["id"])


def _posting_columns(batch_id: int, last_id: int, rows: pd.DataFrame) -> dict[str, list[object]]:
    """Plain Python values per column (what the chain hashes is exactly what is stored).

    Dates are ISO text, as SQLAlchemy's Date stores them in SQLite and as COPY reads them: that
    spares the driver's per-row date adapter, and the chain's text form of a date is ISO."""

    def whole(column: pd.Series) -> list[int | None]:
        numbers = column.astype("Int64")
        if not numbers.hasnans:
            return numbers.astype("int64").tolist()
        return numbers.astype(object).where(numbers.notna(), None).tolist()

    def text_or_none(column: pd.Series) -> list[str | None]:
        return column.astype(object).where(column.notna(), None).tolist()

    columns: dict[str, list[object]] = {
        "id": list(range(last_id + 1, last_id + 1 + len(rows))),
        "batch_id": [batch_id] * len(rows),
        "key_hash": rows["key_hash"].tolist(),
        "version": whole(rows["version"]),
        "supersedes_id": whole(rows["supersedes_id"]),
        "fiscal_year": whole(rows["fiscal_year"]),
        "document_no": text_or_none(rows["document_no"]),
        "line_no": whole(rows["line_no"]),
        "booking_date": iso_days(rows["booking_date"]),
        "account": text_or_none(rows["account"]),
        "product": text_or_none(rows["product"]),
        "cost_center": text_or_none(rows["cost_center"]),
        "order_no": text_or_none(rows["order"]),
        "text": text_or_none(rows["text"]),
        "amount_cents": whole(rows["amount_cents"]),
        "debit_credit": text_or_none(rows["debit_credit"]),
        "source_sheet": rows["sheet"].tolist(),
        "source_row": whole(rows["row"]),
        "content_hash": rows["content_hash"].tolist(),
    }
    return columns
