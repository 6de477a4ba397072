"""Reading a user's own panel (CSV or Excel) for `budget-monitor evaluate --panel`.

A panel file is a plain long table, one row per unit and period, with a header row naming the
columns; the user tells us which column is the outcome, the unit, the period and the cohort. The
file is read with the same readers as postings exports (encoding and delimiter detection, archive
limits), the header is the first row, within the first rows of the first sheet that has one,
that holds every named column. Every bad cell is collected as a `RowError` with the row as Excel
shows it (for CSV the 1-based line, header included), so the user can fix all of them at once.

Numbers may be workbook numbers or text with a decimal point (`8.4615`, `1e-05`) or, as German
tables write them, a decimal comma (`8,4615`, `1.234,5`). The decimal mark is a property of a
column, never guessed per cell: a column in which any cell holds a comma reads commas as decimal
marks (and points only as thousands separators); a cell that does not fit is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from imports.german_values import normalise_codes
from imports.header_detection import HEADER_SEARCH_ROWS, header_key
from imports.postings import RowError
from imports.problems import Problem, joined, problem, said
from imports.readers import FileRefused, RawSheet, ReadLimits, read_tables
from imports.readers.workbook import WORKBOOK_SUFFIXES

PANEL_SUFFIXES = frozenset({".csv"}) | WORKBOOK_SUFFIXES
# Empty cells and the symbols of German official statistics (plus R's NA) mark a missing
# outcome, never a zero; compared after removing spaces and case.
MISSING_MARKERS = frozenset({"", "-", ".", "x", "/", "…", "...", "na", "nan"})
_DOT_DECIMAL = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_COMMA_DECIMAL = r"[-+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?(?:[eE][-+]?\d+)?"
_SPACES = r"[\s\u00a0\u202f]"
# How a message names each role, and what an empty cell of a code role lacks.
_ROLES = {
    "unit": "panel_role_unit",
    "time": "panel_role_time",
    "outcome": "panel_role_outcome",
    "cohort": "panel_role_cohort",
    "cluster": "panel_role_cluster",
}
_NEEDS = {"unit": "panel_needs_unit", "cluster": "panel_needs_cluster"}


@dataclass(frozen=True)
class PanelColumns:
    """The header names the user gave for each role; cluster is optional."""

    outcome: str
    unit: str
    time: str
    cohort: str
    cluster: str | None = None

    def roles(self) -> dict[str, str]:
        """Role → header name, in the order the roles are checked and reported."""
        named = {
            "outcome": self.outcome,
            "unit": self.unit,
            "time": self.time,
            "cohort": self.cohort,
            "cluster": self.cluster,
        }
        return {role: name for role, name in named.items() if name is not None}


@dataclass(frozen=True)
class PanelFile:
    """A panel read and checked.

    frame: one row per data row of the file, indexed by the row number as Excel shows it (CSV:
    the line), with one column per named header (under the name the user gave): the outcome as
    float (NaN = missing), time and cohort as numbers (int64 when all are whole, else float;
    cohort 0 = never treated, also for an empty cell), unit and cluster as text codes.
    errors: every rejected cell; when there are any the frame must not be evaluated.
    """

    path: Path
    sheet: str
    header_row: int
    frame: pd.DataFrame
    errors: tuple[RowError, ...]


def read_panel(path: Path, columns: PanelColumns, limits: ReadLimits | None = None) -> PanelFile:
    """Read and check a panel file; FileRefused when it cannot be read or lacks a named column."""
    path = Path(path)
    if not path.exists():
        raise FileRefused(path, problem("file_not_found"))
    if path.is_dir() or path.suffix.lower() not in PANEL_SUFFIXES:
        shown = (
            problem("panel_folder")
            if path.is_dir()
            else path.suffix or problem("panel_without_extension")
        )
        raise FileRefused(
            path,
            problem("panel_type", suffixes=", ".join(sorted(PANEL_SUFFIXES)), found=shown),
        )
    sheets = read_tables(path, limits or ReadLimits())
    sheet, header_index, positions = _find_header(path, sheets, columns)
    first_data = header_index + 1
    numbers = np.arange(len(sheet.rows) - first_data) + sheet.first_row_number + first_data
    cells = {
        role: pd.Series(
            [_cell(row, positions[role]) for row in sheet.rows[first_data:]],
            index=numbers,
            dtype=object,
        )
        for role in columns.roles()
    }
    filled = np.zeros(len(numbers), dtype=bool)
    for values in cells.values():
        filled |= ~_blank(values).to_numpy()
    cells = {role: values[filled] for role, values in cells.items()}
    if not filled.any():
        row = sheet.first_row_number + header_index
        where = (
            problem("where_row", row=row)
            if sheet.name == path.name
            else problem("where_sheet_row", sheet=said(sheet.name), row=row)
        )
        raise FileRefused(path, problem("panel_no_rows", where=where))

    errors: list[RowError] = []

    def reject(role: str, mask: pd.Series, message: pd.Series | Problem) -> None:
        texts = message if isinstance(message, pd.Series) else pd.Series(message, index=mask.index)
        for row in mask.index[mask.to_numpy()]:
            errors.append(
                RowError(path.name, sheet.name, int(row), columns.roles()[role], texts[row])
            )

    frame = pd.DataFrame(index=pd.Index(cells["unit"].index, name="row"))
    for role in ("unit", "cluster"):
        if role in cells:
            codes = normalise_codes(cells[role])
            reject(role, codes.isna(), problem(_NEEDS[role]))
            frame[columns.roles()[role]] = codes
    time, bad_time, missing_time = parse_statistics(cells["time"])
    reject("time", bad_time, _not_a_number(cells["time"]))
    reject("time", missing_time, problem("panel_needs_time"))
    outcome, bad_outcome, _ = parse_statistics(cells["outcome"])
    reject("outcome", bad_outcome, _not_a_number(cells["outcome"]))
    cohort, bad_cohort, missing_cohort = parse_statistics(cells["cohort"])
    reject("cohort", bad_cohort, _not_a_number(cells["cohort"]))
    cohort = cohort.mask(missing_cohort, 0.0)
    reject("cohort", cohort < 0, problem("panel_negative_cohort"))
    frame[columns.time] = _whole_as_integers(time)
    frame[columns.outcome] = outcome
    frame[columns.cohort] = _whole_as_integers(cohort)
    errors += _duplicate_periods(path, sheet, frame, columns)
    errors += _varying_cohorts(path, sheet, frame, columns)
    errors.sort(key=lambda e: (e.row, list(columns.roles().values()).index(e.column or "")))
    return PanelFile(
        path=path,
        sheet=sheet.name,
        header_row=sheet.first_row_number + header_index,
        frame=frame,
        errors=tuple(errors),
    )


def parse_statistics(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Floats from workbook numbers or number text; returns (numbers, bad, missing) masks.

    missing: empty cells and the markers in MISSING_MARKERS (numbers NaN there). bad: anything
    else that is not a number, including booleans and dates. See the module docstring for the
    decimal mark.
    """
    numbers = pd.Series(np.nan, index=values.index, dtype=float)
    is_number = values.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool))
    is_number = is_number.astype(bool)
    numbers[is_number] = values[is_number].astype(float)
    is_text = values.map(lambda v: isinstance(v, str)).astype(bool)
    text = values[is_text].astype(str).str.replace(_SPACES, "", regex=True)
    marker = text.str.casefold().isin(MISSING_MARKERS)
    candidates = text[~marker]
    comma = bool(candidates.str.contains(",", regex=False).any())
    fits = candidates.str.fullmatch(_COMMA_DECIMAL if comma else _DOT_DECIMAL)
    good = candidates[fits]
    if comma:
        good = good.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    numbers[good.index] = good.astype(float)

    missing = values.isna() | (is_number & numbers.isna())
    missing[marker.index] = marker
    bad = ~missing & numbers.isna()
    return numbers, bad, missing


