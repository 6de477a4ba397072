"""`verify` catches rows edited, deleted or inserted in the database by hand."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from tests.conftest import Monitor
from tests.exports import journal_rows, write_xlsx


def _two_batches(monitor: Monitor, tmp_path: Path) -> None:
    first = write_xlsx(
        tmp_path / "a.xlsx",
        journal_rows(
            [
                (1, 1, "15.01.2024", "501100", "10,00", "a"),
                (2, 1, "16.01.2024", "501100", "20,00", "b"),
                (3, 1, "17.01.2024", "501100", "30,00", "c"),
            ]
        ),
    )
    second = write_xlsx(
        tmp_path / "b.xlsx",
        journal_rows(
            [
                (2, 1, "16.01.2024", "501100", "25,00", "b"),
                (4, 1, "02.02.2024", "529100", "40,00", "d"),
            ]
        ),
    )
    monitor.json("import", "postings", str(first))
    monitor.json("import", "postings", str(second))
    monitor.json("import", "postings", str(second))  # unchanged batch, sealed too


def _execute(database_url: str, statement: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def test_untouched_ledger_verifies(monitor: Monitor, tmp_path: Path) -> None:
    _two_batches(monitor, tmp_path)
    report = monitor.json("verify")
    assert (report["ok"], report["batches"], report["postings"]) == (True, 3, 5)
    assert len(report["head"]) == 64 and report["problems"] == []


def test_amount_edited_in_the_database_is_caught(monitor: Monitor, tmp_path: Path) -> None:
    _two_batches(monitor, tmp_path)
    _execute(monitor.database_url, "UPDATE posting SET amount_cents = 99999 WHERE id = 2")
    report = monitor.json("verify", expect=1)
    assert not report["ok"]
    assert [(p["kind"], p.get("posting")) for p in report["problems"]] == [("changed", 2)]


def test_deleted_posting_is_caught(monitor: Monitor, tmp_path: Path) -> None:
    _two_batches(monitor, tmp_path)
    _execute(monitor.database_url, "DELETE FROM posting WHERE id = 3")
    report = monitor.json("verify", expect=1)
    kinds = [p["kind"] for p in report["problems"]]
    assert "deleted" in kinds and "batch" in kinds
    assert "posting 3 removed" in report["problems"][0]["message"]


def test_inserted_posting_is_caught(monitor: Monitor, tmp_path: Path) -> None:
    _two_batches(monitor, tmp_path)
    _execute(
        monitor.database_url,
        "INSERT INTO posting (id, batch_id, key_hash, version, fiscal_year, document_no, line_no, "
        "booking_date, account, amount_cents, source_sheet, source_row, content_hash, chain_hash) "
        "VALUES (99, 1, 'k', 1, 2024, '9', 1, '2024-01-20', '501100', 100, 'x', 9, 'c', 'h')",
    )
    report = monitor.json("verify", expect=1)
    messages = " ".join(p["message"] for p in report["problems"])
    assert "posting 99" in messages and "sealed 3 postings, the ledger holds 4" in messages


def test_rewritten_hash_of_an_edited_row_still_breaks_the_batch_seal(
    monitor: Monitor, tmp_path: Path
) -> None:
    _two_batches(monitor, tmp_path)
    _execute(monitor.database_url, "UPDATE import_batch SET file_name = 'other.xlsx' WHERE id = 1")
    report = monitor.json("verify", expect=1)
    assert report["problems"][0]["batch"] == 1


def test_posting_of_a_batch_deleted_by_hand_is_caught(tmp_path: Path) -> None:
    import sqlite3

    from tests.conftest import Monitor as Runner

    database = tmp_path / "ledger.db"
    monitor = Runner(f"sqlite:///{database}", tmp_path)
    _two_batches(monitor, tmp_path)
    with sqlite3.connect(database) as connection:  # foreign keys are off in a bare connection
        connection.execute("DELETE FROM batch_month_total WHERE batch_id = 3")
        connection.execute("DELETE FROM import_batch WHERE id = 3")
        connection.execute("UPDATE posting SET batch_id = 3 WHERE id = 5")
    report = monitor.json("verify", expect=1)
    assert any(
        "refer to batch 3, which is not in the ledger" in p["message"] for p in report["problems"]
    )
