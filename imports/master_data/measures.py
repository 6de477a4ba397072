"""`import measures`: the catalog of measures with their posting rules, and district shares.

Measures sheet ("Maßnahmen"): code, name, program, start, end, and the rule columns cost
center, product, account, order. A posting belongs to a measure when every rule column filled
for it matches; a rule cell holds alternatives separated by commas (or semicolons), a trailing
`*` matches a prefix. Rules are kept as text, normalised to "36050, 3606*" (alternatives
trimmed, joined by comma and space; a code Excel stored as the number 36050.0 is "36050").

Choices (SPEC §5 leaves them open):
- program: an empty program cell means the measure stands alone; it becomes its own program,
  named like the measure, so that `spend --by program` and `evaluate --program` can name it.
- A measure code may appear in several rows, one per validity window (its rules changed, say,
  from 2023 on); those windows (start..end, empty = open) must not overlap.
- Every measure row needs at least one filled rule column; a file without any rule column is
  refused as a whole.

Allocations sheet ("Zuordnung", "Anteile"): measure, district, share, valid from, valid to,
basis. Shares are numbers or text: 0,5 · 0.5 · 50 % (an Excel percentage cell is a number
already), with 0 < share ≤ 1. The shares of one measure valid on one day sum to 1 within 1e-6;
days on which none is valid are allowed (that spending is unattributed, as for a measure without
any allocation row). Where the shares do not sum to 1, one error per measure names the day
ranges, found by sweeping the change points of its windows. The sum is checked only for
measures whose allocation rows are otherwise free of errors, so one typo does not produce two
errors. The allocations sheet is optional; a CSV file holds the measures table only.

A measures sheet without data rows is refused ("no rows"): the file replaces the catalogue in
force, and an empty one makes every euro unattributed. `allow_empty` accepts it, for the rare
update that ends every measure on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from imports.german_values import normalise_codes, parse_dates
from imports.master_data.columns import (
    MEASURE_ALIASES,
    PRODUCT_ALIASES,
    MasterDataError,
    Skipped,
    Table,
    TableSpec,
    district_aliases,
    find_table,
    finish,
    missing_table,
)
from imports.master_data.periods import describe_days, describe_window, overlaps, share_sums
from imports.postings import RowError
from imports.problems import Problem, listed, problem, said
from imports.readers import ReadLimits, read_tables

RULE_FIELDS = ("cost_center", "product", "account", "order")
MEASURE_FIELDS = ("measure", "name", "program", "start", "end", *RULE_FIELDS)
ALLOCATION_FIELDS = ("measure", "district", "share", "valid_from", "valid_to", "basis")
SHARE_TOLERANCE = Decimal("1e-6")

MEASURES = TableSpec(
    "measures",
    ("Maßnahmen", "Maßnahmenkatalog", "Katalog", "measures"),
    {
        "measure": MEASURE_ALIASES,
        # "Maßnahme" last: the name, when a "Maßnahmen-Nr." column took the code.
        "name": ("name", "Bezeichnung", "Maßnahmenbezeichnung", "Titel", "title", "Maßnahme"),
        "program": ("program", "programme", "Programm", "Förderprogramm", "Handlungsprogramm"),
        "start": ("start", "Beginn", "Startdatum", "Laufzeitbeginn", "Laufzeit von", "Gültig ab"),
        "end": ("end", "Ende", "Enddatum", "Laufzeitende", "Laufzeit bis", "Gültig bis"),
        "cost_center": ("cost center", "cost centre", "Kostenstelle", "Kostenstellen", "KSt"),
        "product": PRODUCT_ALIASES,
        "account": ("account", "Sachkonto", "Sachkonten", "Konto", "Kontonummer"),
        "order": ("order", "internal order", "Auftrag", "Innenauftrag", "Auftragsnummer"),
    },
    ("measure", "name"),
)
ALLOCATIONS = TableSpec(
    "allocations",
    ("Zuordnung", "Anteile", "Verteilung", "Aufteilung", "allocations", "shares"),
    {
        "measure": MEASURE_ALIASES,
        "district": district_aliases(numbered=False),
        "share": ("share", "Anteil", "Verteilungsanteil", "Anteil Sozialraum"),
        "valid_from": ("valid from", "Gültig ab", "Gueltig ab", "Gültig von", "ab", "from"),
        "valid_to": ("valid to", "valid until", "Gültig bis", "Gueltig bis", "bis", "until"),
        "basis": (
            "basis",
            "Grundlage",
            "Verteilungsgrundlage",
            "Bemessungsgrundlage",
            "Begründung",
        ),
    },
    ("measure", "district", "share"),
)
_ALTERNATIVE = re.compile(r"^[^*]+\*?$")
_SHARE_TEXT = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


@dataclass(frozen=True)
class MeasuresFile:
    """A measures file read and checked.

    measures: measure, name, program, start, end (datetime.date or None = open), cost_center,
    product, account, order (rule text, alternatives ", "-separated, None when empty), sheet,
    row — one row per measure and validity window.
    allocations: measure, district, share (Decimal, 0 < share ≤ 1), valid_from, valid_to
    (datetime.date or None = open), basis (text or None), sheet, row.
    columns: table ("measures", "allocations") -> field -> header as the file writes it.
    skipped_total / skipped_notes: total rows and note rows ("Quelle: …") left out.
    """

    path: Path
    measures: pd.DataFrame
    allocations: pd.DataFrame
    columns: dict[str, dict[str, str]]
    skipped_total: int
    skipped_notes: int
    errors: tuple[RowError, ...]


def parse_measures(
    path: Path, limits: ReadLimits | None = None, *, allow_empty: bool = False
) -> MeasuresFile:
    """Read one measures file; MasterDataError when it holds no measures table, or one
    without any rule column; NoRows when its measures table holds no rows, unless
    `allow_empty` (module docstring)."""
    path = Path(path)
    sheets = read_tables(path, limits or ReadLimits())
    shares = find_table(path, sheets, ALLOCATIONS)
    catalog = find_table(path, sheets, MEASURES, skip=[shares.sheet.name] if shares else [])
    if catalog is None:
        raise missing_table(path, sheets, MEASURES)
    if not any(f in catalog.columns for f in RULE_FIELDS):
        rules = ", ".join(f"{f} ({listed(MEASURES.fields[f][:3])})" for f in RULE_FIELDS)
        raise MasterDataError(
            problem(
                "no_rule_column",
                file=path.name,
                sheet=said(catalog.sheet.name),
                found=listed([h for h in catalog.headers if h]),
                rules=rules,
            )
        )
    measures, errors, skipped = _measures(catalog, allow_empty)
    columns = {"measures": {f: catalog.header(f) for f in catalog.columns}}
    allocations = _empty_allocations()
    if shares is not None:
        allocations, more, more_skipped = _allocations(shares, catalog)
        errors += more
        skipped += more_skipped
        columns["allocations"] = {f: shares.header(f) for f in shares.columns}
    order = [s.name for s in sheets]
    errors.sort(key=lambda e: (order.index(e.sheet), e.row, e.column or ""))
    return MeasuresFile(
        path, measures, allocations, columns, skipped.total, skipped.notes, tuple(errors)
    )


def _days(table: Table, raw: pd.DataFrame, field: str) -> tuple[pd.Series, list[RowError]]:
    """datetime.date or None per row, and the errors of cells that are not dates."""
    if field not in raw:
        return pd.Series([None] * len(raw), index=raw.index, dtype=object), []
    parsed, bad = parse_dates(raw[field])
    days = parsed.map(lambda t: None if pd.isna(t) else t.date()).astype(object)
    message = raw[field].map(lambda v: problem("not_date", value=said(v)))
    return days, table.errors(bad, field, message)


def _measures(table: Table, allow_empty: bool) -> tuple[pd.DataFrame, list[RowError], Skipped]:
    raw, skipped = table.raw(optional=allow_empty)
    code = normalise_codes(raw["measure"])
    name = normalise_codes(raw["name"])
    errors = table.errors(code.isna(), "measure", problem("needs_measure_code"))
    errors += table.errors(name.isna(), "name", problem("needs_measure_name"))
    program = normalise_codes(raw["program"]) if "program" in raw else name
    start, start_errors = _days(table, raw, "start")
    end, end_errors = _days(table, raw, "end")
    errors += start_errors + end_errors
    errors += table.errors(_backwards(start, end), "end", problem("ends_before_start"))
    frame = pd.DataFrame({"measure": code, "name": name, "program": program.fillna(name)})
    frame["start"], frame["end"] = start, end
    filled = pd.Series(False, index=raw.index)
    for field in RULE_FIELDS:
        if field not in raw:
            frame[field] = None
            continue
        rules = raw[field].map(_rule)
        broken = rules.map(lambda r: isinstance(r, _BadRule))
        errors += table.errors(
            broken, field, rules.map(lambda r: r.problem if isinstance(r, _BadRule) else "")
        )
        frame[field] = pd.Series(
            [None if r is None or isinstance(r, _BadRule) else r for r in rules],
            index=raw.index,
            dtype=object,
        )
        filled |= frame[field].notna() | broken
    rule_headers = ", ".join(table.header(f) for f in RULE_FIELDS if f in table.columns)
    errors += table.errors(
        ~filled & code.notna(), None, problem("no_posting_rule", headers=rule_headers)
    )
    errors += _overlapping_windows(table, frame[~frame.index.isin([e.row for e in errors])])
    frame = frame[~frame.index.isin([e.row for e in errors])]
    return finish(frame, table, MEASURE_FIELDS), errors, skipped


def _backwards(start: pd.Series, end: pd.Series) -> pd.Series:
    """Rows whose end date lies before their start date (both given)."""
    flags = [a is not None and b is not None and b < a for a, b in zip(start, end, strict=True)]
    return pd.Series(flags, index=start.index, dtype=bool)


@dataclass(frozen=True)
class _BadRule:
    """A rule cell that cannot be a rule, and why."""

    problem: Problem


def _rule(value: object) -> str | None:
    (text,) = normalise_codes(pd.Series([value], dtype=object))
    if text is None:
        return None
    alternatives = [a.strip() for a in re.split(r"[,;]", str(text))]
    alternatives = [a for a in alternatives if a]
    if not alternatives:
        return None
    for alternative in alternatives:
        if alternative == "*":
            return _BadRule(problem("lone_star", value=said(value)))
        if not _ALTERNATIVE.match(alternative):
            return _BadRule(problem("star_inside", value=said(value)))
    return ", ".join(alternatives)


def _overlapping_windows(table: Table, frame: pd.DataFrame) -> list[RowError]:
    """A measure code in several rows: their validity windows must not share a day."""
    errors = []
    for code, group in frame.groupby("measure", sort=False):
        rows = list(zip(group.index, group["start"], group["end"], strict=True))
        for position, (row, start, end) in enumerate(rows):
            earlier = next(
                (r for r in rows[:position] if overlaps((r[1], r[2]), (start, end))), None
            )
            if earlier is not None:
                errors.append(
                    table.error(
                        row,
                        "measure",
                        problem(
                            "measure_windows_overlap",
                            measure=said(code),
                            window=describe_window(start, end),
                            row=int(row),
                            earlier=describe_window(earlier[1], earlier[2]),
                            earlier_row=int(earlier[0]),
                        ),
                    )
                )
    return errors


def _allocations(table: Table, catalog: Table) -> tuple[pd.DataFrame, list[RowError], Skipped]:
    raw, skipped = table.raw(optional=True)
    measure = normalise_codes(raw["measure"])
    district = normalise_codes(raw["district"])
    errors = table.errors(measure.isna(), "measure", problem("needs_measure_code"))
    errors += table.errors(district.isna(), "district", problem("needs_district_code"))
    known = set(normalise_codes(catalog.raw()[0]["measure"]).dropna())
    errors += table.errors(
        measure.notna() & ~measure.isin(known),
        "measure",
        measure.map(
            lambda m: problem(
                "measure_not_in_sheet", measure=said(m), sheet=said(catalog.sheet.name)
            )
        ),
    )
    shares = raw["share"].map(_share)
    bad_share = shares.map(lambda s: isinstance(s, Problem))
    errors += table.errors(bad_share, "share", shares)
    valid_from, from_errors = _days(table, raw, "valid_from")
    valid_to, to_errors = _days(table, raw, "valid_to")
    errors += from_errors + to_errors
    errors += table.errors(
        _backwards(valid_from, valid_to), "valid_to", problem("ends_before_start")
    )
    basis = (
        normalise_codes(raw["basis"])
        if "basis" in raw
        else pd.Series([None] * len(raw), index=raw.index, dtype=object)
    )
    frame = pd.DataFrame({"measure": measure, "district": district})
    frame["share"] = shares.where(~bad_share, None).astype(object)
    frame["valid_from"], frame["valid_to"] = valid_from, valid_to
    frame["basis"] = basis.astype(object)
    clean = frame[~frame.index.isin([e.row for e in errors])]
    errors += _repeated_districts(table, clean)
    rejected = {e.row for e in errors}
    failing = set(frame.loc[frame.index.isin(list(rejected)), "measure"].dropna())
    errors += _share_sums(table, clean[~clean["measure"].isin(failing)])
    frame = frame[~frame.index.isin(list(rejected))]
    return finish(frame, table, ALLOCATION_FIELDS), errors, skipped


def _share(value: object) -> Decimal | Problem:
    """A share as Decimal, or why the cell is none."""
    if (
        value is None
        or (isinstance(value, float) and value != value)
        or (isinstance(value, str) and not value.strip())
    ):
        return problem("needs_share")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return problem("not_share", value=said(value))
    if isinstance(value, int | float):
        share = Decimal(f"{value:.15g}")  # Excel keeps 15 significant digits
    else:
        text = re.sub(r"\s+", "", value)
        percent = text.endswith("%")
        number = text.removesuffix("%")
        if not _SHARE_TEXT.match(number):
            return problem("not_share", value=said(value))
        try:
            share = Decimal(number.replace(",", "."))
        except InvalidOperation:
            return problem("not_share", value=said(value))
        share = share / 100 if percent else share
    if not Decimal(0) < share <= Decimal(1):
        return problem("share_out_of_range", value=said(value))
    return share


def _repeated_districts(table: Table, frame: pd.DataFrame) -> list[RowError]:
    """One district twice in one measure's shares on the same day would count it twice."""
    errors = []
    for (measure, district), group in frame.groupby(["measure", "district"], sort=False):
        rows = list(zip(group.index, group["valid_from"], group["valid_to"], strict=True))
        for position, (row, start, end) in enumerate(rows):
            earlier = next(
                (r for r in rows[:position] if overlaps((r[1], r[2]), (start, end))), None
            )
            if earlier is not None:
                errors.append(
                    table.error(
                        row,
                        "district",
                        problem(
                            "district_share_twice",
                            district=said(district),
                            measure=said(measure),
                            row=int(earlier[0]),
                            window=describe_window(start, end),
                            earlier=describe_window(earlier[1], earlier[2]),
                        ),
                    )
                )
    return errors


