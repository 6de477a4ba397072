"""Tables of the Federal Employment Agency (BA, "Statistik der Bundesagentur für Arbeit") as
they are published: one region per row, one value per column, the columns headed over several
rows (what, of which, when).

A workbook is a BA table when one of its sheets carries the BA's copyright line
("© Statistik der Bundesagentur für Arbeit"); its data sheets are the sheets with region rows.
Recognised by content, whatever the file or sheet is called. The layout, as in the BA's
Excel tables and the deliveries of its Zentraler Statistik-Service (e.g. order 326108,
"Sozialversicherungspflichtig Beschäftigte am Wohnort nach … Berufsabschluss", Kreise 2002–2021):

- title lines above the table (one filled cell each), an `Impressum`, `Hinweise` and
  `Statistik-Infoseite` sheet beside it: not read;
- the header block: the rows right above the first region row that fill a cell right of the
  region column. A group label is written once, in the first column of its group (a merged
  cell), and holds for the columns to its right up to the next label of its row, or up to a
  column where a row above starts a new group. A row of reference dates or periods (the
  Stichtag `30.06.2021`, `2021`, `Juni 2021`) in every value column is the columns' period; a
  row of numbers only (the BA numbers its columns 1, 2, 3 …) is left out. The connectives
  `davon` and `darunter` and footnote marks (`Berufsabschluss2)`) are not part of a label;
- region rows: the region cell starts with its official key, `05315 Köln, Stadt`; that key
  is the district code. A region cell without a key (`Deutschland`, a Land or Regionaldirektion
  written by name) is an aggregate: left out and listed, never a district;
- the closing lines (`Erstellungsdatum …, © Statistik der Bundesagentur für Arbeit`, the
  footnotes `1) …`, the legend `. kein Nachweis vorhanden.`) are notes, counted.

Cells are kept as the file holds them: reading numbers, the BA's symbols (`*` anonymised,
`-` nothing, `.` no figure) and periods is the indicator reader's work
(`imports.master_data.indicators`), so a BA table obeys the same rules as every other file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from imports.master_data.columns import MISSING_SYMBOLS
from imports.master_data.periods import read_periods
from imports.readers.model import RawSheet

# The BA's copyright line, not a table citing the BA as its source ("Quelle: Statistik der …").
COPYRIGHT = "© statistik der bundesagentur für arbeit"
_REGION = re.compile(r"^\s*(\d{2,12})\s+\S")  # "05315 Köln, Stadt", "01 Schleswig-Holstein"
_CONNECTIVES = frozenset({"davon", "darunter", "und zwar"})
_FOOTNOTE_MARK = re.compile(r"\s*\d{1,2}\)\s*$")


@dataclass(frozen=True)
class BaColumn:
    """One value column: its group labels from the top row down, and its period heading (the
    cell as written, None when the table has no period row)."""

    index: int
    labels: tuple[str, ...]
    period: object

    @property
    def when(self) -> str:
        """The period heading as written (a date as 30.06.2021); "" without a period row."""
        if self.period is None:
            return ""
        strftime = getattr(self.period, "strftime", None)
        return strftime("%d.%m.%Y") if strftime else str(self.period).strip()

    @property
    def label(self) -> str:
        """The column's labels, `3 Fach- und Hochschulabschluss/ … / Akademischer …`."""
        return " / ".join(self.labels)

    @property
    def header(self) -> str:
        """The column as messages name it: its labels and period, `Insgesamt / 30.06.2021`."""
        return " / ".join(part for part in (self.label, self.when) if part)


@dataclass(frozen=True)
class BaSheet:
    """One data sheet of a BA table. rows: indexes into sheet.rows of the region rows; codes:
    their district codes (None for a row with values but no region cell); aggregates: the
    region cells without a key, in order; notes: the non-blank lines below the table;
    period_row: the row of the period headings as Excel shows it, None when there is none."""

    sheet: RawSheet
    header_index: int
    period_row: int | None
    region_header: str
    columns: tuple[BaColumn, ...]
    rows: tuple[int, ...]
    codes: tuple[str | None, ...]
    aggregates: tuple[str, ...]
    notes: int

    @property
    def header_row(self) -> int:
        """The header's top row as Excel shows it."""
        return self.sheet.first_row_number + self.header_index

    def row_number(self, index: int) -> int:
        return self.sheet.first_row_number + index

    def cell(self, index: int, column: int) -> object:
        row = self.sheet.rows[index]
        return row[column] if column < len(row) else None


def ba_sheets(sheets: Sequence[RawSheet]) -> list[BaSheet]:
    """The data sheets of a BA table, in the workbook's order; [] when it is none."""
    if not any(_has_copyright(sheet) for sheet in sheets):
        return []
    return [table for sheet in sheets if (table := _data_sheet(sheet)) is not None]


