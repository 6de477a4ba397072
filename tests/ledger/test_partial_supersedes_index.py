"""Migration 0009: `supersedes_id` unique only over corrections, on both databases, both ways."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from ledger.database import create_ledger_engine
from ledger.schema import HEAD_REVISION, UpgradeRefused, current_revision, downgrade, upgrade
from ledger.verification import verify_ledger
from tests.conftest import Monitor
from tests.ledger.correction_ledger import derived_rows, ledger_with_a_correction, posting_versions


def _supersedes_uniqueness(engine: Engine) -> tuple[list[str], list[dict[str, object]]]:
    """(unique constraints on supersedes_id, unique indexes on it) as the database reports them."""
    inspector = inspect(engine)
    constraints = [
        c["name"]
        for c in inspector.get_unique_constraints("posting")
        if c["column_names"] == ["supersedes_id"]
    ]
    indexes = [
        i
        for i in inspector.get_indexes("posting")
        if i["column_names"] == ["supersedes_id"] and i["unique"]
    ]
    return constraints, indexes


def _second_correction_of(engine: Engine, posting_id: int) -> None:
    """Insert a copy of the correction of `posting_id` under another key: a second version that
    supersedes the same posting."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO posting SELECT id + 100, batch_id, 'another key', version,"
                " supersedes_id, fiscal_year, document_no, line_no, booking_date, account,"
                " product, cost_center, order_no, text, amount_cents, debit_credit, source_sheet,"
                " source_row, content_hash, chain_hash FROM posting WHERE supersedes_id = :id"
            ),
            {"id": posting_id},
        )


def test_upgrade_keeps_postings_and_the_guarantee_and_downgrade_restores_the_constraint(
    monitor: Monitor, tmp_path: Path
) -> None:
    engine = ledger_with_a_correction(monitor, tmp_path)
    postings = posting_versions(engine)
    assert [(p[1], p[2]) for p in postings] == [(1, None), (1, None), (2, 2)]
    constraints, indexes = _supersedes_uniqueness(engine)
    assert constraints == [] and [i["name"] for i in indexes] == ["uq_posting_supersedes_id"]

    downgrade(engine, "0008")
    assert current_revision(engine) == "0008"
    constraints, indexes = _supersedes_uniqueness(engine)
    assert constraints == ["uq_posting_supersedes_id"]
    # Derived rows as a version of revision 0008 kept them (this version's refresh also writes
    # tables that 0008 lacks): one whole-amount row per posting.
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO posting_allocation (posting_id, seq, booking_date, allocated_cents, "
                "ambiguous) SELECT id, 0, booking_date, amount_cents, false FROM posting"
            )
        )
    assert derived_rows(engine) > 0

    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    assert posting_versions(engine) == postings
    assert derived_rows(engine) == 0  # a cache: rebuilt by the next read
    assert verify_ledger(engine).ok
    constraints, indexes = _supersedes_uniqueness(engine)
    assert constraints == [] and [i["name"] for i in indexes] == ["uq_posting_supersedes_id"]
    with pytest.raises(IntegrityError):
        _second_correction_of(engine, 2)
    assert posting_versions(engine) == postings
    assert monitor.json("spend", "--by", "district", "--year", "2024")["total"] == "35.00"
    engine.dispose()


def test_the_index_holds_only_corrections(monitor: Monitor, tmp_path: Path) -> None:
    engine = ledger_with_a_correction(monitor, tmp_path)
    _, indexes = _supersedes_uniqueness(engine)
    options = indexes[0]["dialect_options"]
    where = options.get("sqlite_where", options.get("postgresql_where"))
    assert "supersedes_id IS NOT NULL" in str(where)
    engine.dispose()


def test_an_upgrade_that_would_break_a_foreign_key_is_refused_and_changes_nothing(
    tmp_path: Path,
) -> None:
    # A ledger edited by hand with SQLite's foreign keys off: a posting of a batch that does not
    # exist. The upgrade's table copy must not carry such a row over silently.
    database = tmp_path / "ledger.db"
    monitor = Monitor(f"sqlite:///{database}", tmp_path)
    engine = ledger_with_a_correction(monitor, tmp_path)
    downgrade(engine, "0008")
    engine.dispose()
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("UPDATE posting SET batch_id = 99 WHERE id = 3")
        connection.commit()
    result = monitor.run("init", expect=1)
    assert "würde 1 verwaiste Verweise hinterlassen, z. B. Zeile 3 der Tabelle posting" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    engine = create_ledger_engine(monitor.database_url)
    with pytest.raises(UpgradeRefused):
        upgrade(engine)
    assert current_revision(engine) == "0008"
    assert _supersedes_uniqueness(engine)[0] == ["uq_posting_supersedes_id"]
    with engine.connect() as connection:  # the pooled connection enforces its keys again
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    engine.dispose()
