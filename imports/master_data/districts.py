"""`import districts`: the Sozialräume (code and name) and their population per year.

A workbook holds a districts sheet ("Sozialräume": Sozialraum, Bezeichnung) and, usually, a
population sheet ("Einwohner": Sozialraum, Jahr, Einwohner). A CSV file holds one table, which
may carry both: district, name, year, population, one row per district and year (rows without
year and population just name a district). Codes are text: a code Excel stored as the number
3.0 is "3"; the leading zeros of a text code ("03") are kept.

Population counts are whole numbers: workbook numbers, or text with German thousands
separators ("8.200", "8 200"). A district code or year repeated with a different name or
population is an error naming the earlier row; repeated identical rows (as in a combined table)
are harmless.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imports.german_values import is_blank, normalise_codes, parse_whole_numbers
from imports.master_data.columns import (
    MISSING_SYMBOLS,
    YEAR_ALIASES,
    Skipped,
    Table,
    TableSpec,
    district_aliases,
    earlier_rows,
    find_table,
    finish,
    missing_table,
)
from imports.postings import RowError
from imports.problems import problem, said
from imports.readers import ReadLimits, read_tables

# Headers that say "the name": two of them beside each other are two names for one field.
PLAIN_NAME_ALIASES = (
    "name", "Bezeichnung", "district name", "Sozialraumname", "Sozialraumbezeichnung",
    "Bezeichnung Sozialraum", "Stadtteilname", "Name des Sozialraums",
)  # fmt: skip
NAME_ALIASES = (
    *PLAIN_NAME_ALIASES,
    # Only when a code-like column took the code (module docstring of columns):
    "Sozialraum", "Stadtteil", "Bezirk", "Ortsteil", "Quartier",
)  # fmt: skip
POPULATION_ALIASES = (
    "population", "Einwohner", "Einwohnerzahl", "Einwohner insgesamt",
    "Einwohnerinnen und Einwohner", "Bevölkerung", "Bevölkerung insgesamt", "EW",
    "inhabitants", "residents",
)  # fmt: skip
_DISTRICT = district_aliases(numbered=True)

DISTRICTS = TableSpec(
    "districts",
    ("Sozialräume", "Sozialraum", "Bezirke", "Stadtteile", "districts"),
    {"district": _DISTRICT, "name": NAME_ALIASES},
    ("district", "name"),
)
POPULATION = TableSpec(
    "population",
    ("Einwohner", "Bevölkerung", "population"),
    {"district": _DISTRICT, "year": YEAR_ALIASES, "population": POPULATION_ALIASES},
    ("district", "year", "population"),
    dated=("population",),
)
_GROUPED = re.compile(r"^\d{1,3}(?:[. \u00a0\u202f']\d{3})+$")
_POINT_ZERO = re.compile(r"^\d+\.0+$")


@dataclass(frozen=True)
class DistrictsFile:
    """A districts file read and checked.

    districts: district (text code), name, sheet, row — one row per district.
    population: district, year (int), population (int, inhabitants), sheet, row.
    columns: table ("districts", "population") -> field -> header as the file writes it.
    skipped_total: total rows ("Summe", "Stadt insgesamt") left out.
    errors: every rejected row; rows with errors are not in the frames.
    """

    path: Path
    districts: pd.DataFrame
    population: pd.DataFrame
    columns: dict[str, dict[str, str]]
    skipped_total: int
    skipped_notes: int
    errors: tuple[RowError, ...]


def parse_districts(path: Path, limits: ReadLimits | None = None) -> DistrictsFile:
    """Read one districts file; MasterDataError when it holds no districts table."""
    path = Path(path)
    sheets = read_tables(path, limits or ReadLimits())
    table = find_table(path, sheets, DISTRICTS)
    if table is None:
        raise missing_table(path, sheets, DISTRICTS)
    districts, errors, skipped = _districts(table)
    columns = {"districts": _headers(table)}
    population = pd.DataFrame(
        {
            "district": pd.Series(dtype=object),
            "year": pd.Series(dtype="int64"),
            "population": pd.Series(dtype="int64"),
            "sheet": pd.Series(dtype=object),
            "row": pd.Series(dtype="int64"),
        }
    )
    counts = find_table(path, sheets, POPULATION)
    if counts is not None:
        population, more_errors, more_skipped = _population(counts, table)
        errors += more_errors
        if counts.sheet is not table.sheet:
            skipped += more_skipped
        columns["population"] = _headers(counts)
    errors.sort(key=lambda e: ([s.name for s in sheets].index(e.sheet), e.row, e.column or ""))
    return DistrictsFile(
        path, districts, population, columns, skipped.total, skipped.notes, tuple(errors)
    )


def _headers(table: Table) -> dict[str, str]:
    return {field: table.header(field) for field in table.columns}


def _districts(table: Table) -> tuple[pd.DataFrame, list[RowError], Skipped]:
    raw, skipped = table.raw()
    code = normalise_codes(raw["district"])
    name = normalise_codes(raw["name"])
    errors = table.errors(code.isna(), "district", problem("needs_district_code"))
    errors += table.errors(name.isna() & code.notna(), "name", problem("needs_district_name"))
    frame = pd.DataFrame({"district": code, "name": name})
    frame = frame[code.notna() & name.notna()]
    first = earlier_rows(frame[["district"]])
    differs = (
        frame.loc[first.index, "name"].to_numpy() != frame.loc[first.to_numpy(), "name"].to_numpy()
    )
    for row, earlier in first[differs].items():
        errors.append(
            table.error(
                row,
                "name",
                problem(
                    "district_named_otherwise",
                    district=said(frame.at[row, "district"]),
                    name=said(frame.at[earlier, "name"]),
                    row=int(earlier),
                ),
            )
        )
    frame = frame[~frame.index.isin(list(first.index))]  # repeats: identical or reported
    return finish(frame, table, ["district", "name"]), errors, skipped


def _population(table: Table, names: Table) -> tuple[pd.DataFrame, list[RowError], Skipped]:
    raw, skipped = table.raw(optional=True)
    if table.sheet is names.sheet:
        # A combined table: rows without year and population only name a district.
        raw = raw[~(is_blank(raw["year"]) & is_blank(raw["population"]))]
    code = normalise_codes(raw["district"])
    years, bad_year = read_years(raw["year"])
    counts, bad_count, missing = read_counts(raw["population"])
    errors = table.errors(code.isna(), "district", problem("needs_district_code"))
    errors += table.errors(is_blank(raw["year"]), "year", problem("needs_year"))
    errors += table.errors(
        bad_year, "year", raw["year"].map(lambda v: problem("not_year", value=said(v)))
    )
    errors += table.errors(missing, "population", problem("needs_population"))
    errors += table.errors(
        bad_count,
        "population",
        raw["population"].map(lambda v: problem("not_inhabitants", value=said(v))),
    )
    # Every code of the districts sheet, also of rows rejected there: one error per mistake.
    known = set(normalise_codes(names.raw()[0]["district"]).dropna())
    unknown = code.notna() & ~code.isin(known)
    if table.sheet is not names.sheet:
        errors += table.errors(
            unknown,
            "district",
            code.map(
                lambda c: problem(
                    "district_not_in_sheet", district=said(c), sheet=said(names.sheet.name)
                )
            ),
        )
    frame = pd.DataFrame({"district": code, "year": years, "population": counts})
    rejected = {e.row for e in errors}
    frame = frame[~frame.index.isin(list(rejected))]
    first = earlier_rows(frame[["district", "year"]])
    same = (
        frame.loc[first.index, "population"].to_numpy()
        == frame.loc[first.to_numpy(), "population"].to_numpy()
    )
    for row, earlier in first[~same].items():
        errors.append(
            table.error(
                row,
                "year",
                problem(
                    "population_again",
                    district=said(frame.at[row, "district"]),
                    year=str(frame.at[row, "year"]),
                    row=int(earlier),
                ),
            )
        )
    frame = frame[~frame.index.isin(list(first.index))].astype(
        {"year": "int64", "population": "int64"}
    )
    return finish(frame, table, ["district", "year", "population"]), errors, skipped


def read_years(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Years 1900–2200 as Int64 (NA where blank or bad), and the mask of bad non-blank cells."""
    numbers, bad = parse_whole_numbers(values)
    out_of_range = numbers.notna() & ((numbers < 1900) | (numbers > 2200))
    out_of_range = out_of_range.fillna(False).astype(bool)
    return numbers.mask(out_of_range), bad | out_of_range


