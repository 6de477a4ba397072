"""What an indicator file becomes (`IndicatorsFile`), and what every layout's reader shares:
the indicators' header aliases, reading the value cells, the frames of values and population.

The layouts themselves (long, wide, GENESIS, the Federal Employment Agency's tables) are read in
`imports.master_data.indicators` and `imports.master_data.ba_values`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imports.header_detection import column_letter
from imports.master_data.columns import MasterDataError, column_key
from imports.master_data.districts import MISSING_SYMBOLS
from imports.master_data.periods import Period
from imports.panel_file import parse_statistics
from imports.postings import RowError
from imports.problems import Problem, joined, listed, problem, said

VALUE_FIELDS = ("district", "indicator", "period", "period_start", "period_end", "value")
POPULATION_FIELDS = ("district", "period", "period_start", "period_end", "population")


@dataclass(frozen=True)
class IndicatorsFile:
    """An indicators file read and checked.

    layout: "long" or "wide". values: district, indicator (code), period (label "2024",
    "2024-Q3", "2024-03"), period_start, period_end (datetime.date), value (float, NaN =
    missing), sheet, row. population: district, period, period_start, period_end, population
    (int), sheet, row — from a wide file's population column, else empty. ignored_columns:
    headers that are neither a known field nor an indicator, or the letters of such columns
    without a header; unnamed_columns: those letters. missing: value cells that were
    empty or a missing symbol. columns: field (and, wide, indicator code) -> header as written.
    skipped_total / skipped_notes: total rows and note rows ("Quelle: …") left out.
    not_computed: rows (wide) or district-periods (long) whose values were all 0 and are
    missing under the publisher's convention (`zero_rows_missing`), with their row numbers in
    `not_computed_rows`.
    source: "genesis_ffcsv" or "genesis_classic" for a GENESIS export (read as long format,
    `imports.master_data.genesis`), "ba" for a table of the Federal Employment Agency
    (`imports.master_data.ba_tables`; `sheet` then names its data sheets, ", "-joined), else
    None. missing_by_meaning: the missing-value symbols among the value cells by meaning
    (`imports.master_data.official_symbols`). aggregates: the district cells of the closing
    aggregate rows left out (`aggregates_from`; a BA table's regions without a key), in order.
    """

    path: Path
    layout: str
    sheet: str
    header_row: int | None
    values: pd.DataFrame
    population: pd.DataFrame
    ignored_columns: tuple[str, ...]
    missing: int
    columns: dict[str, str]
    skipped_total: int
    skipped_notes: int
    errors: tuple[RowError, ...]
    not_computed: int = 0
    not_computed_rows: tuple[int, ...] = ()
    source: str | None = None
    missing_by_meaning: dict[str, int] = field(default_factory=dict)
    aggregates: tuple[str, ...] = ()
    unnamed_columns: tuple[str, ...] = ()


class IndicatorNames:
    """Indicator codes and their header aliases, keyed as headers compare."""

    def __init__(self, aliases: Mapping[str, Sequence[str]]) -> None:
        self.aliases = {code: (code, *names) for code, names in aliases.items()}
        self.exact: dict[str, str] = {}
        self.loose: dict[str, str] = {}
        for code, names in self.aliases.items():
            for name in names:
                for index, keep in ((self.exact, True), (self.loose, False)):
                    key = column_key(name, keep_unit=keep)
                    if index.get(key, code) != code:
                        raise MasterDataError(
                            problem(
                                "alias_of_two_indicators",
                                header=said(name),
                                first=index[key],
                                second=code,
                            )
                        )
                    index[key] = code

    def code(self, cell: object) -> str | None:
        exact = self.exact.get(column_key(cell, keep_unit=True))
        return exact or self.loose.get(column_key(cell))

    def first_code(self, candidates: Sequence[str]) -> str | None:
        """The indicator of the first candidate header that names one (most specific first)."""
        return next((code for c in candidates if (code := self.code(c)) is not None), None)

    def positions(
        self, cells: Sequence[object], mapped: Mapping[str, int]
    ) -> tuple[dict[int, str], list[Problem]]:
        """Column index -> indicator code for the unclaimed columns; and conflicts (two columns
        matching one indicator equally well)."""
        taken = set(mapped.values())
        found: dict[int, str] = {}
        conflicts: list[Problem] = []
        for index_of, keep in ((self.exact, True), (self.loose, False)):
            claimed = set(found.values())
            this_round: dict[str, int] = {}
            for i, cell in enumerate(cells):
                if i in taken or i in found or cell is None:
                    continue
                code = index_of.get(column_key(cell, keep_unit=keep))
                if code is None or code in claimed:
                    continue
                if code in this_round:
                    first = this_round[code]
                    conflicts.append(
                        problem(
                            "doubled_column",
                            field=said(code),
                            first=said(str(cells[first])),
                            first_letter=column_letter(first),
                            second=said(str(cell)),
                            second_letter=column_letter(i),
                        )
                    )
                    continue
                this_round[code] = i
                found[i] = code
        return found, conflicts

    def describe(self) -> Problem:
        """The configured indicators and their headers, as a hint names them."""
        if not self.aliases:
            return problem("no_indicators_configured")
        return joined(
            [
                problem("indicator_headers", code=code, headers=listed(names))
                for code, names in self.aliases.items()
            ],
            "; ",
        )


def read_values(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(floats, bad mask, missing mask): numbers or text in German or English notation;
    empty cells and the symbols of official statistics are missing (NaN, never zero)."""
    symbol = values.map(lambda v: isinstance(v, str) and v.strip().casefold() in MISSING_SYMBOLS)
    return parse_statistics(values.mask(symbol, None))


def value_frame(
    district: pd.Series, indicator: pd.Series, periods: pd.Series, values: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district": district,
            "indicator": indicator,
            "period": periods.map(lambda p: p.label if isinstance(p, Period) else None),
            "period_start": periods.map(lambda p: p.start if isinstance(p, Period) else None),
            "period_end": periods.map(lambda p: p.end if isinstance(p, Period) else None),
            "value": values.astype("float64"),
        }
    )


def population_frame(
    district: pd.Series | None = None,
    periods: pd.Series | None = None,
    counts: pd.Series | None = None,
) -> pd.DataFrame:
    if district is None or periods is None or counts is None:
        district, periods = pd.Series(dtype=object), pd.Series(dtype=object)
        counts = pd.Series(dtype="int64")
    return pd.DataFrame(
        {
            "district": district,
            "period": periods.map(lambda p: p.label),
            "period_start": periods.map(lambda p: p.start),
            "period_end": periods.map(lambda p: p.end),
            "population": counts.astype("int64"),
        }
    )
