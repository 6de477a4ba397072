"""The entry point: choosing the reader, refusing what it cannot read, and the refusal itself."""

from __future__ import annotations

import gc
import pickle
import time
from pathlib import Path

import pytest
import xlsxwriter

from imports.readers import SUPPORTED, FileRefused, RawSheet, ReadLimits, read_tables
from imports.readers.bulk_allocation import collector_paused


def test_missing_file_is_refused_as_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileRefused) as refused:
        read_tables(tmp_path / "journal.csv")
    assert str(refused.value) == "journal.csv: file not found"
    assert refused.value.message == "file not found"
    assert refused.value.path == tmp_path / "journal.csv"


@pytest.mark.parametrize("name", ["bericht.pdf", "journal.txt", "ohne_endung"])
def test_unknown_extensions_are_refused_listing_the_supported_ones(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text("Konto;Betrag\n")
    with pytest.raises(FileRefused, match=r"unsupported file type") as refused:
        read_tables(path)
    assert str(refused.value).endswith(f"supported: {SUPPORTED}")
    assert ".xlsx" in SUPPORTED and ".csv" in SUPPORTED and "GoBD" in SUPPORTED


def test_extension_is_matched_without_regard_to_case(tmp_path: Path) -> None:
    path = tmp_path / "JOURNAL.CSV"
    path.write_text("Konto;Betrag\n4711;1,00\n")
    [sheet] = read_tables(path)
    assert sheet.rows[1] == ["4711", "1,00"]


def test_path_given_as_string_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("x;y\n")
    assert read_tables(str(path))[0].rows == [["x", "y"]]  # type: ignore[arg-type]


def test_refusal_survives_pickling_for_worker_processes(tmp_path: Path) -> None:
    refused = FileRefused(tmp_path / "a.xlsx", "file is damaged or truncated")
    again = pickle.loads(pickle.dumps(refused))
    assert str(again) == "a.xlsx: file is damaged or truncated"


def test_default_limits_are_excels_sheet_limits_and_one_gigabyte() -> None:
    limits = ReadLimits()
    assert (limits.max_rows, limits.max_columns) == (1_048_576, 16_384)
    assert limits.max_uncompressed_bytes == 1024 * 1024 * 1024


def test_raw_sheet_is_immutable() -> None:
    sheet = RawSheet(name="S", rows=[])
    with pytest.raises(AttributeError):
        sheet.name = "T"  # type: ignore[misc]


@pytest.mark.slow
def test_200k_row_workbook_reads_in_a_few_seconds(tmp_path: Path) -> None:
    # Budget: one million rows must stay practical. This sheet read in about 2 s on the 2-core
    # machine; 15 s leaves room for a busy machine but not for per-cell Python overhead.
    path = tmp_path / "gross.xlsx"
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("FBL3N")
    sheet.write_row(0, 0, ["Beleg", "Konto", "Kostenstelle", "Text", "Betrag", "Auftrag"])
    for i in range(1, 200_001):
        sheet.write_row(
            i,
            0,
            [str(4_900_000_000 + i), 531800, f"KST{i % 900}", f"Miete Nord {i % 100}", i / 100],
        )
    workbook.close()
    started = time.perf_counter()
    [read] = read_tables(path)
    elapsed = time.perf_counter() - started
    assert len(read.rows) == 200_001
    assert read.rows[-1] == ["4900200000", 531800.0, "KST200", "Miete Nord 0", 2000.0, None]
    assert elapsed < 15, f"reading took {elapsed:.1f} s"


def test_collector_pause_restores_the_previous_state_even_after_errors() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