def _find_header(
    path: Path, sheets: list[RawSheet], columns: PanelColumns
) -> tuple[RawSheet, int, dict[str, int]]:
    """The first sheet and row holding every named column, with each role's column index."""
    best: tuple[int, RawSheet, int, dict[str, int]] | None = None
    for sheet in sheets:
        for index, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
            positions = _positions(cells, columns)
            if len(positions) == len(columns.roles()):
                return sheet, index, positions
            if positions and (best is None or len(positions) > best[0]):
                best = (len(positions), sheet, index, positions)
    if best is None:
        sheet = next((s for s in sheets if any(_filled(r) for r in s.rows)), None)
        if sheet is None:
            raise FileRefused(path, problem("panel_without_data"))
        index = next(i for i, r in enumerate(sheet.rows) if _filled(r))
        best = (0, sheet, index, {})
    _, sheet, index, positions = best
    missing = [
        problem("panel_role_column", role=problem(_ROLES[role]), name=said(name))
        for role, name in columns.roles().items()
        if role not in positions
    ]
    found = ", ".join(str(c).strip() for c in sheet.rows[index] if _present(c))
    row = sheet.first_row_number + index
    where = (
        problem("where_sheet_row", sheet=said(sheet.name), row=row)
        if len(sheets) > 1
        else problem("where_row", row=row)
    )
    raise FileRefused(
        path,
        problem(
            "panel_columns_missing",
            missing=joined(missing, "; "),
            where=where,
            found=found or problem("none_found"),
        ),
    )


