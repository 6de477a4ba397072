"""Read a census grid file (Zensus 2011 and 2022): one row per grid cell, in EPSG:3035.

The statistical offices publish the grid as CSV (`;` or `,`, German or English decimals), one
row per cell of the INSPIRE grid (ETRS89-LAEA, EPSG:3035) with 100 m or 1 km cells. A cell is
found by its centre (`x_mp_100m`/`y_mp_100m`, `x_mp_1km`/`y_mp_1km`, metres in EPSG:3035) or,
where the file has no centre columns, by its INSPIRE cell id, which names the lower-left corner:

- Zensus 2011: `100mN26840E43341` (hectometres), `1kmN2684E4334` (kilometres);
- Zensus 2022: `CRS3035RES100mN2684000E4334100`, `CRS3035RES1000mN…E…` (metres).

The value column is named by the user (`--value`), and so is an optional weight (`--weight`).
Missing: an empty cell, the symbols of official statistics (`-`, `–`, `.`, `x`, `/`, `…`, `*`)
and negative numbers — the 2011 files write `-1` for "no value / secret / nobody lives here".
Missing values are NaN, never zero, and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from imports.header_detection import doubled_columns
from imports.master_data.columns import (
    MISSING_SYMBOLS,
    MasterDataError,
    doubled_fields,
    sheet_where,
)
from imports.master_data.official_symbols import symbol_meanings
from imports.panel_file import parse_statistics
from imports.postings import RowError
from imports.problems import Problem, listed, problem
from imports.readers import ReadLimits, read_tables

GRID_CRS = "EPSG:3035"
_CENTRES = {100: ("x_mp_100m", "y_mp_100m"), 1000: ("x_mp_1km", "y_mp_1km")}
_CELL_ID = re.compile(r"^(CRS3035RES)?(\d+)(m|km)N(\d+)E(\d+)$", re.IGNORECASE)
_HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class GridFile:
    """A grid file read and checked.

    cells: cell (INSPIRE id as written, or built from the centre), x, y (cell centre, metres in
    EPSG:3035), size_m (100 or 1000), value, weight (floats, NaN = missing), row (1-based line).
    missing: cells whose value is missing; missing_by_meaning: the official symbols among them
    by what they mean (`imports.master_data.official_symbols`), plus `negative` for -1.
    """

    path: Path
    layout: str  # "centres" or "cell_ids"
    columns: dict[str, str]
    cells: pd.DataFrame
    missing: int
    missing_by_meaning: dict[str, int]
    errors: tuple[RowError, ...]


def parse_grid(
    path: Path, value: str, *, weight: str | None = None, limits: ReadLimits | None = None
) -> GridFile:
    """Read one grid file; MasterDataError when its header has no such value or weight column,
    or neither cell centres nor cell ids."""
    path = Path(path)
    sheet = read_tables(path, limits or ReadLimits())[0]
    wanted = [value] if weight is None else [value, weight]
    header_index, headers = _find_header(sheet.rows, wanted)
    if header_index is None:
        raise MasterDataError(
            problem(
                "grid_without_column",
                file=path.name,
                columns=listed(wanted),
                first=_first_row(sheet.rows),
            )
        )
    _refuse_doubled(path, sheet.name, sheet.first_row_number + header_index, headers, wanted)
    body = [list(r) for r in sheet.rows[header_index + 1 :]]
    width = len(headers)
    frame = pd.DataFrame([(r + [None] * width)[:width] for r in body], columns=range(width))
    frame.index = pd.RangeIndex(len(frame)) + sheet.first_row_number + header_index + 1
    frame = frame[frame.notna().any(axis=1)]
    position = {_key(h): i for i, h in enumerate(headers)}
    columns = {"value": headers[position[_key(value)]]}
    errors: list[RowError] = []

    def error(mask: pd.Series, column: str, message: Problem) -> None:
        errors.extend(
            RowError(path.name, sheet.name, int(row), column, message)
            for row in frame.index[mask.to_numpy()]
        )

    layout, x, y, size, cell = _locate(path, frame, headers, position, columns, error)
    values, missing, meanings = _read_measure(frame[position[_key(value)]], columns["value"], error)
    weights = pd.Series(np.nan, index=frame.index)
    if weight is not None:
        columns["weight"] = headers[position[_key(weight)]]
        weights, _, _ = _read_measure(frame[position[_key(weight)]], columns["weight"], error)
    cells = pd.DataFrame(
        {"cell": cell, "x": x, "y": y, "size_m": size, "value": values, "weight": weights}
    )
    cells["row"] = cells.index.astype("int64")
    rejected = {e.row for e in errors}
    cells = cells[~cells.index.isin(list(rejected))]
    repeated = cells["cell"].duplicated(keep="first")
    first_row = cells.drop_duplicates("cell").set_index("cell")["row"]
    for row, code in cells.loc[repeated, "cell"].items():
        errors.append(
            RowError(
                path.name,
                sheet.name,
                int(row),
                columns.get("cell", columns.get("x")),
                problem("cell_again", cell=str(code), row=int(first_row[code])),
            )
        )
    cells = cells[~repeated].reset_index(drop=True)
    return GridFile(
        path=path,
        layout=layout,
        columns=columns,
        cells=cells,
        missing=int(missing.loc[cells["row"].to_numpy()].sum()),
        missing_by_meaning=meanings,
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
    )


def _key(header: object) -> str:
    return str(header or "").strip().casefold()


def _refuse_doubled(
    path: Path, sheet: str, row: int, headers: list[object], wanted: list[str]
) -> None:
    """Two columns named alike (two `Einwohner`, two `x_mp_1km`): which one holds the cells'
    values is not for the program to guess (issue 15)."""
    names = [str(h or "").strip() for h in headers]
    fields = {"value": wanted[0], "weight": wanted[1] if len(wanted) > 1 else None}
    fields |= {name: name for pair in _CENTRES.values() for name in pair}
    aliases = {field: (name,) for field, name in fields.items() if name is not None}
    keys = [_key(n) for n in names]
    columns = {
        field: keys.index(_key(name)) for field, (name,) in aliases.items() if _key(name) in keys
    }
    found = doubled_columns(names, columns, aliases)
    if found:
        raise doubled_fields(path.name, sheet_where(sheet, row), found)


def _first_row(rows: list[list[object]]) -> str | Problem:
    return listed([c for c in (rows[0] if rows else []) if c is not None]) or problem("none_found")


def _find_header(rows: list[list[object]], wanted: list[str]) -> tuple[int | None, list[object]]:
    for index, cells in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        keys = {_key(c) for c in cells}
        if all(_key(w) in keys for w in wanted):
            return index, list(cells)
    return None, []


def _locate(path, frame, headers, position, columns, error):  # type: ignore[no-untyped-def]
    """(layout, x, y, size_m, cell id) from centre columns, else from INSPIRE cell ids."""
    for size, (x_name, y_name) in _CENTRES.items():
        if x_name in position and y_name in position:
            columns["x"], columns["y"] = headers[position[x_name]], headers[position[y_name]]
            x, bad_x, _ = parse_statistics(frame[position[x_name]])
            y, bad_y, _ = parse_statistics(frame[position[y_name]])
            blank = x.isna() | y.isna()
            error(bad_x | bad_y | blank, columns["x"], problem("not_cell_centre"))
            ids = _id_column(frame, headers)
            if ids is not None:
                columns["cell"] = headers[ids]
                cell = frame[ids].map(lambda v: str(v).strip() if v is not None else None)
            else:
                cell = pd.Series(
                    [
                        _built_id(size, xi, yi)
                        for xi, yi in zip(x.fillna(0), y.fillna(0), strict=True)
                    ],
                    index=frame.index,
                )
            return "centres", x, y, pd.Series(size, index=frame.index), cell
    ids = _id_column(frame, headers)
    if ids is None:
        raise MasterDataError(
            problem(
                "grid_without_cells",
                file=path.name,
                columns=listed([h for h in headers if h is not None]),
            )
        )
    columns["cell"] = headers[ids]
    cell = frame[ids].map(lambda v: str(v).strip() if v is not None else None)
    parsed = cell.map(_corner)
    bad = parsed.isna()
    error(bad, columns["cell"], problem("not_cell_id"))
    size = parsed.map(lambda p: p[0] if p else np.nan)
    x = parsed.map(lambda p: p[1] + p[0] / 2 if p else np.nan).astype(float)
    y = parsed.map(lambda p: p[2] + p[0] / 2 if p else np.nan).astype(float)
    return "cell_ids", x, y, size, cell


def _id_column(frame: pd.DataFrame, headers: list[object]) -> int | None:
    """The column whose first filled cells are INSPIRE cell ids."""
    for index in range(len(headers)):
        sample = frame[index].dropna().head(5)
        if len(sample) and all(_CELL_ID.match(str(v).strip()) for v in sample):
            return index
    return None


def _corner(text: object) -> tuple[int, float, float] | None:
    """(cell size in metres, east, north of the lower-left corner) of an INSPIRE cell id."""
    match = _CELL_ID.match(str(text or ""))
    if match is None:
        return None
    prefixed, number, unit, north, east = match.groups()
    size = int(number) * (1000 if unit.casefold() == "km" else 1)
    scale = 1 if prefixed else size  # 2022 ids give metres, 2011 ids multiples of the size
    return size, float(east) * scale, float(north) * scale


def _built_id(size: int, x: float, y: float) -> str:
    """The 2022 form of the id of the cell centred at (x, y)."""
    return f"CRS3035RES{size}mN{int(y - size / 2)}E{int(x - size / 2)}"


def _read_measure(raw: pd.Series, column: str, error) -> tuple[pd.Series, pd.Series, dict]:  # type: ignore[no-untyped-def]
    """Floats with NaN for missing; (values, missing mask, symbol meanings + negatives)."""
    text = raw.map(lambda v: isinstance(v, str))
    stripped = raw.where(~text, raw.astype(str).str.strip())
    symbol = stripped.map(lambda v: isinstance(v, str) and v.casefold() in MISSING_SYMBOLS)
    meanings = symbol_meanings(stripped[symbol])
    values, bad, missing = parse_statistics(stripped.mask(symbol, None))
    error(bad, column, problem("not_a_number"))
    negative = values < 0
    if negative.any():
        meanings["negative"] = int(negative.sum())
    values = values.mask(negative)
    return values, missing | symbol | negative, meanings
