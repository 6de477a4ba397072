"""A load at least as large as the ledger builds the posting indexes after its rows on SQLite
(ledger.deferred_indexes): the same schema afterwards, the same guarantees meanwhile, and the
indexes back as they were when the load fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, event

from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from ledger.database import create_ledger_engine, write_transaction
from ledger.deferred_indexes import DeferredIndexes
from ledger.posting_batch import PostingBatch
from ledger.posting_store import store_export
from ledger.schema import ensure_schema
from ledger.verification import verify_ledger
from tests.exports import journal_rows, write_xlsx
from tests.imports.ledger_snapshot import ledger_rows


def _export(tmp_path: Path, name: str, documents: range) -> ParsedExport:
    lines = [(d, 1, "15.01.2024", "501100", f"{d},00", f"Posten {d}") for d in documents]
    return parse_postings(write_xlsx(tmp_path / name, journal_rows(lines)), builtin_profiles())


def _store(engine: Engine, parsed: ParsedExport) -> None:
    store_export(engine, parsed, os_user="test", started=datetime.now(UTC))


def _ledger(database_url: str) -> Engine:
    engine = create_ledger_engine(database_url)
    ensure_schema(engine)
    return engine


def _posting_indexes(engine: Engine) -> list[tuple[str, str]]:
    """Each index of the posting table with its definition, as the database holds it."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            query = (
                "SELECT name, coalesce(sql, '') FROM sqlite_master"
                " WHERE type = 'index' AND tbl_name = 'posting' ORDER BY name"
            )
        else:
            query = (
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename = 'posting' AND schemaname = current_schema() ORDER BY 1"
            )
        return [(name, definition) for name, definition in connection.exec_driver_sql(query)]


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block (SQLAlchemy's, not the driver's bulk
    insert)."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


# SQLite's words (through SQLAlchemy) and PostgreSQL's (from the driver's COPY).
_DUPLICATE_KEY = r"UNIQUE constraint failed: posting.key_hash|\"uq_posting_key_version\""


def _dropped(statements: list[str]) -> list[str]:
    return sorted(
        s.split()[-1].strip('"') for s in statements if s.strip().startswith("DROP INDEX")
    )


def _append_as_one_batch(engine: Engine, parsed: ParsedExport, rows: pd.DataFrame) -> None:
    """`rows` (with version and supersedes_id) as one batch of `parsed`'s file, as they are."""
    with (
        write_transaction(engine) as connection,
        PostingBatch(
            connection,
            print_=parsed.fingerprint,
            profile=parsed.profile.name,
            os_user="test",
            started=datetime.now(UTC),
            adding=len(rows),
        ) as batch,
    ):
        batch.append(rows)
        batch.close("imported", dict.fromkeys(("rows", "imported"), len(rows)))


def test_a_first_import_builds_the_posting_indexes_after_its_rows_on_sqlite_only(
    database_url: str, tmp_path: Path
) -> None:
    engine = _ledger(database_url)
    fresh = _posting_indexes(engine)
    with _statements(engine) as statements:
        _store(engine, _export(tmp_path, "first.xlsx", range(1, 6)))
    if engine.dialect.name == "sqlite":
        assert _dropped(statements) == [
            "ix_posting_account",
            "ix_posting_batch_id",
            "ix_posting_fiscal_year_booking_date",
            "uq_posting_key_version",
            "uq_posting_supersedes_id",
        ]
    else:  # PostgreSQL keeps its indexes: its import writes at its floor already
        assert _dropped(statements) == []
    assert _posting_indexes(engine) == fresh
    assert ledger_rows(database_url)["posting"] == 5
    assert verify_ledger(engine).ok
    engine.dispose()


def test_an_export_smaller_than_the_ledger_keeps_the_indexes(tmp_path: Path) -> None:
    engine = _ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    _store(engine, _export(tmp_path, "year.xlsx", range(1, 7)))
    with _statements(engine) as statements:
        _store(engine, _export(tmp_path, "month.xlsx", range(7, 12)))
    assert _dropped(statements) == []
    assert ledger_rows(f"sqlite:///{tmp_path / 'ledger.db'}")["posting"] == 11
    engine.dispose()


def test_a_load_as_large_as_the_ledger_defers_and_the_unique_key_still_refuses_a_duplicate(
    database_url: str, tmp_path: Path
) -> None:
    engine = _ledger(database_url)
    _store(engine, _export(tmp_path, "first.xlsx", range(1, 4)))
    indexes, before = _posting_indexes(engine), ledger_rows(database_url)
    parsed = _export(tmp_path, "second.xlsx", range(4, 7))
    rows = parsed.postings.assign(version=1, supersedes_id=pd.NA)
    twice = pd.concat([rows, rows.iloc[:1]], ignore_index=True)  # one key, version 1, twice
    with _statements(engine) as statements, pytest.raises(Exception, match=_DUPLICATE_KEY):
        _append_as_one_batch(engine, parsed, twice)
    # SQLite refuses at the build after the rows, PostgreSQL at the insert: either way the
    # transaction is rolled back, the indexes with it.
    assert bool(_dropped(statements)) == (engine.dialect.name == "sqlite")
    assert _posting_indexes(engine) == indexes
    assert ledger_rows(database_url) == before
    assert verify_ledger(engine).ok
    engine.dispose()


@pytest.mark.parametrize(
    ("adding", "holding", "pays"),
    [(0, 0, False), (1, 0, True), (5, 5, True), (4, 5, False), (1_000_000, 10, True)],
)
def test_deferring_pays_for_a_load_at_least_as_large_as_the_table(
    tmp_path: Path, adding: int, holding: int, pays: bool
) -> None:
    engine = create_ledger_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    with engine.connect() as connection:
        assert DeferredIndexes.pay(connection, adding=adding, holding=holding) is pays
    engine.dispose()
