"""A worksheet's cells as Arrow text columns through fastexcel, for the postings import.

python-calamine hands every cell over as a Python object, which for a million postings costs
about as much again as parsing the file (issue 19: 12.9 s against fastexcel's 6.6 s CPU for the
same sheet). fastexcel runs the same calamine parser in Rust and hands over whole columns in
Arrow, which polars takes without a copy. It types columns, not cells: asked for text it writes
every number, date and boolean as text ("1234.56", "2024-01-31 00:00:00", "true"), so which cells
were numbers is lost. The importer therefore takes these columns only where that cannot change
what it reads (`imports.text_cells`) and reads the file with calamine otherwise.

Row and column positions are calamine's: the sheet's used range, placed by its `<dimension>`.
Where that cannot be known (no declaration, or one whose size is not what fastexcel read), or
the workbook has more than one sheet, this reader steps aside (None) for the calamine reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import fastexcel
import polars as pl

from imports.readers.archive import open_checked_zip
from imports.readers.model import RawSheet, ReadLimits
from imports.readers.xlsx_dimensions import declared_ranges, sheet_names

TEXT_COLUMN_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class TextChunk:
    """Consecutive rows of a sheet as text columns; column j of `frame` is Excel column
    `first_column + j`."""

    frame: pl.DataFrame
    first_column: int

    def __len__(self) -> int:
        return self.frame.height

    def column(self, excel_index: int) -> pl.Series | None:
        """The cells of one Excel column (A = 0), None where the sheet has no such column."""
        position = excel_index - self.first_column
        if not 0 <= position < self.frame.width:
            return None
        return self.frame.to_series(position)

    def row(self, position: int) -> list[object]:
        """One row's cells as the calamine reader gives them: padded to column A."""
        return [None] * self.first_column + list(self.frame.row(position))


class TextRows(Sequence[list[object]]):
    """A sheet read as text columns: rows as Python lists only for the few the header search
    reads; `chunks` hands the rest over as column slices (`TextChunk`)."""

    def __init__(self, frame: pl.DataFrame, first_column: int) -> None:
        self._frame = frame
        self._first_column = first_column

    def __len__(self) -> int:
        return self._frame.height

    @overload
    def __getitem__(self, index: int) -> list[object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[object]]: ...

    def __getitem__(self, index: int | slice) -> list[object] | list[list[object]]:
        whole = TextChunk(self._frame, self._first_column)
        if isinstance(index, slice):
            return [whole.row(i) for i in range(*index.indices(len(self)))]
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return whole.row(position)

    def chunks(self, start: int, size: int) -> Iterator[TextChunk]:
        """Rows from `start` to the end, `size` at a time (slices share the columns' memory)."""
        for first in range(start, len(self), size):
            yield TextChunk(self._frame.slice(first, size), self._first_column)


def read_text_sheet(path: Path, limits: ReadLimits) -> list[RawSheet] | None:
    """The one sheet of a workbook as text columns, or None where this reader steps aside.

    Called after the workbook reader's package checks (ZIP bombs, entity declarations, declared
    sheet sizes), and its size is checked again as the calamine reader does."""
    if path.suffix.lower() not in TEXT_COLUMN_SUFFIXES:
        return None
    with open_checked_zip(path, limits) as archive:
        names = sheet_names(archive)
        ranges = declared_ranges(archive)
    if len(names) != 1 or names[0] not in ranges:
        return None
    name, declared = names[0], ranges[names[0]]
    try:
        sheet = fastexcel.read_excel(str(path)).load_sheet(name, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except Exception:  # any refusal is the calamine reader's to word
        return None
    if (frame.height, frame.width) != (declared.rows, declared.columns):
        return None
    if any(dtype != pl.String for dtype in frame.dtypes):
        return None
    rows = TextRows(frame, declared.first_column)
    return [RawSheet(name=name, rows=rows, first_row_number=declared.first_row + 1)]
