"""Migration 0019: the posting key unique as a named index, on both databases, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from ledger.schema import HEAD_REVISION, current_revision, downgrade, upgrade
from ledger.verification import verify_ledger
from tests.conftest import Monitor
from tests.ledger.correction_ledger import derived_rows, ledger_with_a_correction, posting_versions


def _key_uniqueness(engine: Engine) -> tuple[list[str], list[str]]:
    """(unique constraints on the key and version, unique indexes on them) as the database
    reports them (PostgreSQL's index behind a constraint counts as the constraint)."""
    inspector = inspect(engine)
    key = ["key_hash", "version"]
    constraints = [
        c["name"] for c in inspector.get_unique_constraints("posting") if c["column_names"] == key
    ]
    indexes = [
        i["name"]
        for i in inspector.get_indexes("posting")
        if i["column_names"] == key and i["unique"] and not i.get("duplicates_constraint")
    ]
    return constraints, indexes


def _second_first_version(engine: Engine) -> None:
    """Insert a copy of posting 1 under another id: its key with version 1 once more."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO posting SELECT id + 100, batch_id, key_hash, version, supersedes_id,"
                " fiscal_year, document_no, line_no, booking_date, account, product, cost_center,"
                " order_no, text, amount_cents, debit_credit, source_sheet, source_row,"
                " content_hash, chain_hash FROM posting WHERE id = 1"
            )
        )


def test_upgrade_keeps_every_posting_and_the_key_unique_and_downgrade_restores_the_constraint(
    monitor: Monitor, tmp_path: Path
) -> None:
    engine = ledger_with_a_correction(monitor, tmp_path)
    assert monitor.json("spend", "--by", "district", "--year", "2024")["total"] == "35.00"
    postings, derived = posting_versions(engine), derived_rows(engine)
    assert derived > 0
    assert _key_uniqueness(engine) == ([], ["uq_posting_key_version"])

    downgrade(engine, "0018")
    assert current_revision(engine) == "0018"
    assert _key_uniqueness(engine) == (["uq_posting_key_version"], [])
    assert posting_versions(engine) == postings

    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    assert _key_uniqueness(engine) == ([], ["uq_posting_key_version"])
    assert posting_versions(engine) == postings
    assert derived_rows(engine) == derived  # the table copy keeps ids: nothing to rebuild
    assert verify_ledger(engine).ok
    with pytest.raises(IntegrityError):
        _second_first_version(engine)
    assert posting_versions(engine) == postings
    assert monitor.json("spend", "--by", "district", "--year", "2024")["total"] == "35.00"
    engine.dispose()
