"""One file, one transaction: postings are written in slices, and a failure in a later slice,
after earlier slices were written, takes them all back (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

import ledger.posting_store
from imports.postings import parse_postings
from imports.profile import builtin_profiles
from ledger.bulk_insert import bulk_insert
from ledger.database import create_ledger_engine
from ledger.models import Posting
from ledger.posting_store import store_export
from ledger.schema import ensure_schema
from tests.exports import journal_rows, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows


class SliceFailed(Exception):
    """Raised by the test's insert of the second slice."""


def _export(tmp_path: Path, name: str, documents: range) -> Path:
    lines = [(d, 1, "15.01.2024", "501100", f"{d},00", f"Posten {d}") for d in documents]
    rows = journal_rows(lines)
    rows[0] = [f"Buchungsjournal 2024 ({name})"]
    return write_xlsx(tmp_path / name, rows)


def test_failure_in_a_later_slice_leaves_no_trace_of_the_earlier_ones(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    profiles = builtin_profiles()
    store_export(
        engine,
        parse_postings(_export(tmp_path, "first.xlsx", range(1, 4)), profiles),
        os_user="test",
        started=datetime.now(UTC),
    )
    before = ledger_rows(database_url)
    written_before_failure: list[int] = []

    def fail_on_second_slice(
        connection: Connection, table: str, columns: Mapping[str, Sequence[object]]
    ) -> None:
        if written_before_failure:
            raise SliceFailed
        bulk_insert(connection, table, columns)
        count = select(func.count()).select_from(Posting)
        written_before_failure.append(connection.execute(count).scalar_one())

    monkeypatch.setattr(ledger.posting_store, "_SLICE", 2)
    monkeypatch.setattr(ledger.posting_store, "bulk_insert", fail_on_second_slice)
    later = parse_postings(_export(tmp_path, "later.xlsx", range(4, 10)), profiles)
    with pytest.raises(SliceFailed):
        store_export(engine, later, os_user="test", started=datetime.now(UTC))

    assert written_before_failure == [3 + 2]  # the first slice was in the ledger, uncommitted
    assert ledger_rows(database_url) == before
    monkeypatch.undo()
    retried = store_export(engine, later, os_user="test", started=datetime.now(UTC))
    assert (retried.imported, retried.duplicates) == (6, 0)
    engine.dispose()
