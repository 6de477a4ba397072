"""A PostgreSQL import writes while it parses (ledger.streamed_store): the ledger it leaves is the
one the sequential store leaves, posting for posting and seal for seal, and wherever the stream
cannot be sure of that, it rolls back and the sequential store takes over."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, make_url, select, text

import imports.postings
import ledger.posting_batch
import ledger.slice_writer
import monitor.import_commands
from imports.fingerprint import fingerprint
from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from ledger.bulk_insert import bulk_insert
from ledger.database import create_ledger_engine
from ledger.models import ImportBatch, Posting
from ledger.posting_store import StoreOutcome, store_export
from ledger.schema import ensure_schema
from ledger.streamed_store import streamed_export
from ledger.verification import verify_ledger
from tests.conftest import Monitor
from tests.exports import journal_rows, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows

STARTED = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
Line = tuple[int, int, str, str, str, str]


@pytest.fixture
def postgres_ledgers(postgres_server: str) -> Iterator[list[str]]:
    """Two empty ledgers, each in its own schema of the test server."""
    admin = create_engine(postgres_server)
    schemas = [f"s_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    urls = []
    for schema in schemas:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(postgres_server).update_query_dict({"options": f"-csearch_path={schema}"})
        urls.append(url.render_as_string(hide_password=False))
        engine = create_ledger_engine(urls[-1])
        ensure_schema(engine)
        engine.dispose()
    yield urls
    with admin.begin() as connection:
        for schema in schemas:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 3 rows and slices of 2 postings: a few rows make a stream of many chunks."""
    monkeypatch.setattr(imports.postings, "_CHUNK_ROWS", 3)
    monkeypatch.setattr(ledger.posting_batch, "_SLICE", 2)


def _lines(documents: range, year: int = 2024, amount: str = "{d},00") -> list[Line]:
    return [
        (d, 1, f"{d % 28 + 1:02d}.03.{year}", f"5011{d % 3}0", amount.format(d=d), f"Posten {d}")
        for d in documents
    ]


def _export(path: Path, lines: Sequence[Line]) -> Path:
    rows = journal_rows(lines)
    rows[0] = [f"Buchungsjournal ({path.name})"]
    for row in rows[2:-1]:  # between the header and the sum line
        row[0] = str(row[3])[-4:]  # the fiscal year of the booking day
    return write_xlsx(path, rows)


def _streamed(engine: Engine, path: Path) -> tuple[StoreOutcome, bool]:
    """Import `path` as the CLI does on PostgreSQL; True if the stream stored it."""
    print_ = fingerprint(path)
    with streamed_export(engine, print_, os_user="test", started=STARTED, dry_run=False) as stream:
        assert stream is not None
        parsed = parse_postings(path, builtin_profiles(), sink=stream)
        outcome = stream.finish(parsed, accept_partial=True)
        if outcome is not None:
            return outcome, True
        return _sequential(engine, parsed), False


def _sequential(engine: Engine, parsed: ParsedExport) -> StoreOutcome:
    return store_export(engine, parsed, os_user="test", started=STARTED, accept_partial=True)


