"""Write one parsed export into the ledger: new postings, corrections, duplicates.

One file, one transaction (see `ledger.database.write_transaction`): either every good row of the
file is in the ledger with its batch, or nothing is. Nothing is ever updated in place; a changed
posting under a known key becomes a new version that supersedes the old one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select

from imports.fingerprint import Fingerprint
from imports.postings import ParsedExport
from ledger.current_keys import compare_years
from ledger.database import write_transaction
from ledger.export_comparison import (
    EXAMPLES,
    ExportComparison,
    compare_with_ledger,
    month_totals,
)
from ledger.models import BatchMonthTotal, BatchReject, ImportBatch
from ledger.posting_batch import PostingBatch
from ledger.posting_queries import changed_versions, export_keys, holds_postings


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
        return imported_batch(connection, sha256)


def imported_batch(connection: Connection, sha256: str) -> KnownFile | None:
    """The batch that already imported these exact bytes, if any, as `connection` sees it."""
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
    counts = {
        "rows": earlier.rows,
        "imported": 0,
        "duplicates": earlier.rows - earlier.rejected,
        "corrections": 0,
        "rejected": earlier.rejected,
        "skipped": earlier.skipped,
        "total_cents": earlier.total_cents,
    }
    with write_transaction(engine) as connection:
        with PostingBatch(
            connection,
            print_=print_,
            profile=earlier.profile,
            os_user=os_user,
            started=started,
            same_as=earlier.id,
        ) as batch:
            batch.close("unchanged", counts)
        batch_id = batch.id
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
            earlier = imported_batch(connection, parsed.fingerprint.sha256)
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
    with PostingBatch(
        connection,
        print_=parsed.fingerprint,
        profile=parsed.profile.name,
        os_user=os_user,
        started=started,
        same_as=earlier.id,
    ) as batch:
        counts = batch_counts(parsed, imported=0, duplicates=duplicates, corrections=0)
        batch.close("unchanged", counts)
    return batch.id, "unchanged", 0, duplicates, 0, earlier.id, None


def batch_counts(
    parsed: ParsedExport, *, imported: int, duplicates: int, corrections: int
) -> dict[str, int]:
    """The counts a batch of `parsed` records (and seals)."""
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
    counts = batch_counts(
        parsed,
        imported=imported,
        duplicates=len(postings) - len(new_rows) + parsed.duplicates_in_file,
        corrections=corrections,
    )
    new_rows["version"] = new_rows["version"].fillna(0).astype("int64") + 1
    new_rows["supersedes_id"] = new_rows["posting_id"]
    with PostingBatch(
        connection,
        print_=parsed.fingerprint,
        profile=parsed.profile.name,
        os_user=os_user,
        started=started,
        adding=len(new_rows),
    ) as batch:
        batch.append(new_rows)
        return close_batch(connection, batch, parsed, counts, totals, comparison)


def close_batch(
    connection: Connection,
    batch: PostingBatch,
    parsed: ParsedExport,
    counts: dict[str, int],
    totals: pd.DataFrame,
    comparison: ExportComparison,
) -> StoreOutcome:
    """Seal `batch` (its postings appended) with `parsed`'s counts, month totals and rejects."""
    status = "partial" if parsed.errors else "imported"
    batch.close(status, counts)
    if len(totals):
        connection.execute(
            insert(BatchMonthTotal),
            [{"batch_id": batch.id, **row} for row in totals.to_dict(orient="records")],
        )
    if parsed.errors:
        connection.execute(
            insert(BatchReject),
            [
                {
                    "batch_id": batch.id,
                    "sheet": e.sheet,
                    "row": e.row,
                    "column": e.column,
                    "message": e.message,
                }
                for e in parsed.errors
            ],
        )
    return StoreOutcome(
        batch=batch.id,
        status=status,
        imported=counts["imported"],
        duplicates=counts["duplicates"],
        corrections=counts["corrections"],
        same_as_batch=None,
        comparison=comparison,
    )