def read_counts(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Whole non-negative counts (inhabitants) from numbers or text with German thousands
    separators; returns (Int64 counts, bad mask, missing mask). Missing: empty cells and the
    symbols of official statistics (`-`, `.`, `x`, `/`, `…`).

    Text such as `2930.0` (a count a converter wrote as a float, as in the CSV conversions of
    Berlin's MSS) is the whole number 2930; `8.200`, with a group of three digits, stays the
    German 8200."""
    text = values.map(lambda v: isinstance(v, str))
    stripped = values.where(~text, values.astype(str).str.strip())
    symbol = text & stripped.map(lambda v: isinstance(v, str) and v.casefold() in MISSING_SYMBOLS)
    missing = is_blank(values) | symbol
    grouped = text & stripped.map(lambda v: isinstance(v, str) and bool(_GROUPED.match(v)))
    plain = stripped.where(~grouped, stripped.map(lambda v: re.sub(r"\D", "", str(v))))
    point_zero = (
        text & ~grouped & plain.map(lambda v: isinstance(v, str) and bool(_POINT_ZERO.match(v)))
    )
    plain = plain.where(~point_zero, plain.map(lambda v: str(v).split(".")[0]))
    numbers, bad = parse_whole_numbers(plain.where(~missing))
    return numbers, bad & ~missing, missing


def unknown_districts(
    frame: pd.DataFrame,
    known: Iterable[str],
    file: str,
    sheet: str | None = None,
    *,
    column: str | None = None,
) -> list[RowError]:
    """One error per row whose district code is not among `known` (the stored districts).

    frame: any result frame with `district`, `row` (and `sheet`) columns — allocations,
    indicator values or population. A wide indicator file has one row per value; its errors are
    reported once per row of the file. column: the district header as the file writes it (the
    results' `columns` mapping has it); sheet: used where the frame has no `sheet` column.
    """
    known_codes = set(known)
    unknown = frame[~frame["district"].isin(known_codes) & frame["district"].notna()]
    sheets = unknown["sheet"] if "sheet" in unknown else pd.Series(sheet, index=unknown.index)
    seen: set[tuple[str, int]] = set()
    errors = []
    for code, row, where in zip(unknown["district"], unknown["row"], sheets, strict=True):
        if (str(where), int(row)) in seen:
            continue
        seen.add((str(where), int(row)))
        errors.append(
            RowError(
                file,
                str(where),
                int(row),
                column or "district",
                problem("district_unknown", district=said(code), count=len(known_codes)),
            )
        )
    return errors


__all__ = [
    "DISTRICTS",
    "MISSING_SYMBOLS",
    "POPULATION",
    "DistrictsFile",
    "parse_districts",
    "read_counts",
    "read_years",
    "unknown_districts",
]
