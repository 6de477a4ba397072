"""`import indicators`: indicator values per district and period, long or wide.

Long format, one value per row: district, indicator, period, value. Wide format, as statistical
offices publish: one row per district (and period), one column per indicator, optionally the
population (Einwohner), stored as that period's population. The period is a column, or given
for the whole file (`--period`); a file that has its own period column and is given `--period`
as well is refused rather than silently overridden.

A wide column is an indicator when its header is an indicator code or one of the aliases in
`[indicators.CODE] columns` (compared like every header: case, spaces, dots and hyphens
ignored; an exact match wins over one that only agrees without a trailing unit such as "(%)").
Every other column is listed in `ignored_columns`. In the long format the indicator cell is
mapped through the same codes and aliases, and kept as written when it is neither (the ledger
checks it against the configured indicators).

Values are numbers, or text in German (`12,5`, `1.234,5`) or English (`12.5`) notation — one
notation per column, as in panel files. An empty cell and the symbols of German official
statistics (`-`, `–`, `.`, `x`, `/`, `…`, `...`, and the BA's `*`) are missing: NaN, never zero,
and counted in `missing`, and by meaning (nothing, unknown, secret …) in `missing_by_meaning`.
GENESIS exports (flat `ffcsv` and the classic CSV) are read as long tables, see
`imports.master_data.genesis`. Tables of the Federal Employment Agency (BA) as it publishes them
(multi-sheet workbooks, headers over several rows, one column per indicator and period) are read
column by column, see `imports.master_data.ba_tables` and `imports.master_data.ba_values`.
Periods: see `imports.master_data.periods`.

A publisher's own convention for "not computed" is declared, not guessed: with
`zero_rows_missing` (settings `[indicator_files] all_zero_rows_missing`), a row whose indicator
values are all 0 is an area the publisher did not evaluate — Berlin's MSS writes 0 in every
indicator of a planning area below 300 inhabitants or left out as an outlier — and its values
are missing, not zeros (counted in `not_computed`). Two zeros at least are needed to tell that
from a true zero: a wide file with one indicator column is refused under this convention, and in
the long format a district and period with a single value keeps it. The population of such a
row is kept: it is a real count, and it is what `need` gives as the reason for suppression.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from imports.german_values import normalise_codes
from imports.master_data.ba_tables import ba_sheets
from imports.master_data.ba_values import read_ba_table
from imports.master_data.columns import (
    MasterDataError,
    Table,
    TableSpec,
    district_aliases,
    doubled_fields,
    earlier_rows,
    find_table,
    finish,
    missing_table,
    sheet_where,
)
from imports.master_data.districts import POPULATION_ALIASES, read_counts
from imports.master_data.genesis import as_long_sheet, genesis_layout
from imports.master_data.indicator_table import (
    POPULATION_FIELDS,
    VALUE_FIELDS,
    IndicatorNames,
    IndicatorsFile,
    population_frame,
    read_values,
    value_frame,
)
from imports.master_data.official_symbols import merge_meanings, symbol_meanings
from imports.master_data.periods import (
    Period,
    parse_period_option,
    read_periods,
    resolve_periods,
)
from imports.postings import RowError
from imports.problems import listed, problem, said
from imports.readers import ReadLimits, read_tables

_SHEETS = ("Indikatoren", "Indikatorwerte", "Kennzahlen", "Werte", "indicators", "values")
_DISTRICT = district_aliases(numbered=True)
_PERIOD = (
    "period", "Zeitraum", "Jahr", "Stichtag", "Periode", "Berichtszeitraum", "Berichtsjahr",
    "Quartal", "Monat", "Datum", "year", "date",
)  # fmt: skip
_FIELDS = {
    "district": _DISTRICT,
    "indicator": ("indicator", "Indikator", "Indikatorcode", "Kennzahl", "Merkmal"),
    "period": _PERIOD,
    "value": ("value", "Wert", "Indikatorwert", "Kennzahlwert"),
}
_WIDE_FIELDS = {"district": _DISTRICT, "period": _PERIOD, "population": POPULATION_ALIASES}


def _spec(fields: Mapping[str, tuple[str, ...]], period_given: bool, wide: bool) -> TableSpec:
    required = tuple(f for f in ("district", "indicator", "period", "value") if f in fields)
    if period_given:
        required = tuple(f for f in required if f != "period")
    title = "indicator values (wide format)" if wide else "indicator values"
    return TableSpec(title, _SHEETS, fields, required, dated=("population",))


def parse_indicators(
    path: Path,
    *,
    period: str | None = None,
    indicator_columns: Mapping[str, Sequence[str]] | None = None,
    zero_rows_missing: bool = False,
    limits: ReadLimits | None = None,
    aggregates_from: str | None = None,
) -> IndicatorsFile:
    """Read one indicators file. indicator_columns: code -> header aliases (from settings).
    zero_rows_missing: the publisher writes 0 in every indicator of an area it did not compute
    (module docstring). aggregates_from: a wide file's rows from the first whose district cell
    is this value to the end are aggregates (Bezirke, the city): left out and listed.

    Raises MasterDataError when the file holds no indicator table, when `period` is not a
    period or the file has its own period column too, or when two columns name one indicator.
    """
    path = Path(path)
    fixed = None
    if period is not None:
        fixed = parse_period_option(period)
        if not isinstance(fixed, Period):
            raise MasterDataError(problem("not_period_option", value=said(period)))
    names = IndicatorNames(indicator_columns or {})
    sheets = read_tables(path, limits or ReadLimits())
    if ba := ba_sheets(sheets):
        return read_ba_table(path, ba, fixed, names)
    source = genesis_layout(sheets[0]) if len(sheets) == 1 else None
    if source is not None:
        sheets = [as_long_sheet(sheets[0], source)]
    long_spec = _spec(_FIELDS, fixed is not None, wide=False)
    table = find_table(path, sheets, long_spec)
    if table is not None:
        _refuse_double_period(path, table, fixed)
        return replace(_long(path, table, fixed, names, zero_rows_missing), source=source)
    wide_spec = _spec(_WIDE_FIELDS, fixed is not None, wide=True)
    table = find_table(
        path,
        sheets,
        wide_spec,
        accept=lambda cells, mapped: bool(names.positions(cells, mapped)[0]),
    )
    if table is not None:
        _refuse_double_period(path, table, fixed)
        return _wide(path, table, fixed, names, zero_rows_missing, aggregates_from)
    hint = problem("hint_wide_indicators", aliases=names.describe())
    raise missing_table(path, sheets, long_spec, hint)


def _refuse_double_period(path: Path, table: Table, fixed: Period | None) -> None:
    if fixed is not None and "period" in table.columns:
        raise MasterDataError(
            problem(
                "period_twice",
                file=path.name,
                period=fixed.label,
                sheet=said(table.sheet.name),
                column=said(table.header("period")),
            )
        )


def _periods(
    table: Table, raw: pd.DataFrame, fixed: Period | None
) -> tuple[pd.Series, list[RowError]]:
    """Parsed periods (Period or date, still to be resolved) and their errors."""
    if fixed is not None:
        return pd.Series([fixed] * len(raw), index=raw.index, dtype=object), []
    parsed, bad, blank = read_periods(raw["period"])
    errors = table.errors(blank, "period", problem("needs_period"))
    errors += table.errors(
        bad, "period", raw["period"].map(lambda v: problem("not_period", value=said(v)))
    )
    return parsed, errors


def _long(
    path: Path, table: Table, fixed: Period | None, names: IndicatorNames, zero_rows_missing: bool
) -> IndicatorsFile:
    raw, skipped = table.raw()
    district = normalise_codes(raw["district"])
    written = normalise_codes(raw["indicator"])
    indicator = written.map(lambda v: None if v is None else names.code(v) or v)
    errors = table.errors(district.isna(), "district", problem("needs_district_code"))
    errors += table.errors(indicator.isna(), "indicator", problem("needs_indicator"))
    parsed, period_errors = _periods(table, raw, fixed)
    errors += period_errors
    values, bad, missing = read_values(raw["value"])
    errors += table.errors(
        bad, "value", raw["value"].map(lambda v: problem("not_number", value=said(v)))
    )
    periods = resolve_periods(parsed, indicator, district)
    frame = value_frame(district, indicator, periods, values)
    frame = frame[~frame.index.isin([e.row for e in errors])]
    repeated = earlier_rows(frame[["district", "indicator", "period"]])
    for row, first in repeated.items():
        where = "period" if fixed is None else "district"
        errors.append(
            table.error(
                row,
                where,
                problem(
                    "indicator_value_again",
                    district=said(frame.at[row, "district"]),
                    indicator=said(frame.at[row, "indicator"]),
                    period=str(frame.at[row, "period"]),
                    row=int(first),
                ),
            )
        )
    frame = frame[~frame.index.isin(list(repeated.index))]
    not_computed: list[int] = []
    if zero_rows_missing and not frame.empty:
        group = frame.groupby(["district", "period"], sort=False)["value"]
        zeros = group.transform(lambda v: int((v == 0).sum()))
        others = group.transform(lambda v: int((v.notna() & (v != 0)).sum()))
        blanked = (zeros >= 2) & (others == 0) & (frame["value"] == 0)
        frame.loc[blanked, "value"] = float("nan")
        not_computed = sorted(int(r) for r in frame.index[blanked.to_numpy()])
    columns = {field: table.header(field) for field in table.columns}
    ignored = table.unused_headers()
    return IndicatorsFile(
        path=path,
        layout="long",
        sheet=table.sheet.name,
        header_row=table.header_row,
        values=finish(frame, table, VALUE_FIELDS),
        population=finish(population_frame(), table, POPULATION_FIELDS),
        ignored_columns=ignored.names,
        unnamed_columns=ignored.without_header,
        missing=int(missing.sum()),
        columns=columns,
        skipped_total=skipped.total,
        skipped_notes=skipped.notes,
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
        not_computed=len(frame.loc[not_computed, ["district", "period"]].drop_duplicates()),
        not_computed_rows=tuple(not_computed),
        missing_by_meaning=symbol_meanings(raw["value"]),
    )


def _wide(
    path: Path,
    table: Table,
    fixed: Period | None,
    names: IndicatorNames,
    zero_rows_missing: bool,
    aggregates_from: str | None = None,
) -> IndicatorsFile:
    positions, conflicts = names.positions(table.header_cells, table.columns)
    positions = dict(sorted(positions.items()))  # values in the file's column order
    if conflicts:
        raise doubled_fields(path.name, sheet_where(table.sheet.name, table.header_row), conflicts)
    if zero_rows_missing and len(positions) < 2:
        found = listed([table.headers[i] for i in positions])
        raise MasterDataError(
            problem(
                "zero_rows_need_two_indicators",
                file=path.name,
                sheet=said(table.sheet.name),
                found=found or problem("none_found"),
            )
        )
    raw, skipped = table.raw()
    raw, aggregates = _without_aggregates(raw, aggregates_from)
    district = normalise_codes(raw["district"])
    errors = table.errors(district.isna(), "district", problem("needs_district_code"))
    parsed, period_errors = _periods(table, raw, fixed)
    errors += period_errors
    periods = resolve_periods(parsed, pd.Series("", index=raw.index), district)
    row_errors = {e.row for e in errors}
    repeated = earlier_rows(
        pd.DataFrame(
            {"district": district, "period": periods.map(lambda p: p.label if p else None)}
        )[~raw.index.isin(list(row_errors))]
    )
    for row, first in repeated.items():
        errors.append(
            table.error(
                row,
                "period" if fixed is None else "district",
                problem(
                    "district_period_again",
                    district=said(district[row]),
                    period=periods[row].label,
                    row=int(first),
                ),
            )
        )
    rejected = raw.index.isin(list(row_errors | set(repeated.index)))

    frames, missing = [], 0
    read = {index: read_values(table.cells(index).loc[raw.index]) for index in positions}
    blank_rows = pd.Series(False, index=raw.index)
    if zero_rows_missing and read:
        zeros = sum((values == 0).astype(int) for values, _, _ in read.values())
        others = sum((values.notna() & (values != 0)) | bad for values, bad, _ in read.values())
        blank_rows = (zeros >= 2) & (others == 0) & ~pd.Series(rejected, index=raw.index)
    for index, code in positions.items():
        cells = table.cells(index).loc[raw.index]
        values, bad, absent = read[index]
        values = values.mask(blank_rows)
        missing += int(absent.sum())
        errors += [
            table.error(row, table.headers[index], problem("not_number", value=said(cells[row])))
            for row in cells.index[bad.to_numpy()]
        ]
        keep = ~rejected & ~bad.to_numpy()
        indicator = pd.Series(code, index=raw.index)
        frames.append(value_frame(district, indicator, periods, values)[keep])
    values_frame = pd.concat(frames) if frames else value_frame(*(pd.Series(dtype=object),) * 4)

    population = population_frame()
    if "population" in table.columns:
        counts, bad, absent = read_counts(raw["population"])
        errors += table.errors(
            bad,
            "population",
            raw["population"].map(lambda v: problem("not_inhabitants", value=said(v))),
        )
        keep = ~rejected & ~bad.to_numpy() & ~absent.to_numpy()
        population = population_frame(district[keep], periods[keep], counts[keep])
    columns = {field: table.header(field) for field in table.columns}
    columns |= {code: table.headers[index] for index, code in positions.items()}
    ignored = table.unused_headers(positions)
    return IndicatorsFile(
        path=path,
        layout="wide",
        sheet=table.sheet.name,
        header_row=table.header_row,
        values=finish(values_frame, table, VALUE_FIELDS),
        population=finish(population, table, POPULATION_FIELDS),
        ignored_columns=ignored.names,
        unnamed_columns=ignored.without_header,
        missing=missing,
        columns=columns,
        skipped_total=skipped.total,
        skipped_notes=skipped.notes,
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
        not_computed=int(blank_rows.sum()),
        not_computed_rows=tuple(int(r) for r in raw.index[blank_rows.to_numpy()]),
        missing_by_meaning=merge_meanings(
            *(symbol_meanings(table.cells(index).loc[raw.index]) for index in positions)
        ),
        aggregates=aggregates,
    )


def _without_aggregates(
    raw: pd.DataFrame, aggregates_from: str | None
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The rows before the first whose district cell is `aggregates_from`, and the district
    cells of that row and all after it (none when the value never occurs)."""
    if not aggregates_from:
        return raw, ()
    keys = normalise_codes(raw["district"])
    first = keys.index[keys == aggregates_from.strip()]
    if len(first) == 0:
        return raw, ()
    closing = raw.index >= first[0]
    return raw[~closing], tuple(str(k) for k in keys[closing].dropna())
