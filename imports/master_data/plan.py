"""`import plan`: budgeted amounts (Haushaltsansätze) per measure or product and year.

Long layout: measure or product, year (Jahr), amount (Ansatz, Betrag). Wide layout, as cities
publish their budgets: one row per measure or product, one column per year, headed `2025`,
`Plan 2025`, `Ansatz 2025`, `Haushaltsansatz 2025`, `Ansatz 2025 EUR` …, unpivoted to one row
per year. Columns of actual results (`Ergebnis 2023`, `Ist 2023`, `Rechnungsergebnis 2023`)
are not plan: they, like every other column that is neither a field nor a plan year, are listed
in `ignored_columns`.

Amounts are exact integer cents: workbook numbers or German text (`1.234,56`, `1.234,56 €`).
In the wide layout an empty cell, `-` or `–` means no budget for that year (no row); in the long
layout a row without an amount is an error. Total rows (`Summe`, `Gesamt` in the first filled
cell) are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imports.german_values import is_blank, normalise_codes, parse_amount_cents
from imports.master_data.columns import (
    MEASURE_ALIASES,
    PRODUCT_ALIASES,
    YEAR_ALIASES,
    MasterDataError,
    Table,
    TableSpec,
    column_key,
    find_table,
    finish,
    missing_table,
)
from imports.master_data.districts import read_years
from imports.postings import RowError
from imports.readers import ReadLimits, read_tables

PLAN = TableSpec(
    "budget plan",
    ("Haushaltsansätze", "Ansätze", "Haushaltsplan", "Plan", "budget"),
    {
        "measure": MEASURE_ALIASES,
        "product": PRODUCT_ALIASES,
        "year": (*YEAR_ALIASES, "Haushaltsjahr", "Planjahr"),
        "amount": (
            "amount",
            "Ansatz",
            "Betrag",
            "Haushaltsansatz",
            "Planansatz",
            "Planbetrag",
            "Plan",
            "budget",
        ),
    },
    (),  # measure or product, and year and amount or year columns: see _plan_layout
)
_PLAN_YEAR = re.compile(
    r"^(?:plan|ansatz|haushaltsansatz|planansatz|planwert|budget)?(?P<year>(?:19|20|21)\d{2})"
    r"(?:plan|ansatz)?$"
)
AMOUNT_FIELDS = ("measure", "product", "year", "amount_cents")
_NO_AMOUNT = frozenset({"-", "–", "—"})
_AMOUNT_HINT = "expected an amount such as 1.234,56 or 1234.56"


@dataclass(frozen=True)
class PlanFile:
    """A budget plan read and checked.

    layout: "long" or "wide". amounts: measure (code or None), product (code or None), year
    (int), amount_cents (int, exact), sheet, row. columns: field -> header as written; in the
    wide layout also "YYYY" -> the year column's header. skipped_total / skipped_notes: total
    rows ("Summe") and note rows ("Quelle: …") left out.
    """

    path: Path
    layout: str
    sheet: str
    header_row: int | None
    amounts: pd.DataFrame
    ignored_columns: tuple[str, ...]
    columns: dict[str, str]
    skipped_total: int
    skipped_notes: int
    errors: tuple[RowError, ...]


def _year_columns(cells: Sequence[object], mapped: dict[str, int]) -> dict[int, int]:
    """Column index -> plan year, for the columns no field claimed."""
    found = {}
    for index, cell in enumerate(cells):
        if index in mapped.values() or cell is None:
            continue
        match = _PLAN_YEAR.match(column_key(cell))
        if match:
            found[index] = int(match["year"])
    return found


def _plan_layout(cells: Sequence[object], mapped: dict[str, int]) -> bool:
    keyed = "measure" in mapped or "product" in mapped
    long = "year" in mapped and "amount" in mapped
    return keyed and (long or bool(_year_columns(cells, mapped)))


def parse_plan(path: Path, limits: ReadLimits | None = None) -> PlanFile:
    """Read one budget plan; MasterDataError when it holds no plan table, or when two columns
    hold the same plan year."""
    path = Path(path)
    sheets = read_tables(path, limits or ReadLimits())
    table = find_table(path, sheets, PLAN, accept=_plan_layout)
    if table is None:
        hint = (
            "Expected a measure or product column ('Maßnahme', 'Produkt'), and either a year "
            "and an amount column ('Jahr', 'Ansatz') or one column per year ('2025', "
            "'Plan 2025', 'Ansatz 2025')."
        )
        lacking = TableSpec(
            PLAN.title, PLAN.sheet_names, PLAN.fields, ("measure", "year", "amount")
        )
        raise missing_table(path, sheets, lacking, hint)
    raw, skipped = table.raw()
    measure = normalise_codes(raw["measure"]) if "measure" in raw else _nothing(raw)
    product = normalise_codes(raw["product"]) if "product" in raw else _nothing(raw)
    key_field = "measure" if "measure" in table.columns else "product"
    errors = table.errors(
        measure.isna() & product.isna(), key_field, "empty: every row needs a measure or product"
    )
    if "year" in table.columns and "amount" in table.columns:
        layout = "long"
        amounts, more, used = _long(table, raw, measure, product)
    else:
        layout = "wide"
        amounts, more, used = _wide(path, table, raw, measure, product)
    errors += more
    amounts = amounts[~amounts.index.isin([e.row for e in errors])]
    amounts = amounts.assign(row=amounts.index.astype("int64")).reset_index(drop=True)
    amounts, repeated = _drop_repeated(table, amounts, key_field)
    errors += repeated
    columns = {field: table.header(field) for field in table.columns} | used
    out = finish(amounts.sort_values("year", kind="stable"), table, AMOUNT_FIELDS)
    out = out.astype({"year": "int64", "amount_cents": "int64"})
    ignored = table.unused_headers(i for i, h in enumerate(table.headers) if h in used.values())
    return PlanFile(
        path=path,
        layout=layout,
        sheet=table.sheet.name,
        header_row=table.header_row,
        amounts=out,
        ignored_columns=ignored,
        columns=columns,
        skipped_total=skipped.total,
        skipped_notes=skipped.notes,
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
    )


def _drop_repeated(
    table: Table, amounts: pd.DataFrame, key_field: str
) -> tuple[pd.DataFrame, list[RowError]]:
    """A measure or product with two amounts for one year: one error per later row."""
    keys = amounts[["measure", "product", "year"]].fillna("")
    repeated = keys.duplicated(keep="first")
    first = amounts.groupby([keys[c] for c in keys.columns], sort=False)["row"].transform("min")
    errors = []
    for row, group in amounts[repeated].groupby("row", sort=True):
        what = " / ".join(str(v) for v in group.iloc[0][["measure", "product"]] if pd.notna(v))
        years = ", ".join(str(int(y)) for y in group["year"])
        earlier = ", ".join(str(r) for r in sorted(set(first[group.index])))
        errors.append(
            table.error(
                int(row), key_field, f"{what} has a plan for {years} already in row {earlier}"
            )
        )
    return amounts[~repeated], errors


def _nothing(raw: pd.DataFrame) -> pd.Series:
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _long(
    table: Table, raw: pd.DataFrame, measure: pd.Series, product: pd.Series
) -> tuple[pd.DataFrame, list[RowError], dict[str, str]]:
    years, bad_year = read_years(raw["year"])
    errors = table.errors(is_blank(raw["year"]), "year", "empty: every row needs a year")
    errors += table.errors(bad_year, "year", raw["year"].map(lambda v: f"not a year: {v!r}"))
    cents, bad = parse_amount_cents(raw["amount"], ",")
    errors += table.errors(is_blank(raw["amount"]), "amount", "empty: every row needs an amount")
    errors += table.errors(
        bad, "amount", raw["amount"].map(lambda v: f"not an amount: {v!r}; {_AMOUNT_HINT}")
    )
    frame = pd.DataFrame(
        {"measure": measure, "product": product, "year": years, "amount_cents": cents}
    )
    return frame, errors, {}


def _wide(
    path: Path, table: Table, raw: pd.DataFrame, measure: pd.Series, product: pd.Series
) -> tuple[pd.DataFrame, list[RowError], dict[str, str]]:
    years = _year_columns(table.header_cells, dict(table.columns))
    by_year: dict[int, list[str]] = {}
    for index, year in years.items():
        by_year.setdefault(year, []).append(table.headers[index])
    doubled = {y: h for y, h in by_year.items() if len(h) > 1}
    if doubled:
        listing = "; ".join(f"{y}: {', '.join(map(repr, h))}" for y, h in doubled.items())
        raise MasterDataError(
            f"{path.name}: two columns for one plan year in sheet {table.sheet.name!r} "
            f"({listing}); keep one per year"
        )
    frames, errors = [], []
    for index, year in years.items():
        cells = table.cells(index).loc[raw.index]
        absent = is_blank(cells) | cells.map(
            lambda v: isinstance(v, str) and v.strip() in _NO_AMOUNT
        )
        cents, bad = parse_amount_cents(cells.mask(absent, None), ",")
        header_text = table.headers[index]
        errors += [
            table.error(row, header_text, f"not an amount: {cells[row]!r}; {_AMOUNT_HINT}")
            for row in cells.index[bad.to_numpy()]
        ]
        frame = pd.DataFrame(
            {"measure": measure, "product": product, "year": year, "amount_cents": cents}
        )
        frames.append(frame[~absent.to_numpy() & ~bad.to_numpy()])
    amounts = pd.concat(frames) if frames else _long_empty()
    used = {str(year): table.headers[index] for index, year in years.items()}
    return amounts, errors, used


def _long_empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure": pd.Series(dtype=object),
            "product": pd.Series(dtype=object),
            "year": pd.Series(dtype="int64"),
            "amount_cents": pd.Series(dtype="Int64"),
        }
    )
