"""`import prices`: a yearly price index, as Destatis publishes the consumer price index (table
61111-0001, Verbraucherpreisindex für Deutschland, Jahre), to show money in constant prices.

The file is a GENESIS flat file (`ffcsv`, one value per line), read by the same reader as
indicator tables (`imports.master_data.genesis`); it must hold one region (Deutschland, DG, or a
Land). 61111-0001 publishes each year twice under one code, as the index and as its change on the
year before; the reader names them `PREIS1_2020=100` and `PREIS1_%`, and the series taken is the
one whose name carries a base (`…=100`) unless `--series` names another. Levels stay exact
decimal text as published (`95,0` → `95.0`): a deflated amount is computed from them in Decimal
(`ledger.constant_prices`). A year without a value (one of the missing symbols) is counted, never
a zero; two values for one year, a period that is not a year, or a level that is not a positive
number are errors at their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from imports.master_data.columns import MISSING_SYMBOLS, MasterDataError
from imports.master_data.genesis import LONG_HEADER, as_long_sheet, genesis_layout
from imports.postings import RowError
from imports.problems import Problem, listed, problem, said
from imports.readers import ReadLimits, read_tables

_BASE = re.compile(r"\d{4}\s*=\s*100")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class PricesFile:
    """One price index file: its series, the unit (base) of its levels, and per year the
    published level as exact decimal text."""

    path: Path
    series: str
    unit: str
    region: str
    levels: pd.DataFrame  # series, year, level, unit
    missing: int
    errors: tuple[RowError, ...]
    other_series: tuple[str, ...]


def parse_prices(
    path: Path, limits: ReadLimits | None = None, series: str | None = None
) -> PricesFile:
    """Read one price index (module docstring); MasterDataError when it is no GENESIS table,
    holds several regions, or the series cannot be told."""
    path = Path(path)
    sheets = read_tables(path, limits or ReadLimits())
    layout = genesis_layout(sheets[0]) if len(sheets) == 1 else None
    if layout is None:
        raise MasterDataError(problem("not_genesis_export", file=path.name))
    sheet = as_long_sheet(sheets[0], layout)
    lines = [
        (sheet.first_row_number + i, row)
        for i, row in enumerate(sheet.rows)
        if len(row) >= 4 and any(c not in (None, "") for c in row) and row[:4] != LONG_HEADER
    ]
    if not lines:  # a header without rows never becomes an empty version
        raise MasterDataError(problem("no_index_rows", file=path.name))
    regions = sorted({str(row[0]).strip() for _, row in lines})
    if len(regions) != 1:
        raise MasterDataError(
            problem(
                "several_regions",
                file=path.name,
                count=len(regions),
                regions=", ".join(regions[:10]),
            )
        )
    names = sorted({str(row[1]).strip() for _, row in lines})
    chosen = _series(path, names, series)
    unit_match = _BASE.search(chosen)
    unit = unit_match.group(0).replace(" ", "") if unit_match else ""
    errors: list[RowError] = []
    levels: dict[int, tuple[int, str]] = {}
    missing = 0
    for number, row in lines:
        if str(row[1]).strip() != chosen:
            continue
        period = _YEAR.match(str(row[2] or ""))
        value = str(row[3] if row[3] is not None else "").strip()
        if period is None:
            errors.append(
                _error(path, sheet.name, number, "time", problem("not_year", value=said(row[2])))
            )
            continue
        year = int(period.group(1))
        if value == "" or value.casefold() in MISSING_SYMBOLS:
            missing += 1
            continue
        level = _level(value)
        if level is None:
            message = problem("not_index_level", value=said(value))
            errors.append(_error(path, sheet.name, number, "value", message))
        elif year in levels:
            message = problem("second_index_level", year=year, line=levels[year][0])
            errors.append(_error(path, sheet.name, number, "value", message))
        else:
            levels[year] = (number, level)
    if not levels and not errors:
        raise MasterDataError(problem("no_index_levels", file=path.name, series=said(chosen)))
    frame = pd.DataFrame(
        {
            "series": chosen,
            "year": sorted(levels),
            "level": [levels[y][1] for y in sorted(levels)],
            "unit": unit,
        }
    )
    return PricesFile(
        path=path,
        series=chosen,
        unit=unit,
        region=regions[0],
        levels=frame.astype({"year": "int64"}),
        missing=missing,
        errors=tuple(errors),
        other_series=tuple(n for n in names if n != chosen),
    )


def _series(path: Path, names: list[str], wanted: str | None) -> str:
    if wanted is not None:
        if wanted not in names:
            raise MasterDataError(
                problem("no_such_series", file=path.name, series=said(wanted), names=listed(names))
            )
        return wanted
    indexed = [n for n in names if _BASE.search(n)]
    if len(indexed) == 1:
        return indexed[0]
    if len(names) == 1:
        return names[0]
    raise MasterDataError(problem("several_series", file=path.name, names=listed(names)))


def _level(text: str) -> str | None:
    """`95,0` or `95.0` as exact decimal text, or None when it is not a positive number."""
    normal = text.replace(".", "").replace(",", ".") if "," in text else text
    try:
        level = Decimal(normal)
    except InvalidOperation:
        return None
    return str(level) if level.is_finite() and level > 0 else None


def _error(path: Path, sheet: str, row: int, column: str, message: Problem) -> RowError:
    return RowError(path.name, sheet, row, column, message)
