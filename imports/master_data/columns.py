"""Finding a master-data table in a file: its sheet, its header row and which column is which.

SPEC §5: headers match case-insensitively, in English or German, ignoring spaces, dots and
hyphens (and underscores, so `valid_from` is `Valid from`). A trailing unit is ignored as well
(`Anteil in %`, `Ansatz 2025 EUR`, `Betrag (€)`). ß compares equal to ss (`Maßnahme` is
`Massnahme`), because `str.casefold` folds it.

A table is looked for first in the sheets whose names say what they hold ("Sozialräume",
"districts" …), then in every other sheet by content; the header is the first row, within the
first HEADER_SEARCH_ROWS rows, that carries every required column. Each field takes the first
alias (in the order listed) found among the header cells, and one column serves one field only.
That order resolves the common German layout `Nr. | Sozialraum`: a column named like a code
(`Nr.`, `Kennziffer`, `Sozialraum-Nr.`) is the code, and the plain `Sozialraum` is then free to be
the name; where no code-like column exists, `Sozialraum` is the code.

Headers over several rows, as statistical offices lay out their tables (Berlin's MSS workbooks:
`Planungsraum` merged over two columns, with `Nummer | Name` two rows below, and `zS1` merged down
three rows): the rows right below a header row continue it when every filled cell is a label
(text with a letter, not a number, date or missing symbol), at least one of them sits in a column
the rows above left empty, and at least one is a header the table knows; the top row itself must
carry a header the table knows (a legend line above the header is no top). A row of definitions
(labels in exactly the columns the row above labelled, while a column of the block, the key's,
stays blank: Hamburg's Stadtteilprofile explain each short name in a third header row under
"Stadtgebiet" merged down) continues the block too. Blank rows inside the
block are allowed; at most MAX_HEADER_DEPTH rows below the top row are looked at. Each column is
then known by every label of the block (`Planungsraum / Nummer`), and data start below the block.
Rows that fail the test are data, so a sub-header the table does not know ("männlich | weiblich")
shows up as rejected rows rather than being silently swallowed.

Two columns that map to one field are refused naming both (SPEC §5): a column no field claimed,
whose header is an alias of exactly one field that another column took (a second `Kostenstelle`,
`Betrag` beside `Ansatz` in a plan). A column whose header fits several fields, or that is
headed like a place or a measure (`Sozialraum`, `Maßnahme`) beside a code column, is that code's
name (the order above), not a second code. A table whose header is found but which holds no data
rows (only blank, total or note rows below it) is refused as "no rows": an empty table stored as
a new version would replace the current one, an empty measure catalogue would make every euro
unattributed. Optional tables (population beside the districts, allocations beside the measure
catalogue) may be empty: a measure without allocation is documented as unattributed spending.

Some fields are often headed with their reference date (`EW 31.12.2016`, `Einwohner 2016`):
for the fields a table lists as `dated`, a trailing date or year is ignored when matching.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from imports.german_values import is_blank
from imports.header_detection import HEADER_SEARCH_ROWS, column_letter, header_key
from imports.postings import RowError
from imports.problems import (
    Problem,
    ProblemError,
    field_word,
    joined,
    listed,
    problem,
    said,
    table_title,
)
from imports.readers import RawSheet

_SEPARATORS = re.compile(r"[\s.\-_\u2010-\u2015]+")
_UNIT_SUFFIX = re.compile(
    r"(?:[\s(\[/]+(?:in\s+)?(?:eur|euro|€|%|prozent|percent)|\s*[€%])[)\]]?\s*$"
)
# The first filled cell of a total row: "Summe", "Summe:", "Gesamtsumme", "Zwischensumme …",
# "Gesamt", "Insgesamt", "Stadt insgesamt", "Gesamtstadt", "Total", SAP's "*" and "**".
_TOTAL_CELL = re.compile(
    r"^\s*(\*+|(gesamt|zwischen|end)?summen?\b.*|total\b.*|gesamt(stadt)?\b.*|(.*\s)?insgesamt\b.*)$",
    re.IGNORECASE,
)
# A trailing reference date or year of a header key (separators already removed): "ew31122016",
# "einwohneram31122016", "einwohner2016".
_DATE_SUFFIX = re.compile(r"(?:am|zum|stand|per)?(?:\d{2,4})?(?:19|20)\d{2}$")
_LETTER = re.compile(r"[^\W\d_]")
MAX_HEADER_DEPTH = 3
# A row whose only filled cell has this many words is a note, not a district or a measure.
NOTE_WORDS = 6
# The symbols of German official statistics for a missing value (Zeichenerklärung): `-` nothing
# (or "not reported"), `.` unknown or secret, `x` not meaningful, `/` too uncertain, `…` not yet.
MISSING_SYMBOLS = frozenset({"-", "–", "—", ".", "x", "/", "…", "...", "*"})
_NOTE_CELL = re.compile(
    r"^\s*(quellen?|source|anmerkung(en)?|hinweis(e)?|note|fußnoten?|stand|erläuterung(en)?"
    r"|zeichenerklärung)\b|^\s*(\d{1,2}|\*+)\)",
    re.IGNORECASE,
)

# District codes, most code-like first (see the module docstring); shared by every table.
_DISTRICT_CODES = (
    "district", "district code", "district id", "Sozialraumnummer", "Sozialraum-Nr.",
    "Sozialraumschlüssel", "Sozialraumkennziffer", "Sozialraum-Code", "Kennziffer",
    "Stadtteilnummer", "Stadtteil-Nr.", "Bezirksnummer", "Bezirks-Nr.", "Bezirk-Nr.",
)  # fmt: skip
# Only where nothing else could be numbered: the districts, population and indicator tables.
_DISTRICT_NUMBERS = ("Nr.", "Nummer", "Code", "Schlüssel", "ID")
_DISTRICT_PLACES = (
    "Sozialraum", "Bezirk", "Stadtteil", "Stadtbezirk", "Ortsteil", "Planungsraum",
    "Statistischer Bezirk", "Quartier",
    # Hamburg's Stadtteilprofile head their first column "Stadtgebiet" (merged over the three
    # header rows), the rows being Stadtteile, Bezirke and the city.
    "Stadtgebiet",
)  # fmt: skip


def district_aliases(*, numbered: bool) -> tuple[str, ...]:
    """Headers of a district code column; `numbered` adds bare `Nr.`, `Code`, `ID` …, which
    only tables whose rows are districts can afford (an allocation sheet numbers measures)."""
    return (*_DISTRICT_CODES, *(_DISTRICT_NUMBERS if numbered else ()), *_DISTRICT_PLACES)


MEASURE_ALIASES = (
    "measure", "measure code", "measure id", "Maßnahmennummer", "Maßnahmen-Nr.", "Maßnahme-Nr.",
    "Maßnahme Nr.", "Maßnahmencode", "Maßnahmenkennung", "Maßnahmenschlüssel", "Maßnahme",
)  # fmt: skip
YEAR_ALIASES = ("year", "Jahr", "Berichtsjahr", "Stichjahr")
PRODUCT_ALIASES = ("product", "Produkt", "Produktnummer", "Produkt-Nr.")


class MasterDataError(ProblemError):
    """The file as a whole does not hold the expected table; the message lists what was found
    and what was expected, so the user can fix the header (or the settings) at once."""


class NoRows(MasterDataError):
    """A table whose header is found but which holds no data rows (module docstring)."""


def column_key(cell: object, *, keep_unit: bool = False) -> str:
    """How header cells compare: case, spaces, dots, hyphens, underscores and a trailing unit
    ignored; a number header (`2025.0` from Excel) is its whole-number text."""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFC", header_key(cell))
    if not keep_unit:
        text = _UNIT_SUFFIX.sub("", text)
    return _SEPARATORS.sub("", text)


@dataclass(frozen=True)
class TableSpec:
    """What one kind of table looks like.

    title: how messages name it ("districts"). sheet_names: names a sheet holding it usually
    has. fields: field -> header aliases, in order of preference. required: fields the header
    row must carry. dated: fields whose header may end in its reference date (`EW 31.12.2016`).
    """

    title: str
    sheet_names: tuple[str, ...]
    fields: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    dated: tuple[str, ...] = ()

    def knows(self, cell: object) -> bool:
        """Is the cell a header of one of the fields (used to recognise a header's second row)?"""
        key = column_key(cell)
        return any(key == column_key(a) for aliases in self.fields.values() for a in aliases)

    def named(self, sheet: RawSheet) -> bool:
        key = column_key(sheet.name, keep_unit=True)
        return any(key.startswith(column_key(n, keep_unit=True)) for n in self.sheet_names)


def match_columns(cells: Sequence[object], spec: TableSpec) -> dict[str, int]:
    """Field -> column index for one candidate header row (see the module docstring)."""
    return match_labels([(c,) for c in cells], spec)


def match_labels(labels: Sequence[Sequence[object]], spec: TableSpec) -> dict[str, int]:
    """Field -> column index, where each column may carry several labels (a header over
    several rows); a column matches an alias when any of its labels does."""
    keys = [{column_key(c) for c in cells if c is not None} for cells in labels]
    undated = [{_DATE_SUFFIX.sub("", k) or k for k in column} for column in keys]
    mapped: dict[str, int] = {}
    for field, aliases in spec.fields.items():
        candidates = undated if field in spec.dated else keys
        for alias in aliases:
            wanted = column_key(alias)
            index = next(
                (
                    i
                    for i, column in enumerate(candidates)
                    if wanted in column and i not in mapped.values()
                ),
                None,
            )
            if index is not None:
                mapped[field] = index
                break
    return mapped


@dataclass(frozen=True)
class IgnoredColumns:
    """Columns of a table that nothing read (SPEC §5: listed as ignored). names: in column
    order, each by its header, or by its letter where it has none ("R"); without_header: the
    letters among them. Data, not a phrase ("column R (no header)"), so that the JSON is the
    same in every language and the front door words a header-less column in the reader's."""

    names: tuple[str, ...] = ()
    without_header: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One table found in a file: where its header is and which column holds which field."""

    file: str
    sheet: RawSheet
    header_index: int | None  # index into sheet.rows; None when the source described its columns
    columns: Mapping[str, int]
    headers: tuple[str, ...]  # every header cell as text, trimmed; " / "-joined over header rows
    header_depth: int = 1  # rows the header spans, from header_index (module docstring)
    stacked: tuple[object, ...] = ()  # per column, its top label or else the first below it
    title: str = "master data"  # the kind of table, as messages name it ("measures")

    @property
    def header_row(self) -> int | None:
        """The header's row number as Excel shows it."""
        return (
            None if self.header_index is None else self.sheet.first_row_number + self.header_index
        )

    @property
    def header_cells(self) -> Sequence[object]:
        """The header row's cells as the reader delivered them (numbers stay numbers); for a
        header over several rows, each column's top label, or else the first one below it."""
        if self.header_index is None:
            return self.sheet.header or ()
        if self.stacked:
            return self.stacked
        return self.sheet.rows[self.header_index]

    @property
    def first_data(self) -> int:
        return 0 if self.header_index is None else self.header_index + self.header_depth

    def header(self, field: str) -> str:
        """The header of a field's column as the file writes it, for messages."""
        return self.headers[self.columns[field]]

    def cells(self, index: int) -> pd.Series:
        """Column `index` of every data row, indexed by the row number as Excel shows it."""
        rows = self.sheet.rows[self.first_data :]
        first = self.sheet.first_row_number + self.first_data
        return pd.Series(
            [row[index] if index < len(row) else None for row in rows],
            index=pd.RangeIndex(first, first + len(rows)),
            dtype=object,
        )

    def raw(self, *, optional: bool = False) -> tuple[pd.DataFrame, Skipped]:
        """The mapped fields' cells of the data rows, and how many rows were skipped; a table
        without data rows is refused (module docstring) unless it is `optional`.

        Skipped: total rows (`Summe`, `Gesamt`, `Stadt insgesamt` in the first filled cell)
        and notes below or between the data that statistical offices add (a row whose only
        filled cell is text such as `Quelle: …`, `Anmerkung: …`, `1) …`, or a sentence of
        NOTE_WORDS words or more, as the MSS workbooks write below their tables). Blank rows
        are skipped without counting: they carry nothing.
        """
        every = pd.DataFrame({i: self.cells(i) for i in range(len(self.headers))})
        if every.empty:
            if not optional:
                raise self._no_rows(Skipped())
            index = pd.RangeIndex(0)
            empty = pd.DataFrame({f: pd.Series(dtype=object) for f in self.columns}, index)
            return empty, Skipped()
        blank_cells = pd.concat([is_blank(every[c]) for c in every.columns], axis=1)
        blank = blank_cells.all(axis=1)
        first_filled = blank_cells.to_numpy().argmin(axis=1)
        leading = pd.Series(
            every.to_numpy()[np.arange(len(every)), first_filled], index=every.index
        )
        text = leading.map(lambda v: isinstance(v, str))
        total = ~blank & text & leading.map(lambda v: bool(_TOTAL_CELL.match(str(v))))
        alone = (~blank_cells).sum(axis=1) == 1
        note = (
            ~blank
            & ~total
            & alone
            & text
            & leading.map(
                lambda v: bool(_NOTE_CELL.match(str(v))) or len(str(v).split()) >= NOTE_WORDS
            )
        )
        kept = every[~blank & ~total & ~note]
        skipped = Skipped(int(total.sum()), int(note.sum()))
        if kept.empty and not optional:
            raise self._no_rows(skipped)
        frame = pd.DataFrame({f: kept[i] for f, i in self.columns.items()}, index=kept.index)
        return frame, skipped

    def _no_rows(self, skipped: Skipped) -> NoRows:
        """A header without data rows (module docstring)."""
        where = (
            problem("where_table_header", row=self.header_row)
            if self.header_row is not None
            else problem("where_table_described")
        )
        left: Problem | str = (
            problem("skipped_notes", total=skipped.total, notes=skipped.notes)
            if skipped.total or skipped.notes
            else ""
        )
        return NoRows(
            problem(
                "in_file",
                file=self.file,
                detail=problem(
                    "no_table_rows",
                    table=table_title(self.title),
                    sheet=said(self.sheet.name),
                    where=where,
                    left=left,
                ),
            )
        )

    def unused_headers(self, used: Iterable[int] | None = None) -> IgnoredColumns:
        """The columns that no field (and no index in `used`) claimed, so that nothing the file
        holds is dropped without a word: each by its header or, where it has none but holds
        data, by its letter ("R")."""
        taken = set(self.columns.values()) | set(used or ())
        width = max((len(r) for r in self.sheet.rows[self.first_data :]), default=0)
        named = {i: h for i, h in enumerate(self.headers) if i not in taken and h}
        unnamed = {
            i: column_letter(i)
            for i in range(width)
            if i not in taken
            and (i >= len(self.headers) or not self.headers[i])
            and not is_blank(self.cells(i)).all()
        }
        return IgnoredColumns(
            tuple(name for _, name in sorted({**named, **unnamed}.items())),
            tuple(unnamed.values()),
        )

    def error(self, row: int, field: str | None, message: str | Problem) -> RowError:
        column = self.header(field) if field in self.columns else field
        return RowError(self.file, self.sheet.name, int(row), column, message)

    def errors(
        self, mask: pd.Series, field: str | None, message: str | Problem | pd.Series
    ) -> list[RowError]:
        """One error per row where mask is true; message may be a per-row Series (of texts or
        Problems)."""
        rows = mask.index[mask.to_numpy(dtype=bool)]
        if isinstance(message, pd.Series):
            return [self.error(r, field, _text_or_problem(message[r])) for r in rows]
        return [self.error(r, field, message) for r in rows]


def _text_or_problem(message: object) -> str | Problem:
    return message if isinstance(message, Problem) else str(message)


@dataclass(frozen=True)
class Skipped:
    """Rows left out on purpose: totals, and notes such as `Quelle: …` (see Table.raw)."""

    total: int = 0
    notes: int = 0

    def __add__(self, other: Skipped) -> Skipped:
        return Skipped(self.total + other.total, self.notes + other.notes)


Accept = Callable[[Sequence[object], dict[str, int]], bool]


def find_table(
    path: Path,
    sheets: Sequence[RawSheet],
    spec: TableSpec,
    *,
    accept: Accept | None = None,
    skip: Iterable[str] = (),
) -> Table | None:
    """The first header row carrying `spec`'s required columns (and passing `accept`), in the
    sheets named like the table first, then in the others; None when there is none."""
    skipped = set(skip)
    candidates = [s for s in sheets if s.name not in skipped]
    ordered = [s for s in candidates if spec.named(s)] + [
        s for s in candidates if not spec.named(s)
    ]
    for sheet in ordered:
        for index, cells in _candidate_rows(sheet):
            own = match_columns(cells, spec)
            below = [] if index is None or not own else _continuation_rows(sheet, index, spec)
            labels = _block_labels(sheet, cells, [] if index is None else below)
            mapped = match_labels(labels, spec)
            stacked = tuple(next(iter(column), None) for column in labels)
            if all(f in mapped for f in spec.required) and (
                accept is None or accept(stacked, mapped)
            ):
                headers = tuple(" / ".join(_header_text(c) for c in column) for column in labels)
                depth = 1 if index is None or not below else below[-1] - index + 1
                table = Table(
                    path.name,
                    sheet,
                    index,
                    mapped,
                    headers,
                    depth,
                    stacked if depth > 1 else (),
                    spec.title,
                )
                _refuse_doubled_fields(table, labels, spec)
                return table
    return None


# Headers that name a place or a measure: beside a code column they are its name (module
# docstring), never a second code.
_NAME_LIKE = frozenset(column_key(a) for a in (*_DISTRICT_PLACES, "Maßnahme", "Massnahme"))


def _refuse_doubled_fields(
    table: Table, labels: Sequence[Sequence[object]], spec: TableSpec
) -> None:
    """Two columns mapping to one field (module docstring): MasterDataError naming both."""
    taken = set(table.columns.values())
    found = []
    for index, column in enumerate(labels):
        if index in taken or not column:
            continue
        keys = {column_key(c) for c in column}
        if keys <= _NAME_LIKE:
            continue
        undated = {_DATE_SUFFIX.sub("", k) or k for k in keys}
        fits = [
            field
            for field, aliases in spec.fields.items()
            if any(column_key(a) in (undated if field in spec.dated else keys) for a in aliases)
        ]
        if len(fits) == 1 and fits[0] in table.columns:
            first = table.columns[fits[0]]
            found.append(
                problem(
                    "doubled_column",
                    field=field_word(fits[0]),
                    first=said(table.headers[first]),
                    first_letter=column_letter(first),
                    second=said(table.headers[index]),
                    second_letter=column_letter(index),
                )
            )
    if found:
        raise doubled_fields(table.file, sheet_where(table.sheet.name, table.header_row), found)


def sheet_where(sheet: str, header_row: int | None) -> Problem:
    """Where a table's header is, as a doubled-field refusal names it."""
    if header_row is None:
        return problem("where_sheet", sheet=said(sheet))
    return problem("where_sheet_row", sheet=said(sheet), row=header_row)


def doubled_fields(file: str, where: Problem, found: Sequence[Problem]) -> MasterDataError:
    """The refusal of a header in which two columns map to one field (`doubled_column`s), for
    master data, geodata and places alike."""
    return MasterDataError(
        problem("doubled_fields", file=file, where=where, found=joined(found, "; "))
    )


def _label(cell: object) -> bool:
    """A header label: text with a letter, not a missing symbol, total or note."""
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return (
        bool(_LETTER.search(text))
        and text.casefold() not in MISSING_SYMBOLS
        and not _TOTAL_CELL.match(text)
        and not _NOTE_CELL.match(text)
    )


def _continuation_rows(sheet: RawSheet, index: int, spec: TableSpec) -> list[int]:
    """Indexes of the rows that continue the header row `index` (module docstring)."""
    labelled = {i for i, c in enumerate(sheet.rows[index]) if not _blank(c)}
    found: list[int] = []
    for below in range(index + 1, min(index + 1 + MAX_HEADER_DEPTH, len(sheet.rows))):
        filled = [(i, c) for i, c in enumerate(sheet.rows[below]) if not _blank(c)]
        if not filled:
            continue
        columns = {i for i, _ in filled}
        labels = all(_label(c) for _, c in filled)
        extends = any(i not in labelled for i in columns) and any(spec.knows(c) for _, c in filled)
        if not (
            labels
            and (extends or _defines(columns, sheet.rows[found[-1] if found else index], labelled))
        ):
            break
        found.append(below)
        labelled |= {i for i, _ in filled}
    return found


def _defines(columns: set[int], above: Sequence[object], labelled: set[int]) -> bool:
    """A row of definitions under the header (Hamburg's Stadtteilprofile: "Anzahl der
    Einwohnerinnen und Einwohner" under "Bevölkerung"): labels in exactly the columns the row
    above labelled, at least two, while a column the block labelled stays blank (the key's
    header cell merged down over the block). A data row fills its key column, so a table of
    names alone (`Stadtteil | Name`) is never mistaken for one."""
    above_columns = {i for i, c in enumerate(above) if not _blank(c)}
    return len(columns) >= 2 and columns == above_columns and bool(labelled - columns)


def _block_labels(
    sheet: RawSheet, cells: Sequence[object], below: Sequence[int]
) -> list[tuple[object, ...]]:
    """Per column, the filled cells of the header row and of its continuation rows."""
    rows = [cells, *(sheet.rows[i] for i in below)]
    width = max(len(r) for r in rows)
    return [tuple(r[i] for r in rows if i < len(r) and not _blank(r[i])) for i in range(width)]


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def missing_table(
    path: Path, sheets: Sequence[RawSheet], spec: TableSpec, hint: Problem | None = None
) -> MasterDataError:
    """Why no table was found: the most header-like row (of a sheet named like the table, if
    any) with what it lacks, and every alias that would have done."""
    named = [s for s in sheets if spec.named(s)]
    best: tuple[int, RawSheet, int | None, Sequence[object]] | None = None
    for sheet in named or sheets:
        for index, cells in _candidate_rows(sheet):
            texts = sum(1 for c in cells if isinstance(c, str) and c.strip())
            if texts and (best is None or texts > best[0]):
                best = (texts, sheet, index, cells)
    lines = []
    if best is None:
        lines.append(problem("no_header_in_sheets"))
        missing = list(spec.required)
    else:
        _, sheet, index, cells = best
        row = (
            problem("where_table_described")
            if index is None
            else problem("where_row", row=sheet.first_row_number + index)
        )
        found = listed([_header_text(c) for c in cells if c is not None and str(c).strip()])
        lines.append(problem("table_header_found", sheet=said(sheet.name), where=row, found=found))
        mapped = match_columns(cells, spec)
        missing = [f for f in spec.required if f not in mapped]
    for field in missing:
        lines.append(
            problem("missing_column", field=field_word(field), aliases=listed(spec.fields[field]))
        )
    if hint is not None:
        lines.append(hint)
    head = problem("no_table_found", file=path.name, table=table_title(spec.title))
    return MasterDataError(Problem(head.code, head.values, tuple(lines)))


def _candidate_rows(sheet: RawSheet) -> list[tuple[int | None, Sequence[object]]]:
    if sheet.header is not None:
        return [(None, sheet.header)]
    return list(enumerate(sheet.rows[:HEADER_SEARCH_ROWS]))


def _header_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def earlier_rows(keys: pd.DataFrame) -> pd.Series:
    """Rows (index: row number) whose key repeats an earlier row's, mapped to that first row.

    Rows with an empty key part take no part: their emptiness is reported on its own.
    """
    complete = keys[keys.notna().all(axis=1)]
    if complete.empty:
        return pd.Series(dtype="int64")
    repeated = complete.duplicated(keep="first")
    numbers = pd.Series(complete.index, index=complete.index)
    first = numbers.groupby([complete[c] for c in complete.columns], sort=False).transform("min")
    return first[repeated.to_numpy()].astype("int64")


def finish(frame: pd.DataFrame, table: Table | None, fields: Sequence[str]) -> pd.DataFrame:
    """A result frame: `fields` in order, then the origin of each row (`sheet`, and `row` as
    Excel shows it, taken from the index unless present); sorted by row. Text and date columns
    are plain object columns whose empty cells are None (pandas turns None into NaN on the
    way, and pandas 3 would make text columns `str` with NaN). Without a `table` (rows from
    several sheets) the frame brings its own `sheet` column."""
    out = frame.copy()
    if "row" not in out:
        out["row"] = np.asarray(out.index, dtype="int64")
    if table is not None or "sheet" not in out:
        out["sheet"] = None if table is None else table.sheet.name
    out = out[[*fields, "sheet", "row"]].sort_values("row", kind="stable").reset_index(drop=True)
    for field in [*fields, "sheet"]:
        if not pd.api.types.is_numeric_dtype(out[field]):
            out[field] = pd.Series(
                [None if _is_missing(v) else v for v in out[field]], index=out.index, dtype=object
            )
    return out.astype({"row": "int64"})


def _is_missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NaT
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    )
