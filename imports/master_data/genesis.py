"""GENESIS exports (Destatis, Regionalstatistik, IT.NRW's Landesdatenbank, Zensus 2022 database)
read as long indicator tables.

Two layouts are recognised by their content, whatever the file is called:

- the flat file `ffcsv`: a header `statistics_code;…;time;1_variable_code;…;
  1_variable_attribute_code;…;value;value_unit;value_variable_code;…`, one value per row. The
  district is the attribute code of the regional variable (the first `N_variable_code` that is a
  regional classification: GEO…, DLAND, REGBEZ, KREISE, GEMEIN, DINSG; else variable 1), the
  indicator is `value_variable_code` (e.g. PRS018), followed by `_` and the attribute codes of
  any further variables (BEV001_GESM for men), the period is `time`. A code published in more
  than one unit is followed by its unit too: the consumer price index 61111-0001 gives PREIS1
  as the index (`PREIS1_2020=100`) and as its change on the year before (`PREIS1_%`).
- the classic CSV: header block (`GENESIS-Tabelle: …` or `Tabelle: …`, title lines, column
  headings), data lines `code;name;…;value`, footer after a `__________` line (notes, copyright,
  `Stand:`). The district is the first cell, the period the date or year heading the value
  column (or `--period`), the indicator the text cells between name and value that are not a
  unit (`Personen` in `DG;Deutschland;Personen;Anzahl;82719540;e`). One value column per line
  is read; a table with several (years side by side) is refused with the advice to export the
  flat file.

Either way the result is a sheet with the same line numbers as the file, whose header is
`district;indicator;period;value` and whose other non-data lines are blank — so the long-format
reader does the rest (codes, periods, the missing symbols) and its errors name the file's lines.
Map GENESIS codes to the ledger's indicators with `[indicators.CODE] columns = ["PRS018"]`.
"""

from __future__ import annotations

import re

from imports.master_data.columns import MISSING_SYMBOLS, MasterDataError
from imports.problems import problem
from imports.readers.model import RawSheet

_CLASSIC_TITLE = re.compile(r"^\s*(GENESIS-)?Tabelle\s*:", re.IGNORECASE)
_FOOTER = re.compile(r"^\s*_{3,}")
_REGIONAL = re.compile(r"^(GEO|DLAND|REGBEZ|KREISE|GEMEIN|DINSG|ARS|AGS)", re.IGNORECASE)
_PERIOD_HEADING = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}(-\d{2}){0,2}|\d{4})\s*$")
_NUMBER = re.compile(r"^-?[\d.]+(,\d+)?$|^-?\d+(\.\d+)?$")
_UNITS = frozenset(
    {"anzahl", "prozent", "%", "eur", "tsd. eur", "tsd.", "1000", "ha", "ar", "km2", "km²", "qkm",
     "je 1000 ew", "jahre", "personen je haushalt"}
)  # fmt: skip
LONG_HEADER = ["district", "indicator", "period", "value"]


def genesis_layout(sheet: RawSheet) -> str | None:
    """ "genesis_ffcsv", "genesis_classic" or None (not a GENESIS export)."""
    first = next((r for r in sheet.rows[:5] if r), None)
    if not first:
        return None
    cells = {str(c).strip().casefold() for c in first if c is not None}
    if {"statistics_code", "time", "value"} <= cells:
        return "genesis_ffcsv"
    if _CLASSIC_TITLE.match(str(first[0] or "")):
        return "genesis_classic"
    return None


def as_long_sheet(sheet: RawSheet, layout: str) -> RawSheet:
    """The export as a long table (module docstring); MasterDataError if it cannot be one."""
    rows = _flat(sheet) if layout == "genesis_ffcsv" else _classic(sheet)
    return RawSheet(
        name=sheet.name,
        rows=rows,
        first_row_number=sheet.first_row_number,
        encoding=sheet.encoding,
        delimiter=sheet.delimiter,
    )


