"""The inbox job on real files: finished files are imported and archived by year, files still
being written wait, refused files go to failed/ with a readable report beside them."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from ledger.models import ImportBatch, Posting
from ledger.service_models import Alert, JobRun
from monitor.service.inbox_job import run_inbox_job
from monitor.service.scheduler import run_job
from tests.exports import journal_rows, write_csv, write_xlsx
from tests.service.conftest import City

NOW = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)

GOOD = journal_rows(
    [
        (24001, 1, "15.01.2024", "501100", "1.234,56", "Honorar"),
        (24002, 1, "31.01.2024", "529100", "99,99-", "Gutschrift"),
    ]
)
BAD = journal_rows(
    [
        (24001, 1, "15.01.2024", "501100", "1.234,56", "Honorar"),
        (24002, 1, "31.01.2024", "529100", "zwölf", "Tippfehler"),
    ]
)


def _batches(city: City) -> list[str]:
    with city.service().engine.connect() as connection:
        return list(connection.scalars(select(ImportBatch.file_name).order_by(ImportBatch.id)))


def _postings(city: City) -> int:
    with city.service().engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Posting)) or 0


def test_finished_file_is_imported_and_archived_by_year_and_counted(
    city: City, tmp_path: Path
) -> None:
    city.drop(write_xlsx(tmp_path / "journal-jan.xlsx", GOOD))
    lock = city.inbox / "~$journal-jan.xlsx"  # Excel's lock file while someone has it open
    lock.write_bytes(b"x")
    runs = run_job(city.service(), "inbox", "manual", NOW)
    assert [r["job"] for r in runs] == ["inbox", "alerts"]  # new postings: alerts follow
    assert (runs[0]["outcome"], runs[0]["succeeded"], runs[0]["failed"]) == ("ok", 1, 0)
    assert (city.folder / "archive" / "2025" / "journal-jan.xlsx").is_file()
    assert sorted(p.name for p in city.inbox.iterdir()) == [lock.name]
    assert _batches(city) == ["journal-jan.xlsx"]
    with city.service().engine.connect() as connection:
        run = connection.execute(select(JobRun).where(JobRun.name == "inbox")).one()
    assert json.loads(run.detail)["imported"] == ["journal-jan.xlsx"]

    # The same export dropped again: nothing new, archived beside the first under a new name.
    city.drop(write_xlsx(tmp_path / "journal-jan.xlsx", GOOD))
    again = run_job(city.service(), "inbox", "manual", NOW)
    assert [r["job"] for r in again] == ["inbox"]  # nothing new, no alerts run
    assert (city.folder / "archive" / "2025" / "journal-jan (2).xlsx").is_file()


def test_file_modified_within_the_settle_time_waits(city: City, tmp_path: Path) -> None:
    city.configure(settle_seconds=60)
    city.drop(write_xlsx(tmp_path / "fresh.xlsx", GOOD), age_seconds=5)
    waiting = run_inbox_job(city.service(), NOW, pause=0.05)
    assert (waiting.succeeded, waiting.detail["waiting"]) == (0, ["fresh.xlsx"])
    assert (city.inbox / "fresh.xlsx").is_file() and _batches(city) == []
    city.drop(write_xlsx(tmp_path / "fresh.xlsx", GOOD), age_seconds=61)
    assert run_inbox_job(city.service(), NOW, pause=0.05).succeeded == 1


def test_file_still_growing_waits_until_its_size_stops_changing(city: City, tmp_path: Path) -> None:
    """A CSV copied line by line is valid at every moment: imported early it would lose rows."""
    rows = journal_rows(
        [(24100 + n, 1, "20.01.2024", "501100", f"{n},00", "Honorar") for n in range(1, 11)]
    )
    lines = write_csv(tmp_path / "growing.csv", rows).read_bytes().splitlines(keepends=True)
    city.inbox.mkdir()
    target = city.inbox / "growing.csv"
    target.write_bytes(b"".join(lines[:3]))
    done = threading.Event()

    def copy_slowly() -> None:
        for line in lines[3:]:
            time.sleep(0.1)
            with target.open("ab") as out:
                out.write(line)
        done.set()

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    early = run_inbox_job(city.service(), NOW, pause=0.3)
    writer.join()
    assert done.is_set() and early.detail["waiting"] == ["growing.csv"]
    assert _batches(city) == []
    late = run_inbox_job(city.service(), NOW, pause=0.3)
    assert late.detail["imported"] == ["growing.csv"]
    assert _postings(city) == 10  # every row, not the first few
    assert not target.exists()


def test_refused_file_goes_to_failed_with_the_reasons_beside_it(city: City, tmp_path: Path) -> None:
    city.drop(write_csv(tmp_path / "journal-feb.csv", BAD))
    result = run_job(city.service(), "inbox", "manual", NOW)[0]
    assert (result["outcome"], result["succeeded"], result["failed"]) == ("warning", 0, 1)
    failed = city.folder / "failed" / "journal-feb.csv"
    assert failed.is_file() and not (city.inbox / "journal-feb.csv").exists()
    report = (city.folder / "failed" / "journal-feb.csv.error.txt").read_text("utf-8")
    assert "budget-monitor konnte journal-feb.csv nicht importieren." in report
    assert "Zeile 4, Spalte 'Betrag': kein Betrag" in report  # line 4: title, header, two rows
    assert "das Hauptbuch ist unverändert" in report
    assert _batches(city) == []
    with city.service().engine.connect() as connection:
        alert = connection.execute(select(Alert)).one()
    assert (alert.kind, alert.subject) == ("import_failed", "journal-feb.csv")
