"""A sheet is parsed in chunks of rows; where the chunks end must not change anything."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import imports.postings
from imports.distinct_cells import DistinctCells
from imports.german_values import parse_amount_cents
from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from tests.exports import JOURNAL_HEADER, write_xlsx


def _journal(path: Path) -> Path:
    def line(document: int, row: int, day: str, amount: str) -> list[object]:
        return [
            "2024",
            str(document),
            str(row),
            day,
            "501100",
            "06.02.01",
            "36050",
            "Miete",
            amount,
        ]

    rows: list[list[object]] = [
        ["Buchungsjournal 2024"],
        JOURNAL_HEADER,
        line(1, 1, "15.01.2024", "100,00"),
        line(1, 2, "15.01.2024", "200,00"),
        [],
        line(2, 1, "16.01.2024", "12,3,4"),  # not an amount
        JOURNAL_HEADER,  # repeated on every printed page
        line(1, 1, "15.01.2024", "100,00"),  # the same posting again: a duplicate
        line(1, 2, "15.01.2024", "250,00"),  # same key, other amount: a conflict
        line(3, 1, "01.02.2024", "50,00-"),
        ["Zwischensumme", None, None, None, None, None, None, None, "250,00"],
        line(4, 1, "2024-02-03", "1.000,00"),
        ["Summe", None, None, None, None, None, None, None, "9.999,99"],
    ]
    return write_xlsx(path, rows)


def _parsed(path: Path, chunk_rows: int, monkeypatch: pytest.MonkeyPatch) -> ParsedExport:
    monkeypatch.setattr(imports.postings, "_CHUNK_ROWS", chunk_rows)
    return parse_postings(path, builtin_profiles())


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 5])
def test_chunked_parse_gives_the_same_result_as_one_chunk(
    tmp_path: Path, chunk_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _journal(tmp_path / "journal.xlsx")
    whole = _parsed(path, 100_000, monkeypatch)
    chunked = _parsed(path, chunk_rows, monkeypatch)
    # The file has one of each thing a chunk boundary could split or lose.
    assert (whole.duplicates_in_file, whole.skipped_header, whole.skipped_total) == (1, 1, 2)
    assert {e.row for e in whole.errors} == {4, 6, 9}  # conflict (4, 9) and bad amount (6)
    assert whole.skipped_blank == 1
    assert whole.warnings and "row 13" in whole.warnings[0].english
    assert chunked.postings.to_dict("records") == whole.postings.to_dict("records")
    assert chunked.errors == whole.errors
    assert chunked.warnings == whole.warnings
    for count in ("rows", "skipped_blank", "skipped_total", "skipped_header", "total_cents"):
        assert getattr(chunked, count) == getattr(whole, count), count
    assert chunked.duplicates_in_file == whole.duplicates_in_file


def test_distinct_cells_keep_booleans_apart_from_equal_numbers() -> None:
    # True == 1 == 1.0 in Python: hashing them together would make True an amount of 1.00.
    cells = pd.Series([True, 1, 1.0, "1,00", None, "1,00", 1], dtype=object)
    distinct = DistinctCells.of(cells)
    by_distinct = [distinct.spread(s) for s in parse_amount_cents(distinct.values, ",")]
    by_cell = parse_amount_cents(cells, ",")
    assert by_distinct[0].equals(by_cell[0]) and by_distinct[1].equals(by_cell[1])
    assert bool(by_cell[1].iloc[0])  # True is not an amount


def test_distinct_cells_convert_each_value_once_and_spread_it_back() -> None:
    cells = pd.Series(["1,00", None, "2,00", "1,00", float("nan")], index=[10, 11, 12, 13, 14])
    distinct = DistinctCells.of(cells.astype(object))
    assert distinct.values.tolist() == ["1,00", "2,00", None]
    cents = distinct.spread(parse_amount_cents(distinct.values, ",")[0])
    assert cents.index.tolist() == [10, 11, 12, 13, 14]
    assert cents.tolist() == [100, pd.NA, 200, 100, pd.NA]