def _positions(cells: list[object], columns: PanelColumns) -> dict[str, int]:
    """Role → column index: the exact header first, else one equal but for case and spacing."""
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if _present(cell):
            exact.setdefault(str(cell).strip(), index)
            loose.setdefault(header_key(cell), index)
    positions = {}
    for role, name in columns.roles().items():
        if name.strip() in exact:
            positions[role] = exact[name.strip()]
        elif header_key(name) in loose:
            positions[role] = loose[header_key(name)]
    return positions


def _duplicate_periods(
    path: Path, sheet: RawSheet, frame: pd.DataFrame, columns: PanelColumns
) -> list[RowError]:
    """One error per repeated unit-period row, naming the row that had it first."""
    unit, time = frame[columns.unit], frame[columns.time]
    repeated = frame[[columns.unit, columns.time]].duplicated() & unit.notna() & time.notna()
    if not repeated.any():
        return []
    rows = pd.Series(frame.index, index=frame.index)
    first = rows.groupby([unit, time]).transform("min")
    return [
        RowError(
            path.name,
            sheet.name,
            int(row),
            columns.time,
            problem(
                "panel_period_again",
                unit=said(unit[row]),
                period=_number_text(time[row]),
                row=int(first[row]),
            ),
        )
        for row in frame.index[repeated.to_numpy()]
    ]


def _varying_cohorts(
    path: Path, sheet: RawSheet, frame: pd.DataFrame, columns: PanelColumns
) -> list[RowError]:
    """A unit's cohort is its first treated period, the same in all its rows."""
    cohort = frame[[columns.unit, columns.cohort]].dropna()
    first = cohort.groupby(columns.unit)[columns.cohort].transform("first")
    differs = cohort[columns.cohort] != first
    errors = []
    for row in cohort.index[differs.to_numpy()].unique():
        unit = cohort.loc[row, columns.unit]
        errors.append(
            RowError(
                path.name,
                sheet.name,
                int(row),
                columns.cohort,
                problem(
                    "panel_cohort_varies",
                    unit=said(unit),
                    cohort=_number_text(cohort.loc[row, columns.cohort]),
                    earlier=_number_text(first.loc[row]),
                ),
            )
        )
    return errors


def _whole_as_integers(values: pd.Series) -> pd.Series:
    """Periods as integers when all are whole numbers (years), so messages say 2019, not 2019.0."""
    finite = values.notna().all() and np.isfinite(values).all()
    if finite and (values == np.round(values)).all() and (values.abs() < 2**53).all():
        return values.astype(np.int64)
    return values


def _not_a_number(values: pd.Series) -> pd.Series:
    comma = values.map(lambda v: isinstance(v, str) and "," in v).astype(bool).any()
    code = "panel_not_number_comma" if comma else "not_number"
    return values.map(lambda v: problem(code, value=said(v)))


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _present(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _filled(row: list[object]) -> bool:
    return any(_present(c) for c in row)


def _blank(values: pd.Series) -> pd.Series:
    blank = values.map(lambda v: not _present(v) or (isinstance(v, float) and np.isnan(v)))
    return blank.astype(bool)
