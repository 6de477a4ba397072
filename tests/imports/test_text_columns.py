"""A one-sheet .xlsx is read as Arrow text columns (fastexcel) where that reads every cell as
calamine's typed cells would, and with calamine otherwise: the import's result is the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

import imports.readers.workbook
from imports.postings import ParsedExport, parse_postings
from imports.profile import builtin_profiles
from imports.readers import read_tables
from imports.readers.text_columns import TextRows
from tests.exports import JOURNAL_HEADER, write_xlsx


def _line(document: int, row: int, day: object, amount: object, account: object = "501100"):
    return [2024, document, row, day, account, "06.02.01", "36050", "Miete", amount]


def _text_journal(path: Path) -> Path:
    """Dates and amounts as text, as journal exports write them; numbers for year and line."""
    return write_xlsx(
        path,
        [
            ["Buchungsjournal 2024"],
            JOURNAL_HEADER,
            _line(1, 1, "15.01.2024", "100,00"),
            _line(1, 2, "15.01.2024", "1.200,50-"),
            [],
            _line(2, 1, "16.01.2024", "12,3,4"),  # not an amount
            JOURNAL_HEADER,  # repeated on a printed page
            _line(1, 1, "15.01.2024", "100,00"),  # a duplicate
            _line(1, 2, "15.01.2024", "250,00"),  # a conflict
            _line(3, 1, "31.02.2024", "5,00"),  # not a date
            _line(4, 1, "2024-02-03", "1.000,00", account=None),  # an empty required cell
            ["Summe", None, None, None, None, None, None, None, "9.999,99"],
        ],
    )


def _typed_cells(path: Path, amounts: list[object], days: list[object]) -> Path:
    """Amounts and dates as number and date cells, placed from C4 on like a pasted report."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    rows = [JOURNAL_HEADER] + [
        _line(10 + i, 1, day, amount, account=501100 + i)
        for i, (amount, day) in enumerate(zip(amounts, days, strict=True))
    ]
    rows.append(["Summe", *[None] * 7, 12345.67])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cell(row=4 + r, column=3 + c, value=value)
    workbook.save(path)
    return path


def _parsed(path: Path, monkeypatch: pytest.MonkeyPatch, text_columns: bool) -> ParsedExport:
    if not text_columns:
        monkeypatch.setattr(imports.readers.workbook, "read_text_sheet", lambda *_: None)
    parsed = parse_postings(path, builtin_profiles())
    monkeypatch.undo()
    return parsed


def _assert_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> ParsedExport:
    text = _parsed(path, monkeypatch, text_columns=True)
    typed = _parsed(path, monkeypatch, text_columns=False)
    assert text.postings.to_dict("records") == typed.postings.to_dict("records")
    assert [(e.row, e.column, e.message) for e in text.errors] == [
        (e.row, e.column, e.message) for e in typed.errors
    ]
    assert text.warnings == typed.warnings
    counts = ("rows", "skipped_blank", "skipped_total", "skipped_header", "total_cents")
    for count in (*counts, "header_row", "duplicates_in_file"):
        assert getattr(text, count) == getattr(typed, count), count
    return text


def test_a_journal_with_text_amounts_and_dates_is_read_as_text_columns(tmp_path: Path) -> None:
    path = _text_journal(tmp_path / "journal.xlsx")
    (sheet,) = read_tables(path, streamed=True, text_columns=True)
    assert isinstance(sheet.rows, TextRows)


def test_text_columns_give_the_same_postings_errors_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _assert_same(_text_journal(tmp_path / "journal.xlsx"), monkeypatch)
    assert {e.row for e in parsed.errors} == {4, 6, 9, 10, 11}
    assert (parsed.skipped_header, parsed.skipped_total, parsed.duplicates_in_file) == (1, 1, 1)
    assert parsed.warnings  # the sum line disagrees with the rows


@pytest.mark.parametrize(
    ("amounts", "days"),
    [
        # Whole numbers and dates read alike as text: the text columns are used.
        ([100, -250, 0], [dt.datetime(2024, 1, 15), dt.date(2024, 2, 1), 45292]),
        # 1.234 € as a number is refused (a fraction of a cent); as text it is 1.234,00 €.
        ([1.234, 1200.5, -0.0], [dt.date(2024, 1, 15)] * 3),
        # A serial with a time of day, a time of day, a boolean: read with calamine.
        ([1, 2, 3], [45292.5, dt.time(12, 30), True]),
        # Tiny or huge numbers, written by Python otherwise than by fastexcel.
        ([0.00001, 1e20, 7], [dt.date(2024, 1, 15), -3, 99999999]),
    ],
)
def test_typed_cells_read_as_calamine_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, amounts: list[object], days: list[object]
) -> None:
    _assert_same(_typed_cells(tmp_path / "typed.xlsx", amounts, days), monkeypatch)


def test_codes_stored_as_odd_numbers_read_as_calamine_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        JOURNAL_HEADER,
        _line(1, 1, "15.01.2024", "1,00", account=-0.0),
        _line(1, 2, "15.01.2024", "2,00", account=0.00001),
        _line(1, 3, "15.01.2024", "3,00", account=True),
        _line(1, 4, "15.01.2024", "4,00", account=dt.date(2024, 1, 1)),
    ]
    for number, row in enumerate(rows[1:], start=2):
        path = write_xlsx(tmp_path / f"codes-{number}.xlsx", [rows[0], row])
        _assert_same(path, monkeypatch)