def _share_sums(table: Table, frame: pd.DataFrame) -> list[RowError]:
    """One error per measure whose shares valid on some day do not sum to 1."""
    errors = []
    for measure, group in frame.groupby("measure", sort=False):
        windows = list(zip(group["valid_from"], group["valid_to"], group["share"], strict=True))
        wrong = [s for s in share_sums(windows) if abs(s.total - 1) > SHARE_TOLERANCE]
        if not wrong:
            continue
        parts = [
            problem("share_sum", total=_decimal_text(s.total), days=describe_days(s.start, s.end))
            for s in wrong
        ]
        first_span = wrong[0]
        row = next(
            r
            for r, start, end in zip(
                group.index, group["valid_from"], group["valid_to"], strict=True
            )
            if overlaps((start, end), (first_span.start, first_span.end))
        )
        sums = parts[0]
        for further in parts[1:]:
            sums = problem("share_sums_and", first=sums, second=further)
        errors.append(
            table.error(row, "share", problem("shares_sum_to", measure=str(measure), sums=sums))
        )
    return errors


def _decimal_text(value: Decimal) -> str:
    """0.8, not 0.80000: the sum as a user would write it."""
    return format(value.normalize(), "f")


def _empty_allocations() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in (*ALLOCATION_FIELDS, "sheet")})
    frame["row"] = pd.Series(dtype="int64")
    return frame
