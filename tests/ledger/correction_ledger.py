"""A small ledger with one correction, for the migration tests that rebuild the posting table."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from ledger.allocation_models import PostingAllocation
from ledger.database import create_ledger_engine
from ledger.models import Posting
from tests.conftest import Monitor
from tests.exports import journal_rows, write_xlsx


def ledger_with_a_correction(monitor: Monitor, tmp_path: Path) -> Engine:
    """Two postings imported, then the second corrected by a later export: three versions."""
    lines = [
        (1, 1, "15.01.2024", "501100", "10,00", "a"),
        (2, 1, "16.01.2024", "501100", "20,00", "b"),
    ]
    first = write_xlsx(tmp_path / "a.xlsx", journal_rows(lines))
    corrected = [lines[0], (2, 1, "16.01.2024", "501100", "25,00", "b")]
    second = write_xlsx(tmp_path / "b.xlsx", journal_rows(corrected))
    monitor.json("import", "postings", str(first))
    assert monitor.json("import", "postings", str(second))["corrections"] == 1
    return create_ledger_engine(monitor.database_url)


def posting_versions(engine: Engine) -> list[tuple[object, ...]]:
    """(id, version, supersedes_id, chain_hash) of every posting, in id order."""
    with engine.connect() as connection:
        columns = (Posting.id, Posting.version, Posting.supersedes_id, Posting.chain_hash)
        return [tuple(r) for r in connection.execute(select(*columns).order_by(Posting.id))]


def derived_rows(engine: Engine) -> int:
    """How many rows the derived allocation table holds."""
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(PostingAllocation)).scalar_one()