def _postings(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(Posting).order_by(Posting.id)).all()
        batches = connection.execute(
            select(
                ImportBatch.id,
                ImportBatch.status,
                ImportBatch.rows,
                ImportBatch.imported,
                ImportBatch.duplicates,
                ImportBatch.postings,
                ImportBatch.seal,
            ).order_by(ImportBatch.id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in [*rows, *batches]]


def test_a_streamed_import_leaves_the_ledger_the_sequential_store_leaves(
    postgres_ledgers: list[str], tmp_path: Path
) -> None:
    # 14 rows in five chunks; document 4 repeated in the fourth chunk (a duplicate in the file).
    lines = _lines(range(1, 14))
    lines.insert(10, lines[3])
    path = _export(tmp_path / "2024.xlsx", lines)
    streamed_url, sequential_url = postgres_ledgers
    streamed_engine = create_ledger_engine(streamed_url)
    outcome, stream_stored = _streamed(streamed_engine, path)
    sequential_engine = create_ledger_engine(sequential_url)
    expected = _sequential(sequential_engine, parse_postings(path, builtin_profiles()))

    assert stream_stored
    assert (outcome.imported, outcome.duplicates) == (13, 1)
    assert outcome == expected
    assert _postings(streamed_url) == _postings(sequential_url)
    assert verify_ledger(streamed_engine).ok
    streamed_engine.dispose()
    sequential_engine.dispose()


def test_a_year_the_ledger_holds_is_stored_by_the_sequential_store(
    postgres_ledgers: list[str], tmp_path: Path
) -> None:
    url = postgres_ledgers[0]
    engine = create_ledger_engine(url)
    _, first_streamed = _streamed(
        engine, _export(tmp_path / "2023.xlsx", _lines(range(1, 8), 2023))
    )
    # 2024 is new to the ledger, but the second chunk's 2023 rows correct postings it holds.
    lines = _lines(range(1, 4), 2024) + _lines(range(5, 8), 2023, "{d},50")
    overlapping = _export(tmp_path / "both.xlsx", lines)
    outcome, stream_stored = _streamed(engine, overlapping)

    assert first_streamed and not stream_stored
    assert (outcome.imported, outcome.corrections) == (3, 3)
    assert verify_ledger(engine).ok
    engine.dispose()


def test_a_key_repeated_with_other_content_later_in_the_file_rolls_the_stream_back(
    postgres_ledgers: list[str], tmp_path: Path
) -> None:
    url = postgres_ledgers[0]
    engine = create_ledger_engine(url)
    lines = _lines(range(1, 10))
    lines.append((2, 1, "03.03.2024", "501120", "99,00", "Posten 2, anders"))
    outcome, stream_stored = _streamed(engine, _export(tmp_path / "conflict.xlsx", lines))

    # Both rows of document 2 are rejected, which the stream had written by then.
    assert not stream_stored
    assert (outcome.status, outcome.imported) == ("partial", 8)
    with engine.connect() as connection:
        documents = connection.execute(select(Posting.document_no)).scalars().all()
    assert sorted(documents, key=int) == [str(d) for d in range(1, 10) if d != 2]
    engine.dispose()


def test_bytes_imported_meanwhile_are_not_streamed_again(
    postgres_ledgers: list[str], tmp_path: Path
) -> None:
    url = postgres_ledgers[0]
    engine = create_ledger_engine(url)
    path = _export(tmp_path / "2024.xlsx", _lines(range(1, 8)))
    _sequential(engine, parse_postings(path, builtin_profiles()))
    outcome, stream_stored = _streamed(engine, path)

    assert not stream_stored
    assert (outcome.status, outcome.same_as_batch) == ("unchanged", 1)
    engine.dispose()


def test_an_abandoned_stream_writes_nothing(postgres_ledgers: list[str], tmp_path: Path) -> None:
    # As when fastexcel's text columns might misread a cell and the file is read again.
    url = postgres_ledgers[0]
    engine = create_ledger_engine(url)
    path = _export(tmp_path / "2024.xlsx", _lines(range(1, 8)))
    before = ledger_rows(url)
    with streamed_export(
        engine, fingerprint(path), os_user="test", started=STARTED, dry_run=False
    ) as stream:
        assert stream is not None
        parsed = parse_postings(path, builtin_profiles(), sink=stream)
        writer = stream._connection
        assert writer is not None
        backend = writer.connection.driver_connection.info.backend_pid
        assert _import_locks(engine, backend) == 1
        stream.abandon()
        assert _import_locks(engine, backend) == 0  # another import need not wait for the parse
        assert stream.finish(parsed) is None
    assert ledger_rows(url) == before
    engine.dispose()


def _import_locks(engine: Engine, backend: int) -> int:
    """The advisory locks (the import lock) the server process `backend` holds."""
    with engine.connect() as connection:
        return connection.execute(
            text(
                "select count(*) from pg_locks where locktype = 'advisory' and granted"
                " and pid = :backend"
            ),
            {"backend": backend},
        ).scalar_one()


class SliceFailed(Exception):
    """Raised by the test in the middle of a stream."""


def test_a_failure_in_the_middle_of_a_stream_leaves_no_trace(
    postgres_ledgers: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = postgres_ledgers[0]
    engine = create_ledger_engine(url)
    before = ledger_rows(url)
    written: list[int] = []

    def failing_third_slice(
        connection: Connection, table: str, columns: Mapping[str, Sequence[object]]
    ) -> None:
        if len(written) == 2:
            raise SliceFailed
        bulk_insert(connection, table, columns)
        written.append(len(columns["id"]))

    monkeypatch.setattr(ledger.slice_writer, "bulk_insert", failing_third_slice)
    with pytest.raises(SliceFailed):
        _streamed(engine, _export(tmp_path / "2024.xlsx", _lines(range(1, 12))))
    assert written == [2, 1]  # the first chunk's three postings, in two slices
    assert ledger_rows(url) == before
    engine.dispose()


def test_the_cli_stores_a_new_year_through_the_stream(
    postgres_ledgers: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sequential_store(*args: object, **kwargs: object) -> StoreOutcome:
        raise AssertionError("the sequential store was called")

    workdir = tmp_path / "work"
    workdir.mkdir()
    cli = Monitor(postgres_ledgers[0], workdir)
    path = _export(tmp_path / "2024.xlsx", _lines(range(1, 12)))
    monkeypatch.setattr(monitor.import_commands, "store_export", no_sequential_store)
    result = cli.json("import", "postings", str(path))
    assert (result["status"], result["imported"]) == ("imported", 11)
    assert cli.json("verify")["ok"]


def test_sqlite_and_dry_runs_are_not_streamed(postgres_ledgers: list[str], tmp_path: Path) -> None:
    print_ = fingerprint(_export(tmp_path / "2024.xlsx", _lines(range(1, 4))))
    sqlite = create_ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    postgres = create_ledger_engine(postgres_ledgers[0])
    for engine, dry_run in ((sqlite, False), (postgres, True)):
        with streamed_export(
            engine, print_, os_user="test", started=STARTED, dry_run=dry_run
        ) as stream:
            assert stream is None
        engine.dispose()
