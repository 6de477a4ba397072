"""Reading Excel and OpenDocument workbooks (.xlsx, .xlsm, .xls, .ods) with python-calamine.

calamine parses in Rust and hands back whole rows as Python lists, an order of magnitude faster
than openpyxl; a million-row sheet stays practical as long as we add no per-cell Python work.
The only per-cell work left is turning calamine's "" for empty cells into None, done in place
and only for rows that contain an empty cell.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import overload
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
)

from imports.problems import Problem, problem, said
from imports.readers.archive import (
    DAMAGED,
    PASSWORD_PROTECTED,
    open_checked_zip,
    refuse_xml_declarations,
)
from imports.readers.bulk_allocation import collector_paused
from imports.readers.model import FileRefused, RawSheet, ReadLimits
from imports.readers.signatures import described, is_ole2, is_zip, read_head
from imports.readers.text_columns import read_text_sheet
from imports.readers.xlsx_dimensions import declared_sheet_sizes

ZIP_WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods"})
WORKBOOK_SUFFIXES = ZIP_WORKBOOK_SUFFIXES | {".xls"}

# Chart sheets hold no cells; VBA modules are code. Everything else may hold postings.
# (calamine's enum members are not hashable, hence a tuple.)
_CELL_SHEET_TYPES = (SheetTypeEnum.WorkSheet, SheetTypeEnum.DialogSheet, SheetTypeEnum.MacroSheet)


def read_workbook(
    path: Path, limits: ReadLimits, *, streamed: bool = False, text_columns: bool = False
) -> list[RawSheet]:
    """All cell-holding sheets of a workbook, in workbook order.

    streamed: rows become Python objects only as they are read (`WorkbookRows`), a chunk at a
    time, instead of all at once: a million-row sheet as Python lists takes more memory than
    calamine's own copy of it. text_columns: a one-sheet .xlsx may come as Arrow text columns
    (`imports.readers.text_columns`), whose cells are all text or None."""
    suffix = path.suffix.lower()
    head = read_head(path)
    if suffix == ".xls":
        _require_ole2(path, head)
    else:
        _require_zip(path, head, suffix)
        _check_package(path, limits, suffix)
        if text_columns and (sheets := read_text_sheet(path, limits)) is not None:
            return sheets
    return _load_sheets(path, limits, streamed)


def _require_ole2(path: Path, head: bytes) -> None:
    if is_ole2(head):
        return
    hint: Problem | str = problem("rename_to_xlsx") if is_zip(head) else ""
    raise FileRefused(path, problem("expected_xls", found=described(head), hint=hint))


def _require_zip(path: Path, head: bytes, suffix: str) -> None:
    if is_zip(head):
        return
    kind = problem("kind_ods" if suffix == ".ods" else "kind_xlsx")
    hint: Problem | str = problem("rename_to_xls") if is_ole2(head) and suffix != ".ods" else ""
    raise FileRefused(
        path,
        problem("expected_workbook", kind=kind, suffix=suffix, found=described(head), hint=hint),
    )


def _check_package(path: Path, limits: ReadLimits, suffix: str) -> None:
    """Refuse bombs, entity declarations and declared oversized sheets before calamine runs."""
    with open_checked_zip(path, limits) as archive:
        _require_workbook_part(path, archive, suffix)
        refuse_xml_declarations(path, archive)
        if suffix == ".ods":
            return  # ODS declares no sheet size; the check after loading covers it
        try:
            sizes = declared_sheet_sizes(archive)
        except (ParseError, DefusedXmlException, zipfile.BadZipFile) as exc:
            raise FileRefused(path, DAMAGED) from exc
        for name, (rows, columns) in sizes.items():
            _refuse_oversized_sheet(path, name, rows, columns, limits)


def _require_workbook_part(path: Path, archive: zipfile.ZipFile, suffix: str) -> None:
    """A ZIP is only a workbook if it holds the workbook part; say what it is otherwise."""
    names = {name.lower() for name in archive.namelist()}
    expected = "content.xml" if suffix == ".ods" else "xl/workbook.xml"
    if expected in names:
        return
    if any(name.rsplit("/", 1)[-1] == "index.xml" for name in names):
        found = problem("inside_gobd")
    elif "xl/workbook.xml" in names:
        found = problem("inside_xlsx")
    elif "content.xml" in names:
        found = problem("inside_ods")
    else:
        found = problem("inside_other_zip")
    raise FileRefused(
        path, problem("workbook_part_missing", expected=expected, suffix=suffix, found=found)
    )


def _refuse_oversized_sheet(
    path: Path, name: str, rows: int, columns: int, limits: ReadLimits
) -> None:
    if rows > limits.max_rows:
        raise FileRefused(
            path, problem("sheet_too_many_rows", sheet=said(name), rows=rows, limit=limits.max_rows)
        )
    if columns > limits.max_columns:
        raise FileRefused(
            path,
            problem(
                "sheet_too_many_columns",
                sheet=said(name),
                columns=columns,
                limit=limits.max_columns,
            ),
        )


def _load_sheets(path: Path, limits: ReadLimits, streamed: bool) -> list[RawSheet]:
    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            return [
                _read_sheet(path, workbook.get_sheet_by_name(meta.name), limits, streamed)
                for meta in workbook.sheets_metadata
                if meta.typ in _CELL_SHEET_TYPES
            ]
    except PasswordError as exc:
        raise FileRefused(path, PASSWORD_PROTECTED) from exc
    except CalamineError as exc:
        raise FileRefused(path, DAMAGED) from exc


def _read_sheet(path: Path, sheet: CalamineSheet, limits: ReadLimits, streamed: bool) -> RawSheet:
    """One sheet's used range, numbered and positioned as Excel shows it."""
    # height and width are known once calamine has parsed the sheet, before any Python objects
    # exist; this catches sheets whose <dimension> was missing or wrong, and .xls/.ods.
    _refuse_oversized_sheet(path, sheet.name, sheet.height, sheet.width, limits)
    start = sheet.start
    if start is None:
        return RawSheet(name=sheet.name, rows=[])
    first_row, first_column = start
    if streamed:
        rows = WorkbookRows(sheet, first_row, first_column)
        return RawSheet(name=sheet.name, rows=rows, first_row_number=first_row + 1)
    with collector_paused():
        rows: list[list[object]] = sheet.to_python(skip_empty_area=True)  # type: ignore[assignment]
        _blanks_to_none(rows, first_column)
    return RawSheet(name=sheet.name, rows=rows, first_row_number=first_row + 1)


