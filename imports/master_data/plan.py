"""`import plan`: budgeted amounts (Haushaltsansätze) per measure or product and year.

Long layout: measure or product, year (Jahr), amount (Ansatz, Betrag). Wide layout, as cities
publish their budgets: one row per measure or product, one column per year, headed `2025`,
`Plan 2025`, `Ansatz 2025`, `Haushaltsansatz 2025`, `Ansatz 2025 EUR` …, unpivoted to one row
per year. Columns of actual results (`Ergebnis 2023`, `Ist 2023`, `Rechnungsergebnis 2023`)
are not plan: they, like every other column that is neither a field nor a plan year, are listed
in `ignored_columns`.

Published budgets break a product's plan down further, and the breakdown decides what counts:

- kind (`Betrag-Typ`, `HHArt`, `Amount Kind`): rows of actual results (`Ist`, `Ergebnis`) are
  left out and counted, so results never mix with plan; plan kinds are `Plan`, `Ansatz`,
  `Planung` (the medium-term plan years) and the like; any other kind is an error at its row.
- line (`Teilplanzeile`): the lines of the NKF Teilergebnisplan or Teilfinanzplan. Sum lines
  (`17 = ordentliche Aufwendungen`, `13 - Summe investive Auszahlungen`, `14 - Saldo …`) are
  left out, so nothing is counted twice.
- what is spending: a plan is compared with spending, so it counts what spending counts. With
  an account column (`Sachkonto`, `FIBU-Konto`) a row counts when its account matches
  `[ledger] spending_accounts` (NKF class 5 by default); else with a direction column (`Art`,
  `Richtung`: Ausgaben/Einnahmen, Aufwendungen/Erträge) when the direction matches one of the
  `spending` patterns; else with a line column when the line's label does. Income lines and
  results (`18 = Ergebnis …`) are left out. Internal service charges (ILV) are never spending,
  in every layout, as in the ledger: an account among `[ledger] internal_accounts` (NKF 58…,
  48…) or a line label matching `[plan] internal` (`27 - Interne Leistungsbeziehung`,
  `Aufwendungen aus internen Leistungsbeziehungen`), whatever the direction says; counted as
  `left_out.internal`. The sign is the file's own: both income and
  expenses are positive in NKF plans, so the direction is read from the labels, never the sign.
- Rows of one measure or product and year that differ in line, account or direction are added
  up to one plan amount; the same breakdown twice is an error naming the earlier row.

Amounts are exact integer cents: workbook numbers or text. An amount whose absolute value exceeds
`[imports] max_abs_amount` is implausible: an error at its row and column, never stored (nor is
a sum of lines beyond it). The decimal mark of text is a property
of the column, never guessed per cell: a column in which any text amount has a comma reads
commas as decimals and dots as thousands (`9.577.207`, `342555,19`); a column without commas in
which some amount ends in a point and one or two digits (`238462.84`) reads points as decimals;
otherwise points group thousands. An empty amount, `-` or `–` means no budget: no row (in the
long layout counted as "no_amount" — account-level plans such as Roetgen's list accounts without
an Ansatz). Total rows (`Summe`, `Gesamt` in the first filled cell) are skipped and counted.
Rows that are left out (actuals, sum lines, income) are not checked further: a bad amount in an
actual result is not the plan's problem.

Codes stay text as written (`16.01.2001` is a product, not a date); a code that repeats its own
column's header as a prefix word (`Produktgruppe 01.01` under `Produktgruppe`) is the code after
it (`01.01`). Settings may add header aliases for every field (`[plan] columns`), for a city
whose export names a column in its own way — or misspells it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from imports.german_values import is_blank, normalise_codes, read_amounts
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
from imports.master_data.plan_rows import (
    add_up,
    column_decimal,
    nothing_to_plan,
    select_rows,
)
from imports.money import DEFAULT_MAX_ABS_CENTS
from imports.plan_spending import DEFAULT_PLAN_SPENDING, PlanSpending
from imports.postings import RowError, implausible_amount_message
from imports.problems import joined, listed, problem, said
from imports.readers import ReadLimits, read_tables

PLAN_FIELDS: dict[str, tuple[str, ...]] = {
    "measure": MEASURE_ALIASES,
    "product": (*PRODUCT_ALIASES, "Produktgruppe", "Produktgruppennummer"),
    "year": (*YEAR_ALIASES, "Haushaltsjahr", "Planjahr"),
    "amount": (
        "amount", "Ansatz", "Betrag", "Haushaltsansatz", "Planansatz", "Planbetrag", "Plan",
        "budget", "Ansatz laufendes Jahr", "Ansatz lfd. Jahr",
    ),
    "kind": (
        "kind", "Betragsart", "Betrag-Typ", "Betragstyp", "Wertart", "HHArt", "Haushaltsart",
        "Amount Kind",
    ),
    "line": (
        "line", "Teilplanzeile", "Planzeile", "Ergebnisplanzeile", "Finanzplanzeile", "Zeile",
        "Position", "Ertrags- und Aufwandsarten", "Ertrags- und Aufwandsart",
    ),
    "direction": (
        "direction", "Richtung", "Budget Richtung", "Budget Direction", "Einnahme/Ausgabe",
        "Ertrag/Aufwand", "Art",
    ),
    "account": (
        "account", "Sachkonto", "Konto", "Kontonummer", "FIBU-Konto", "Finanzkonto",
    ),
}  # fmt: skip
BREAKDOWN = ("line", "account", "direction")
_PLAN_YEAR = re.compile(
    r"^(?:plan|ansatz|haushaltsansatz|planansatz|planwert|budget)?(?P<year>(?:19|20|21)\d{2})"
    r"(?:plan|ansatz)?$"
)
AMOUNT_FIELDS = ("measure", "product", "year", "amount_cents")
_NO_AMOUNT = frozenset({"-", "–", "—"})


@dataclass(frozen=True)
class PlanFile:
    """A budget plan read and checked.

    layout: "long" or "wide". amounts: measure (code or None), product (code or None), year
    (int), amount_cents (int, exact; the sum of the rows' spending lines or accounts), sheet,
    row (the first row of the sum). columns: field -> header as written; in the wide layout also
    "YYYY" -> the year column's header. skipped_total / skipped_notes: total rows ("Summe") and
    note rows ("Quelle: …") left out. left_out: rows (in the wide layout: rows, not cells) left
    out on purpose, by reason: "actuals" (kind Ist/Ergebnis), "sum_lines", "not_spending"
    (income, results, accounts outside spending), "no_amount" (long layout: empty amount).
    ignored_columns: the columns read for nothing, by header, or by letter where they have none;
    unnamed_columns: the letters among them.
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
    left_out: dict[str, int] = field(default_factory=dict)
    unnamed_columns: tuple[str, ...] = ()


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


def plan_spec(columns: Mapping[str, Sequence[str]] | None = None) -> TableSpec:
    """The plan table, with the settings' own aliases tried before the built-in ones."""
    extra = dict(columns or {})
    unknown = sorted(set(extra) - set(PLAN_FIELDS))
    if unknown:
        raise MasterDataError(
            problem("unknown_plan_field", field=said(unknown[0]), fields=", ".join(PLAN_FIELDS))
        )
    fields = {f: (*extra.get(f, ()), *aliases) for f, aliases in PLAN_FIELDS.items()}
    return TableSpec(
        "budget plan",
        ("Haushaltsansätze", "Ansätze", "Haushaltsplan", "Plan", "budget"),
        fields,
        (),  # measure or product, and year and amount or year columns: see _plan_layout
    )


def parse_plan(
    path: Path,
    limits: ReadLimits | None = None,
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    spending: PlanSpending = DEFAULT_PLAN_SPENDING,
    max_abs_cents: int = DEFAULT_MAX_ABS_CENTS,
) -> PlanFile:
    """Read one budget plan; MasterDataError when it holds no plan table, when two columns
    hold the same plan year, or when nothing in it is plan spending (actuals only, income only).

    columns: field -> extra header aliases ([plan] columns). spending: what counts as spending
    and what is internal (`PlanSpending`: [plan] spending and internal, [ledger]
    spending_accounts and internal_accounts). max_abs_cents: `[imports]
    max_abs_amount` in cents; a larger amount is an error at its row.
    """
    path = Path(path)
    spec = plan_spec(columns)
    sheets = read_tables(path, limits or ReadLimits())
    table = find_table(path, sheets, spec, accept=_plan_layout)
    if table is None:
        hint = problem("hint_plan_columns")
        lacking = TableSpec(
            spec.title, spec.sheet_names, spec.fields, ("measure", "year", "amount")
        )
        raise missing_table(path, sheets, lacking, hint)
    raw, skipped = table.raw()
    measure = _codes(table, raw, "measure")
    product = _codes(table, raw, "product")
    key_field = "measure" if "measure" in table.columns else "product"
    errors = table.errors(
        measure.isna() & product.isna(), key_field, problem("needs_measure_or_product")
    )
    kept, left_out, kind_errors = select_rows(table, raw, spending)
    breakdown = {f: _codes(table, raw, f) for f in BREAKDOWN if f in table.columns}
    if "year" in table.columns and "amount" in table.columns:
        layout = "long"
        no_amount = is_blank(raw["amount"]) | raw["amount"].map(
            lambda v: isinstance(v, str) and v.strip() in _NO_AMOUNT
        )
        left_out["no_amount"] = int((kept & no_amount).sum())
        kept &= ~no_amount
        amounts, more, used = _long(table, raw.loc[kept], measure, product, max_abs_cents)
    else:
        layout = "wide"
        amounts, more, used = _wide(path, table, raw, measure, product, max_abs_cents)
    kept_rows = set(raw.index[kept.to_numpy()])
    errors = [e for e in [*errors, *more] if e.row in kept_rows] + kind_errors
    amounts = amounts[amounts.index.isin(list(kept_rows))]
    amounts = amounts[~amounts.index.isin([e.row for e in errors])]
    for name, codes in breakdown.items():
        amounts[name] = codes.reindex(amounts.index).fillna("")
    amounts = amounts.assign(row=amounts.index.astype("int64")).reset_index(drop=True)
    ignored = table.unused_headers(i for i, h in enumerate(table.headers) if h in used.values())
    code = "plan_again_breakdown" if ignored.names and not breakdown else "plan_again"
    amounts, repeated = _drop_repeated(table, amounts, key_field, tuple(breakdown), code)
    errors += repeated
    amounts, too_large = add_up(amounts, max_abs_cents)
    errors += [table.error(row, key_field, message) for row, message in too_large]
    if amounts.empty and not errors:
        raise nothing_to_plan(path, table, left_out)
    columns_found = {f: table.header(f) for f in table.columns} | used
    out = finish(amounts.sort_values(["year", "row"], kind="stable"), table, AMOUNT_FIELDS)
    out = out.astype({"year": "int64", "amount_cents": "int64"})
    return PlanFile(
        path=path,
        layout=layout,
        sheet=table.sheet.name,
        header_row=table.header_row,
        amounts=out,
        ignored_columns=ignored.names,
        unnamed_columns=ignored.without_header,
        columns=columns_found,
        skipped_total=skipped.total,
        skipped_notes=skipped.notes,
        errors=tuple(sorted(errors, key=lambda e: (e.row, e.column or ""))),
        left_out={k: v for k, v in left_out.items() if v},
    )


def _codes(table: Table, raw: pd.DataFrame, name: str) -> pd.Series:
    """A code column as text; a prefix word repeating the header ("Produktgruppe 01.01") is
    dropped. A column the table lacks is all None."""
    if name not in raw:
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    codes = normalise_codes(raw[name])
    header = table.header(name).split(" / ")[-1].strip().casefold()
    if not header:
        return codes

    def without_header(code: object) -> object:
        if isinstance(code, str) and code.casefold().startswith(header + " "):
            return code[len(header) :].strip() or code
        return code

    return codes.map(without_header).astype(object)


def _drop_repeated(
    table: Table, amounts: pd.DataFrame, key_field: str, breakdown: tuple[str, ...], code: str
) -> tuple[pd.DataFrame, list[RowError]]:
    """A measure or product with two amounts for one year (and one line, account, direction):
    one error per later row."""
    keys = amounts[["measure", "product", "year", *breakdown]].fillna("")
    repeated = keys.duplicated(keep="first")
    first = amounts.groupby([keys[c] for c in keys.columns], sort=False)["row"].transform("min")
    errors = []
    for row, group in amounts[repeated].groupby("row", sort=True):
        what = " / ".join(
            str(v) for v in group.iloc[0][["measure", "product", *breakdown]] if pd.notna(v) and v
        )
        years = ", ".join(str(int(y)) for y in group["year"])
        earlier = ", ".join(str(r) for r in sorted(set(first[group.index])))
        errors.append(
            table.error(
                int(row),
                key_field,
                problem(code, what=what, years=years, rows=earlier),
            )
        )
    return amounts[~repeated], errors


def _long(
    table: Table, raw: pd.DataFrame, measure: pd.Series, product: pd.Series, max_abs_cents: int
) -> tuple[pd.DataFrame, list[RowError], dict[str, str]]:
    years, bad_year = read_years(raw["year"])
    errors = table.errors(is_blank(raw["year"]), "year", problem("needs_year"))
    errors += table.errors(
        bad_year, "year", raw["year"].map(lambda v: problem("not_year", value=said(v)))
    )
    cents, bad, too_large = read_amounts(
        raw["amount"], column_decimal(raw["amount"]), max_abs_cents
    )
    errors += table.errors(
        bad, "amount", raw["amount"].map(lambda v: problem("not_plan_amount", value=said(v)))
    )
    errors += table.errors(
        too_large,
        "amount",
        raw["amount"].map(lambda v: implausible_amount_message(v, max_abs_cents)),
    )
    frame = pd.DataFrame(
        {
            "measure": measure.loc[raw.index],
            "product": product.loc[raw.index],
            "year": years,
            "amount_cents": cents,
        }
    )
    return frame, errors, {}


def _wide(
    path: Path,
    table: Table,
    raw: pd.DataFrame,
    measure: pd.Series,
    product: pd.Series,
    max_abs_cents: int,
) -> tuple[pd.DataFrame, list[RowError], dict[str, str]]:
    years = _year_columns(table.header_cells, dict(table.columns))
    by_year: dict[int, list[str]] = {}
    for index, year in years.items():
        by_year.setdefault(year, []).append(table.headers[index])
    doubled = {y: h for y, h in by_year.items() if len(h) > 1}
    if doubled:
        listing = [
            problem("plan_year_columns", year=year, headers=listed(headers))
            for year, headers in doubled.items()
        ]
        raise MasterDataError(
            problem(
                "plan_year_twice",
                file=path.name,
                sheet=said(table.sheet.name),
                found=joined(listing, "; "),
            )
        )
    frames, errors = [], []
    for index, year in years.items():
        cells = table.cells(index).loc[raw.index]
        absent = is_blank(cells) | cells.map(
            lambda v: isinstance(v, str) and v.strip() in _NO_AMOUNT
        )
        present = cells.mask(absent, None)
        cents, bad, too_large = read_amounts(present, column_decimal(present), max_abs_cents)
        header_text = table.headers[index]
        errors += [
            table.error(row, header_text, problem("not_plan_amount", value=said(cells[row])))
            for row in cells.index[bad.to_numpy()]
        ]
        errors += [
            table.error(row, header_text, implausible_amount_message(cells[row], max_abs_cents))
            for row in cells.index[too_large.to_numpy()]
        ]
        bad = bad | too_large
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
