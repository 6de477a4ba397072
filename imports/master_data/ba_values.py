"""Indicator values from a table of the Federal Employment Agency (BA), read as published
(`imports.master_data.ba_tables` finds its sheets, header labels, periods and region keys).

Each configured column gives one value per region row: the indicator whose alias names the
column (by its sheet and labels, most specific first), the period of its heading or --period,
the cell read like every other indicator value (the BA's `*`, `-`, `.` missing and counted by
meaning). Two columns for one indicator and period, a table without periods and one with
periods beside --period are refused with a coded problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from imports.master_data.ba_tables import BaColumn, BaSheet
from imports.master_data.columns import MasterDataError, earlier_rows, finish
from imports.master_data.indicator_table import (
    POPULATION_FIELDS,
    VALUE_FIELDS,
    IndicatorNames,
    IndicatorsFile,
    population_frame,
    read_values,
    value_frame,
)
from imports.master_data.official_symbols import symbol_meanings
from imports.master_data.periods import Period, read_periods, resolve_periods
from imports.postings import RowError
from imports.problems import listed, problem, said


def read_ba_table(
    path: Path, tables: Sequence[BaSheet], fixed: Period | None, names: IndicatorNames
) -> IndicatorsFile:
    """A table of the Federal Employment Agency (`imports.master_data.ba_tables`): the cells of
    every configured column in every region row, the column's period heading (or --period)
    as the period. Columns no indicator names are listed by label in `ignored_columns`. The
    [indicator_files] conventions do not apply: the BA marks a missing figure with a symbol,
    never with zeros, and its aggregates are the regions without a key."""
    chosen: list[tuple[BaSheet, BaColumn, str]] = []
    ignored: dict[str, None] = {}
    for table in tables:
        _check_ba_periods(path, table, fixed)
        for column in table.columns:
            code = names.first_code(_ba_candidates(table.sheet.name, column.labels))
            if code is None:
                ignored[f"{table.sheet.name} / {column.label}"] = None
            else:
                chosen.append((table, column, code))
    if not chosen:
        raise MasterDataError(
            problem("hint_ba_indicators", labels=listed(list(ignored)), aliases=names.describe())
        )
    _refuse_ba_doubles(path, chosen, fixed)
    cells = pd.concat([_ba_cells(t, c, code) for t, c, code in chosen], ignore_index=True)
    values, bad, missing = read_values(cells["cell"])
    parsed = (
        read_periods(cells["heading"])[0]
        if fixed is None
        else pd.Series([fixed] * len(cells), index=cells.index, dtype=object)
    )
    periods = resolve_periods(parsed, cells["indicator"], cells["district"])
    frame = value_frame(cells["district"], cells["indicator"], periods, values)
    frame[["sheet", "row"]] = cells[["sheet", "row"]]
    errors = [
        RowError(path.name, sheet, int(row), header, problem("needs_district_code"))
        for sheet, row, header in cells.loc[cells["district"].isna(), ["sheet", "row", "region"]]
        .drop_duplicates()
        .itertuples(index=False)
    ]
    errors += [
        RowError(
            path.name, r.sheet, int(r.row), r.header, problem("not_number", value=said(r.cell))
        )
        for r in cells[bad.to_numpy()].itertuples(index=False)
    ]
    frame = frame[cells["district"].notna().to_numpy() & ~bad.to_numpy()]
    repeated = earlier_rows(frame[["district", "indicator", "period"]])
    for index, first in repeated.items():
        found = frame.loc[index]
        errors.append(
            RowError(
                path.name,
                found["sheet"],
                int(found["row"]),
                cells.at[index, "header"],
                problem(
                    "indicator_value_again",
                    district=said(found["district"]),
                    indicator=said(found["indicator"]),
                    period=str(found["period"]),
                    row=int(frame.at[first, "row"]),
                ),
            )
        )
    frame = frame.drop(index=list(repeated.index))
    headers = {code: f"{t.sheet.name} / {c.label}" for t, c, code in reversed(chosen)}
    return IndicatorsFile(
        path=path,
        layout="wide",
        sheet=", ".join(t.sheet.name for t in tables),
        header_row=tables[0].header_row,
        values=finish(frame, None, VALUE_FIELDS),
        population=finish(population_frame(), None, POPULATION_FIELDS),
        ignored_columns=tuple(ignored),
        missing=int(missing.sum()),
        columns={"district": tables[0].region_header, **headers},
        skipped_total=0,
        skipped_notes=sum(t.notes for t in tables),
        errors=tuple(sorted(errors, key=lambda e: (e.sheet or "", e.row, e.column or ""))),
        source="ba",
        missing_by_meaning=symbol_meanings(cells["cell"]),
        aggregates=tuple(dict.fromkeys(a for t in tables for a in t.aggregates)),
    )


def _ba_candidates(sheet: str, labels: Sequence[str]) -> list[str]:
    """Headers a BA column answers to, most specific first: its labels joined, with and
    without the sheet's name, then each label from the innermost out, likewise."""
    joined = " / ".join(labels)
    inner = [text for label in reversed(labels) for text in (f"{sheet} / {label}", label)]
    return [f"{sheet} / {joined}", joined, *inner]


def _check_ba_periods(path: Path, table: BaSheet, fixed: Period | None) -> None:
    """A BA sheet's periods come from its period row or from --period, never from both."""
    name = said(table.sheet.name)
    if table.period_row is None and fixed is None:
        raise MasterDataError(problem("ba_no_period", file=path.name, sheet=name))
    if table.period_row is not None and fixed is not None:
        raise MasterDataError(
            problem(
                "ba_double_period",
                file=path.name,
                period=fixed.label,
                sheet=name,
                row=table.period_row,
            )
        )


def _refuse_ba_doubles(
    path: Path, chosen: Sequence[tuple[BaSheet, BaColumn, str]], fixed: Period | None
) -> None:
    """Two columns for one indicator and one period heading: refused naming both."""
    first: dict[tuple[str, str], str] = {}
    for table, column, code in chosen:
        when = column.when if fixed is None else fixed.label
        where = f"{table.sheet.name} / {column.header}"
        if (code, when) in first:
            raise MasterDataError(
                problem(
                    "ba_two_columns",
                    file=path.name,
                    indicator=code,
                    period=when,
                    first=said(first[code, when]),
                    second=said(where),
                )
            )
        first[code, when] = where


def _ba_cells(table: BaSheet, column: BaColumn, code: str) -> pd.DataFrame:
    """One configured column: a line per region row with its origin, key, heading and cell."""
    rows = table.rows
    return pd.DataFrame(
        {
            "sheet": [table.sheet.name] * len(rows),
            "row": [table.row_number(i) for i in rows],
            "region": [table.region_header] * len(rows),
            "header": [column.header] * len(rows),
            "district": pd.Series(table.codes, dtype=object),
            "indicator": [code] * len(rows),
            "heading": pd.Series([column.period] * len(rows), dtype=object),
            "cell": pd.Series([table.cell(i, column.index) for i in rows], dtype=object),
        }
    )
