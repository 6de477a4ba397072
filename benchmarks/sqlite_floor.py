"""The least that writing a ledger's postings costs in SQLite, with no importer work at all.

Run by import_postings.py as a reference step, after the import into an empty ledger:

    python benchmarks/sqlite_floor.py ledger SOURCE_DB TARGET_DB
    python benchmarks/sqlite_floor.py bare-table SOURCE_DB TARGET_DB

The postings of SOURCE_DB (an imported ledger) are loaded first, column-wise and ready to bind,
exactly as the importer hands them to the driver; only what follows is timed:

- `ledger`: one write transaction through the ledger's own engine and `bulk_insert` into TARGET_DB
  (an empty ledger made by `budget-monitor init`): the batch row, every posting, the commit, with
  the posting indexes built after the rows as the import builds them for a load into an empty
  ledger (`ledger.deferred_indexes`). This is the floor of any importer that keeps this schema
  (its indexes, unique and foreign keys).
- `bare-table`: the same rows into a table of the same columns with no index, key or constraint
  but the integer primary key, in a plain SQLite file with the same pragmas: SQLite's own floor.

Prints one JSON line: {"seconds": wall, "cpu_seconds": user + system, "postings": n}.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert

from ledger.bulk_insert import bulk_insert
from ledger.database import create_ledger_engine, write_transaction
from ledger.deferred_indexes import DeferredIndexes
from ledger.models import ImportBatch, Posting


def _load(source: Path) -> tuple[dict[str, object], dict[str, list[object]]]:
    with closing(sqlite3.connect(source)) as connection:
        connection.row_factory = sqlite3.Row
        first = connection.execute("SELECT * FROM import_batch ORDER BY id LIMIT 1").fetchone()
        batch = dict(first)
        cursor = connection.execute(
            "SELECT * FROM posting WHERE batch_id = ? ORDER BY id", (batch["id"],)
        )
        names = [d[0] for d in cursor.description]
        columns = dict(zip(names, map(list, zip(*cursor.fetchall(), strict=True)), strict=True))
    return batch, columns


def _into_ledger(target: Path, batch: dict[str, object], columns: dict[str, list[object]]) -> None:
    engine = create_ledger_engine(f"sqlite:///{target}")
    with write_transaction(engine) as connection:
        connection.execute(insert(ImportBatch), [_typed_batch(batch)])
        indexes = DeferredIndexes(connection, Posting.__table__)
        indexes.drop()
        bulk_insert(connection, "posting", columns)
        indexes.build()
    engine.dispose()


def _typed_batch(batch: dict[str, object]) -> dict[str, object]:
    """The batch row as SQLAlchemy binds it (date-times as objects, not SQLite's text)."""
    moments = {"started_at", "finished_at"}
    return {
        name: datetime.fromisoformat(str(value)) if name in moments else value
        for name, value in batch.items()
    }


def _into_bare_table(
    target: Path, _batch: dict[str, object], columns: dict[str, list[object]]
) -> None:
    connection = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "cache_size=-65536"):
        connection.execute(f"PRAGMA {pragma}")
    names = [name for name in columns if name != "id"]
    connection.execute(f"CREATE TABLE posting (id INTEGER PRIMARY KEY, {', '.join(names)})")
    connection.execute("BEGIN IMMEDIATE")
    placeholders = ", ".join("?" for _ in columns)
    connection.executemany(
        f"INSERT INTO posting ({', '.join(columns)}) VALUES ({placeholders})",
        zip(*columns.values(), strict=True),
    )
    connection.execute("COMMIT")
    connection.close()


_MODES: dict[str, Callable[[Path, dict[str, object], dict[str, list[object]]], None]] = {
    "ledger": _into_ledger,
    "bare-table": _into_bare_table,
}


def main() -> None:
    mode, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    batch, columns = _load(source)
    started, cpu = time.perf_counter(), os.times()
    _MODES[mode](target, batch, columns)
    seconds, after = time.perf_counter() - started, os.times()
    cpu_seconds = (after.user - cpu.user) + (after.system - cpu.system)
    postings = len(columns["id"])
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "postings": postings}))


if __name__ == "__main__":
    main()