def _has_copyright(sheet: RawSheet) -> bool:
    return any(
        isinstance(cell, str) and COPYRIGHT in " ".join(cell.split()).casefold()
        for row in sheet.rows
        for cell in row
    )


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _value_like(cell: object) -> bool:
    """A number, or a symbol of official statistics: what a value cell holds."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float):
        return True
    return isinstance(cell, str) and cell.strip().casefold() in MISSING_SYMBOLS


def _region_row(row: Sequence[object]) -> bool:
    """A row of the table: text in the region column and a value right of it."""
    return bool(row) and isinstance(row[0], str) and any(_value_like(c) for c in row[1:])


def _data_sheet(sheet: RawSheet) -> BaSheet | None:
    rows = sheet.rows
    start = next((i for i, row in enumerate(rows) if _region_row(row)), None)
    if start is None:
        return None
    end = start
    for index in range(start, len(rows)):
        if _region_row(rows[index]):
            end = index + 1
        elif any(_filled(c) for c in rows[index]):
            break
    block = [i for i in range(start, end) if any(_filled(c) for c in rows[i])]
    if not any(_REGION.match(str(rows[i][0] or "")) for i in block):
        return None  # an Impressum's "Auftragsnummer: 326108" is no region
    header = _header_rows(rows, start)
    if not header:
        return None
    width = max(len(rows[i]) for i in [*header, *block])
    value_columns = [
        j
        for j in range(1, width)
        if any(j < len(rows[i]) and _filled(rows[i][j]) for i in [*header, *block])
    ]
    period_row = _period_row(rows, header, value_columns)
    label_rows = [i for i in header if i != period_row and not _numbering(rows[i], value_columns)]
    labels = _labels(rows, label_rows, value_columns)
    columns = tuple(
        BaColumn(
            j,
            labels[j],
            None if period_row is None else _at(rows[period_row], j),
        )
        for j in value_columns
    )
    codes: list[str | None] = []
    kept: list[int] = []
    aggregates: list[str] = []
    for i in block:
        region = rows[i][0]
        key = _REGION.match(str(region or ""))
        if key is None and _filled(region):
            aggregates.append(str(region).strip())
            continue
        kept.append(i)
        codes.append(key.group(1) if key else None)
    notes = sum(1 for row in rows[end:] if any(_filled(c) for c in row))
    top = header[0]
    return BaSheet(
        sheet,
        top,
        None if period_row is None else sheet.first_row_number + period_row,
        str(_at(rows[top], 0) or "").strip(),
        columns,
        tuple(kept),
        tuple(codes),
        tuple(aggregates),
        notes,
    )


def _at(row: Sequence[object], column: int) -> object:
    return row[column] if column < len(row) else None


def _header_rows(rows: Sequence[Sequence[object]], start: int) -> list[int]:
    """The header block: rows right above the table that fill a cell right of the region
    column (blank rows between them allowed); a title line above ends it."""
    found: list[int] = []
    for index in range(start - 1, -1, -1):
        row = rows[index]
        if not any(_filled(c) for c in row):
            continue
        if not any(_filled(c) for c in row[1:]):
            break
        found.append(index)
    return sorted(found)


def _period_row(
    rows: Sequence[Sequence[object]], header: Sequence[int], columns: Sequence[int]
) -> int | None:
    """The header row whose every value column holds a period or a date (the last such row)."""
    for index in reversed(header):
        cells = pd.Series([_at(rows[index], j) for j in columns], dtype=object)
        _, bad, blank = read_periods(cells)
        if not bad.any() and not blank.any():
            return index
    return None


def _numbering(row: Sequence[object], columns: Sequence[int]) -> bool:
    """A row of column numbers (1, 2, 3 …): numbers only, no label."""
    cells = [_at(row, j) for j in columns if _filled(_at(row, j))]
    return bool(cells) and all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in cells
    )


def _labels(
    rows: Sequence[Sequence[object]], label_rows: Sequence[int], columns: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    """Per value column, its group labels top-down (module docstring: a label holds to its
    right up to the next label of its row or a new group starting in a row above)."""
    labels: dict[int, list[str]] = {j: [] for j in columns}
    starts: set[int] = set()  # columns where a row above starts a group
    for index in label_rows:
        row = rows[index]
        current: str | None = None
        for j in columns:
            cell = _at(row, j)
            if _filled(cell):
                current = _clean(cell)
            elif j in starts:
                current = None
            if current:
                labels[j].append(current)
        starts |= {j for j in columns if _filled(_at(row, j))}
    return {j: tuple(found) for j, found in labels.items()}


def _clean(cell: object) -> str | None:
    """A label without its footnote mark and doubled spaces; None for a connective."""
    text = " ".join(_FOOTNOTE_MARK.sub("", str(cell)).split())
    return None if not text or text.casefold() in _CONNECTIVES else text