def _blanks_to_none(rows: list[list[object]], leading_columns: int) -> None:
    """Replace calamine's "" for empty cells by None and pad to column A, in place.

    `"" in row` runs in C and skips full rows cheaply; only rows with a gap are walked in Python.
    """
    padding: list[object] = [None] * leading_columns
    for row in rows:
        if "" in row:
            for index, cell in enumerate(row):
                if cell == "":
                    row[index] = None
        if padding:
            row[:0] = padding


class WorkbookRows(Sequence[list[object]]):
    """A sheet's used range as rows that become Python lists only when read.

    The same rows as `to_python(skip_empty_area=True)` gives, with `_blanks_to_none` applied.
    Any index or slice reads from the top of the sheet, which is fine for the header search.
    `chunks` reads the rest once, in order, and lets go of calamine's copy of the sheet as soon
    as it has the last rows: the sheet cannot be read again after that.
    """

    def __init__(self, sheet: CalamineSheet, first_row: int, first_column: int) -> None:
        self._sheet: CalamineSheet | None = sheet
        self._height = int(sheet.height)
        self._first_row = first_row  # iter_rows starts at row 1, not at the used range
        self._first_column = first_column

    def __len__(self) -> int:
        return self._height

    @overload
    def __getitem__(self, index: int) -> list[object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[object]]: ...

    def __getitem__(self, index: int | slice) -> list[object] | list[list[object]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self._read(start, max(start, stop))[::step]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._read(position, position + 1)[0]

    def chunks(self, start: int, size: int) -> Iterator[list[list[object]]]:
        """Rows from `start` to the end, `size` at a time; the last read of this sheet."""
        rows = self._rows(start, len(self))
        for first in range(start, len(self), size):
            with collector_paused():
                chunk = list(islice(rows, size))
                _blanks_to_none(chunk, self._first_column)
            if first + size >= len(self):
                del rows
                self._sheet = None
            yield chunk

    def _read(self, start: int, stop: int) -> list[list[object]]:
        rows = list(self._rows(start, stop))
        _blanks_to_none(rows, self._first_column)
        return rows

    def _rows(self, start: int, stop: int) -> Iterator[list[object]]:
        if self._sheet is None:
            raise RuntimeError("the sheet was read to its end by chunks() and let go")
        offset = self._first_row
        return islice(self._sheet.iter_rows(), offset + start, offset + stop)  # type: ignore[return-value]
