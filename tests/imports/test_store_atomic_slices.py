"""One file, one transaction: postings are written in slices by a writer thread while the next
slice is prepared (ledger.slice_writer), and a failure in a later slice, on either side, after
earlier slices were written, takes them all back (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, select

import ledger.posting_batch
import ledger.posting_store
import ledger.slice_writer
from imports.fingerprint import Fingerprint
from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from ledger.bulk_insert import bulk_insert
from ledger.database import create_ledger_engine, write_transaction
from ledger.integrity import posting_chain
from ledger.models import Posting
from ledger.posting_batch import PostingBatch
from ledger.posting_store import store_export
from ledger.schema import ensure_schema
from tests.exports import journal_rows, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows


class SliceFailed(Exception):
    """Raised by the test in the middle of an import."""


def _export(tmp_path: Path, name: str, documents: range) -> ParsedExport:
    lines = [(d, 1, "15.01.2024", "501100", f"{d},00", f"Posten {d}") for d in documents]
    rows = journal_rows(lines)
    rows[0] = [f"Buchungsjournal 2024 ({name})"]
    return parse_postings(write_xlsx(tmp_path / name, rows), builtin_profiles())


def _store(engine: Engine, parsed: ParsedExport) -> ledger.posting_store.StoreOutcome:
    return store_export(engine, parsed, os_user="test", started=datetime.now(UTC))


def _ledger_with_one_import(database_url: str, tmp_path: Path) -> Engine:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    _store(engine, _export(tmp_path, "first.xlsx", range(1, 4)))
    return engine


class _CountingInserts:
    """bulk_insert that counts the postings in the ledger after each slice it wrote."""

    def __init__(self, fail_after: int | None) -> None:
        self.counts: list[int] = []
        self.fail_after = fail_after
        self.first_written = threading.Event()

    def __call__(
        self, connection: Connection, table: str, columns: Mapping[str, Sequence[object]]
    ) -> None:
        if len(self.counts) == self.fail_after:
            raise SliceFailed
        bulk_insert(connection, table, columns)
        count = select(func.count()).select_from(Posting)
        self.counts.append(connection.execute(count).scalar_one())
        self.first_written.set()


def test_writer_failure_in_a_later_slice_reaches_the_caller_and_leaves_no_trace(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _ledger_with_one_import(database_url, tmp_path)
    before = ledger_rows(database_url)
    inserts = _CountingInserts(fail_after=1)
    monkeypatch.setattr(ledger.posting_batch, "_SLICE", 2)
    monkeypatch.setattr(ledger.slice_writer, "bulk_insert", inserts)
    later = _export(tmp_path, "later.xlsx", range(4, 10))
    with pytest.raises(SliceFailed):
        _store(engine, later)

    assert inserts.counts == [3 + 2]  # the first slice was in the ledger, uncommitted
    assert ledger_rows(database_url) == before
    monkeypatch.undo()
    retried = _store(engine, later)
    assert (retried.imported, retried.duplicates) == (6, 0)
    engine.dispose()


def test_failure_preparing_a_later_slice_after_earlier_ones_were_written_leaves_no_trace(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _ledger_with_one_import(database_url, tmp_path)
    before = ledger_rows(database_url)
    inserts = _CountingInserts(fail_after=None)
    chains: list[int] = []

    def chain_failing_on_third_slice(
        columns: Mapping[str, Sequence[object]], previous: str
    ) -> list[str]:
        chains.append(len(columns["id"]))
        if len(chains) == 3:
            assert inserts.first_written.wait(timeout=60)
            raise SliceFailed
        return posting_chain(columns, previous)

    monkeypatch.setattr(ledger.posting_batch, "_SLICE", 2)
    monkeypatch.setattr(ledger.slice_writer, "bulk_insert", inserts)
    monkeypatch.setattr(ledger.posting_batch, "posting_chain", chain_failing_on_third_slice)
    with pytest.raises(SliceFailed):
        _store(engine, _export(tmp_path, "later.xlsx", range(4, 10)))

    assert inserts.counts[0] == 3 + 2  # the writer had written the first slice
    assert ledger_rows(database_url) == before
    engine.dispose()


def test_an_in_memory_ledger_takes_postings_from_the_writer_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite in memory keeps one connection per thread: the writer must be let use the caller's.
    engine = create_ledger_engine("sqlite://")
    ensure_schema(engine)
    monkeypatch.setattr(ledger.posting_batch, "_SLICE", 2)
    outcome = _store(engine, _export(tmp_path, "memory.xlsx", range(1, 6)))
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(Posting)).scalar_one()
    assert (outcome.imported, stored) == (5, 5)
    engine.dispose()


def test_leaving_a_batch_unclosed_stops_its_writer_thread(tmp_path: Path) -> None:
    # A caller that leaves without sealing (its transaction rolls back) leaves no thread behind.
    engine = create_ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    ensure_schema(engine)
    print_ = Fingerprint(name="x.xlsx", size=0, sha256="0" * 64)
    with pytest.raises(SliceFailed), write_transaction(engine) as connection:
        with PostingBatch(
            connection, print_=print_, profile="p", os_user="test", started=datetime.now(UTC)
        ):
            pass
        assert not any(t.name == "posting-writer" for t in threading.enumerate())
        raise SliceFailed
    engine.dispose()
