"""The anchor file: every new head of the ledger, appended to a text file outside the database.

One line per import: `HEAD  TIME  WHAT` (the head as `verify` prints it, UTC time, "batch 7" or
"master import 3"). An operator can copy the file to another machine or print it; `verify` and
the figure commands check that the ledger extends the last head in it. The file is only ever
appended to; lines that are empty or start with `#` are notes and skipped.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select

from ledger.integrity import GENESIS
from ledger.master_models import MasterImport
from ledger.models import ImportBatch


def seal_of(connection: Connection, *, batch: int | None = None, master: int | None = None) -> str:
    """The stored seal of one batch or one master import: the head right after it was written."""
    if batch is not None:
        return connection.execute(select(ImportBatch.seal).where(ImportBatch.id == batch)).scalar()
    return connection.execute(select(MasterImport.seal).where(MasterImport.id == master)).scalar()


def seal_at(connection: Connection, batch_id: int, master_import_id: int) -> str:
    """The ledger's head when batch `batch_id` and master import `master_import_id` were the
    newest (a `LedgerBound`): the later of the two seals in the ledger's one sequence."""
    master = connection.execute(
        select(MasterImport.after_batch, MasterImport.seal).where(
            MasterImport.id == master_import_id
        )
    ).first()
    if master is not None and master.after_batch >= batch_id:
        return master.seal
    if batch_id == 0:
        return GENESIS
    return seal_of(connection, batch=batch_id)


def append_head(path: Path, head: str, what: str) -> None:
    """Append one head, flushed to the disk before returning (an import that says it is done
    has its head outside the database)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = f"{head}  {datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}  {what}\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def last_head(path: Path) -> str | None:
    """The newest head in the file; None where the file does not exist or holds none yet."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        text = line.strip()
        if text and not text.startswith("#"):
            return text.split()[0]
    return None