def _flat(sheet: RawSheet) -> list[list[object]]:
    header_at = next(i for i, r in enumerate(sheet.rows) if r)
    header = [str(c or "").strip().casefold() for c in sheet.rows[header_at]]
    at = {name: i for i, name in enumerate(header)}
    numbers = sorted(
        int(m.group(1)) for name in header if (m := re.fullmatch(r"(\d+)_variable_code", name))
    )
    first_data = next((r for r in sheet.rows[header_at + 1 :] if r), [])

    def cell(row: list[object], name: str) -> object:
        index = at.get(name)
        return row[index] if index is not None and index < len(row) else None

    regional = next(
        (n for n in numbers if _REGIONAL.match(str(cell(first_data, f"{n}_variable_code") or ""))),
        numbers[0] if numbers else None,
    )
    if regional is None or "value_variable_code" not in at:
        raise MasterDataError(problem("genesis_without_region", file=sheet.name))
    others = [n for n in numbers if n != regional]
    units: dict[str, set[str]] = {}
    for row in sheet.rows[header_at + 1 :]:
        if row:
            code = str(cell(list(row), "value_variable_code") or "").strip()
            units.setdefault(code, set()).add(str(cell(list(row), "value_unit") or "").strip())
    rows: list[list[object]] = [[] for _ in sheet.rows]
    rows[header_at] = list(LONG_HEADER)
    for index in range(header_at + 1, len(sheet.rows)):
        row = list(sheet.rows[index])
        if not row:
            continue
        code = str(cell(row, "value_variable_code") or "").strip()
        parts = [cell(row, "value_variable_code")]
        if len(units.get(code, ())) > 1:  # 61111-0001: the index (2020=100) and its rate (%)
            parts.append(cell(row, "value_unit"))
        parts += [cell(row, f"{n}_variable_attribute_code") for n in others]
        indicator = "_".join(str(p).strip() for p in parts if p not in (None, ""))
        rows[index] = [
            cell(row, f"{regional}_variable_attribute_code"),
            indicator or None,
            cell(row, "time"),
            cell(row, "value"),
        ]
    return rows


def _classic(sheet: RawSheet) -> list[list[object]]:
    source = [list(r) for r in sheet.rows]
    end = next(
        (i for i, r in enumerate(source) if r and _FOOTER.match(str(r[0] or ""))), len(source)
    )
    data = [i for i in range(end) if _is_data(source[i])]
    if not data:
        raise MasterDataError(problem("genesis_without_data", file=sheet.name))
    heading_rows = [source[i] for i in range(data[0]) if source[i]]
    width = max(len(source[i]) for i in data)
    period_columns = {
        c: str(r[c]).strip()
        for r in heading_rows[1:]
        for c in range(2, min(len(r), width))
        if r[c] is not None and _PERIOD_HEADING.match(str(r[c]))
    }
    value_columns = sorted(period_columns) or _numeric_columns(source, data, width)
    if len(value_columns) != 1:
        raise MasterDataError(
            problem("genesis_side_by_side", file=sheet.name, count=len(value_columns))
        )
    [column] = value_columns
    period = period_columns.get(column)
    title = next((str(r[0]).split(":")[0].strip() for r in heading_rows[1:2] if r and r[0]), None)
    header = ["district", "indicator", "value"] if period is None else LONG_HEADER
    rows: list[list[object]] = [[] for _ in source]
    rows[data[0] - 1 if data[0] > 0 else 0] = header
    for index in data:
        row = source[index] + [None] * width
        stub = [
            str(c).strip()
            for c in row[2:column]
            if c is not None and str(c).strip() and str(c).strip().casefold() not in _UNITS
        ]
        indicator = " ".join(stub) or title
        cells = [row[0], indicator, row[column]]
        rows[index] = cells if period is None else [row[0], indicator, period, row[column]]
    return rows


def _is_data(row: list[object]) -> bool:
    """A data line: a code in the first cell and a number or symbol further right."""
    if len(row) < 3 or row[0] is None or not str(row[0]).strip():
        return False
    return any(_value_like(c) for c in row[2:])


def _value_like(cell: object) -> bool:
    text = str(cell or "").strip()
    return bool(text) and (bool(_NUMBER.match(text)) or text.casefold() in MISSING_SYMBOLS)


def _numeric_columns(source: list[list[object]], data: list[int], width: int) -> list[int]:
    columns = []
    for c in range(2, width):
        cells = [source[i][c] if c < len(source[i]) else None for i in data]
        if sum(_value_like(v) for v in cells) >= 0.8 * len(cells):
            columns.append(c)
    return columns
