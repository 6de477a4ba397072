"""The least that writing a ledger's postings costs in PostgreSQL: COPY of ready-made rows.

Run by import_postings.py as a reference step, after the import into an empty PostgreSQL ledger:

    python -m benchmarks.postgres_floor SOURCE_URL TARGET_URL

The postings of the first batch of SOURCE_URL (an imported ledger) are loaded first, column-wise
and ready to bind, exactly as the importer hands them to the driver; only what follows is timed:
one write transaction through the ledger's own engine and `bulk_insert` (COPY) into TARGET_URL
(an empty ledger made by `budget-monitor init`): the batch row, every posting, the commit. With
the time of a bare read of the file added, this is what issue 19 compares the PostgreSQL import
with. CPU seconds are this client's only (the server's work shows in the wall time).

Prints one JSON line: {"seconds": wall, "cpu_seconds": user + system, "postings": n}.
"""

from __future__ import annotations

import json
import os
import sys
import time

from sqlalchemy import insert, select

from ledger.bulk_insert import bulk_insert
from ledger.database import create_ledger_engine, write_transaction
from ledger.models import ImportBatch, Posting


def _load(source: str) -> tuple[dict[str, object], dict[str, list[object]]]:
    engine = create_ledger_engine(source)
    with engine.connect() as connection:
        batch = dict(
            connection.execute(select(ImportBatch).order_by(ImportBatch.id).limit(1))
            .mappings()
            .one()
        )
        result = connection.execute(
            select(Posting.__table__).where(Posting.batch_id == batch["id"]).order_by(Posting.id)
        )
        names = list(result.keys())
        rows = result.all()
    engine.dispose()
    columns = dict(zip(names, map(list, zip(*rows, strict=True)), strict=True))
    return batch, columns


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    batch, columns = _load(source)
    engine = create_ledger_engine(target)
    started, cpu = time.perf_counter(), os.times()
    with write_transaction(engine) as connection:
        connection.execute(insert(ImportBatch), [batch])
        bulk_insert(connection, "posting", columns)
    seconds, after = time.perf_counter() - started, os.times()
    engine.dispose()
    cpu_seconds = (after.user - cpu.user) + (after.system - cpu.system)
    print(
        json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "postings": len(columns["id"])})
    )


if __name__ == "__main__":
    main()
