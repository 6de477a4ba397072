"""Atomic and serialised imports, with real processes: SIGKILL mid-import, two at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.exports import JOURNAL_HEADER, write_csv

pytestmark = pytest.mark.slow


def _journal_csv(path: Path, documents: range) -> Path:
    rows: list[list[object]] = [JOURNAL_HEADER]
    for number in documents:
        cents = number * 37 % 100_000
        rows.append(
            [
                2024,
                number,
                1,
                f"{number % 28 + 1:02d}.03.2024",
                "529100",
                "06.02.01",
                "36050",
                f"Posten {number}",
                f"{cents // 100},{cents % 100:02d}",
            ]
        )
    return write_csv(path, rows)


def _command(database_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "--db", database_url, *args]


def _counts(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        batches = connection.execute(text("select count(*) from import_batch")).scalar_one()
        postings = connection.execute(text("select count(*) from posting")).scalar_one()
    engine.dispose()
    return batches, postings


def _posting_indexes(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    names = sorted(str(index["name"]) for index in inspect(engine).get_indexes("posting"))
    engine.dispose()
    return names


def _writing(database_url: str) -> bool:
    """True once the importer is inside its write transaction."""
    if database_url.startswith("sqlite"):
        wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 256 * 1024
    engine = create_engine(database_url)
    with engine.connect() as connection:
        held = connection.execute(
            text("select count(*) from pg_locks where locktype = 'advisory' and granted")
        ).scalar_one()
    engine.dispose()
    return held > 0


def test_sigkill_mid_import_leaves_ledger_as_before_and_retry_succeeds(
    database_url: str, tmp_path: Path
) -> None:
    path = _journal_csv(tmp_path / "big.csv", range(1, 60_001))
    subprocess.run(_command(database_url, "init"), check=True, capture_output=True)
    indexes = _posting_indexes(database_url)
    if database_url.startswith("sqlite"):
        # Start from an empty write-ahead log so that growth means "inserting now".
        engine = create_engine(database_url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
    process = subprocess.Popen(
        _command(database_url, "import", "postings", str(path), "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not _writing(database_url):
        assert process.poll() is None, "import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _counts(database_url) == (0, 0)
    # On SQLite the import into the empty ledger had dropped them to build them after its rows.
    assert _posting_indexes(database_url) == indexes
    done = subprocess.run(
        _command(database_url, "import", "postings", str(path), "--json"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert _counts(database_url) == (1, 60_000)


def test_two_overlapping_imports_at_once_never_duplicate(database_url: str, tmp_path: Path) -> None:
    first = _journal_csv(tmp_path / "a.csv", range(1, 20_001))
    second = _journal_csv(tmp_path / "b.csv", range(10_001, 30_001))
    subprocess.run(_command(database_url, "init"), check=True, capture_output=True)
    processes = [
        subprocess.Popen(
            _command(database_url, "import", "postings", str(p), "--json"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (first, second)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert _counts(database_url) == (2, 30_000)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        repeated = connection.execute(
            text(
                "select count(*) from (select key_hash from posting group by key_hash "
                "having count(*) > 1) as r"
            )
        ).scalar_one()
    engine.dispose()
    assert repeated == 0
