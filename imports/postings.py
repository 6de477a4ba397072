"""Turn one export file into validated canonical postings, or into a list of row errors.

Pure with respect to the ledger: nothing here touches the database. The result says how many
data rows the file had, which were skipped (blank, total, repeated header) and why every rejected
row was rejected, so that no row is ever lost silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from imports.fingerprint import Fingerprint, fingerprint
from imports.german_values import (
    is_blank,
    normalise_codes,
    parse_amount_cents,
    parse_dates,
    parse_whole_numbers,
)
from imports.header_detection import HeaderMatch, find_header, header_key
from imports.money import format_cents
from imports.posting_identity import content_hashes, key_hashes
from imports.profile import CODE_FIELDS, Profile
from imports.readers import ReadLimits, read_tables

# "Summe", "Gesamtsumme", "Summe:", "Zwischensumme Konto 5011", "Total", SAP's "*" and "**".
_TOTAL_CELL = re.compile(r"^\s*(\*+|(gesamt|zwischen|end)?summen?\b.*|total\b.*|gesamt\b.*)$", re.I)
_AMOUNT_HINT = "expected a number such as 1.234,56, -1.234,56 or 1.234,56-"
_DATE_HINT = "expected a date such as 31.12.2024, 2024-12-31 or an Excel date"


@dataclass(frozen=True)
class RowError:
    """One rejected row: where it is (as Excel shows it) and what was expected."""

    file: str
    sheet: str
    row: int
    column: str | None
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        return f"{self.file}, sheet {self.sheet!r}, row {self.row}{column}: {self.message}"


@dataclass(frozen=True)
class ParsedExport:
    """A file read and checked; `postings` holds only good rows, one per distinct key.

    postings columns: fiscal_year, document_no, line_no, booking_date (datetime64), account,
    product, cost_center, order, text, amount_cents (signed, debit positive), debit_credit,
    sheet, row, key_hash, content_hash.
    """

    path: Path
    fingerprint: Fingerprint
    profile: Profile
    reason: str
    sheet: str
    header_row: int | None
    postings: pd.DataFrame
    errors: tuple[RowError, ...]
    rows: int
    skipped_blank: int
    skipped_total: int
    skipped_header: int
    duplicates_in_file: int
    total_cents: int
    warnings: tuple[str, ...]

    @property
    def skipped(self) -> int:
        return self.skipped_blank + self.skipped_total + self.skipped_header


def parse_postings(
    path: Path,
    profiles: Mapping[str, Profile],
    requested: str = "auto",
    limits: ReadLimits | None = None,
) -> ParsedExport:
    """Read, map and validate one export. Raises FileRefused / NoProfileMatches for whole-file
    problems; row problems are returned as `errors`."""
    forced = profiles.get(requested)
    sheets = read_tables(
        path,
        limits or ReadLimits(),
        encoding=forced.encoding if forced else None,
        delimiter=forced.delimiter if forced else None,
    )
    match = find_header(sheets, profiles, requested)
    return _parse_sheet(path, fingerprint(path), match)


def _column(rows: list[list[object]], index: int) -> list[object]:
    return [row[index] if index < len(row) else None for row in rows]


def _parse_sheet(path: Path, print_: Fingerprint, match: HeaderMatch) -> ParsedExport:
    profile, sheet = match.profile, match.sheet
    start = 0 if match.header_index is None else match.header_index + 1
    data = sheet.rows[start:]
    first_number = sheet.first_row_number + start
    raw = pd.DataFrame(
        {
            name: pd.Series(_column(data, index), dtype=object)
            for name, index in match.columns.items()
        }
    )
    raw.index = pd.RangeIndex(first_number, first_number + len(data))  # row numbers as Excel shows
    header_name = {name: match.headers[index].strip() for name, index in match.columns.items()}
    decimal = sheet.decimal or profile.decimal

    dates, bad_dates = parse_dates(raw["booking_date"])
    blank = pd.concat([is_blank(raw[c]) for c in raw.columns], axis=1).all(axis=1)
    # Only rows without a valid booking date can be totals or repeated headers: a real posting
    # whose text says "Summe der Zuschüsse" is still a posting.
    suspects = raw.index[~blank & dates.isna()]
    totals, repeated = _totals_and_repeated_headers(data, first_number, suspects, match)
    skip = blank.copy()
    skip[totals] = True
    skip[repeated] = True
    rows = raw[~skip]
    dates, bad_dates = dates[~skip], bad_dates[~skip]

    errors: list[RowError] = []

    def reject(mask: pd.Series, field: str, message: str | None = None) -> None:
        for number in mask.index[mask.to_numpy()]:
            text = message or f"{rows.at[number, field]!r} is not valid"
            errors.append(
                RowError(print_.name, sheet.name, int(number), header_name.get(field), text)
            )

    cents, bad_amounts = parse_amount_cents(rows["amount"], decimal)
    for number in bad_amounts.index[bad_amounts.to_numpy()]:
        value = rows.at[number, "amount"]
        errors.append(
            RowError(
                print_.name,
                sheet.name,
                int(number),
                header_name["amount"],
                f"not an amount: {value!r}; {_AMOUNT_HINT} (decimal mark {decimal!r})",
            )
        )
    cents, sign_errors = _apply_debit_credit(rows, cents, profile)
    reject(sign_errors, "debit_credit", _marker_message(profile))
    for number in bad_dates.index[bad_dates.to_numpy()]:
        value = rows.at[number, "booking_date"]
        errors.append(
            RowError(
                print_.name,
                sheet.name,
                int(number),
                header_name["booking_date"],
                f"not a date: {value!r}; {_DATE_HINT}",
            )
        )

    frame = pd.DataFrame(index=rows.index)
    frame["booking_date"] = dates
    for field in CODE_FIELDS:
        frame[field] = normalise_codes(rows[field]) if field in rows else None
    frame["text"] = normalise_codes(rows["text"]) if "text" in rows else None
    frame["debit_credit"] = (
        normalise_codes(rows["debit_credit"]) if "debit_credit" in rows else None
    )
    frame["amount_cents"] = cents
    for field in ("fiscal_year", "line_no"):
        if field in rows:
            numbers, bad = parse_whole_numbers(rows[field])
            reject(bad, field, f"expected a whole number in {header_name[field]!r}")
            frame[field] = numbers
        else:
            frame[field] = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    frame["fiscal_year"] = frame["fiscal_year"].fillna(dates.dt.year.astype("Int64"))

    for field in profile.required_values:
        reject(is_blank(rows[field]), field, f"{header_name[field]!r} is empty")

    total_cents = int(cents.dropna().sum())
    warnings = _control_total_warnings(data, first_number, totals, match, total_cents, decimal)

    frame["sheet"] = sheet.name
    frame["row"] = frame.index.astype("int64")
    bad_rows = {e.row for e in errors}
    good = frame[~frame.index.isin(list(bad_rows))].copy()
    good["key_hash"] = key_hashes(good, profile.key)
    good["content_hash"] = content_hashes(good)
    good, duplicates, conflicts = _collapse_same_key(good, print_.name, sheet.name, profile)
    errors.extend(conflicts)
    errors.sort(key=lambda e: (e.row, e.column or ""))
    return ParsedExport(
        path=path,
        fingerprint=print_,
        profile=profile,
        reason=match.reason,
        sheet=sheet.name,
        header_row=match.header_row_number,
        postings=good.reset_index(drop=True),
        errors=tuple(errors),
        rows=len(rows),
        skipped_blank=int(blank.sum()),
        skipped_total=len(totals),
        skipped_header=len(repeated),
        duplicates_in_file=duplicates,
        total_cents=total_cents,
        warnings=tuple(warnings),
    )


def _totals_and_repeated_headers(
    data: list[list[object]], first_number: int, suspects: pd.Index, match: HeaderMatch
) -> tuple[list[int], list[int]]:
    header = [header_key(match.headers[i]) for i in match.columns.values()]
    totals, repeated = [], []
    for number in suspects:
        cells = data[number - first_number]
        if any(isinstance(c, str) and _TOTAL_CELL.match(c) for c in cells):
            totals.append(int(number))
        elif [
            header_key(cells[i]) if i < len(cells) else "" for i in match.columns.values()
        ] == header:
            repeated.append(int(number))
    return totals, repeated


def _apply_debit_credit(
    rows: pd.DataFrame, cents: pd.Series, profile: Profile
) -> tuple[pd.Series, pd.Series]:
    """Soll positive, Haben negative: with a credit marker the amount's own sign is ignored."""
    no_errors = pd.Series(False, index=rows.index)
    if profile.credit_marker is None:
        return cents, no_errors
    marker = rows["debit_credit"].map(lambda v: header_key(v))
    credit = marker.eq(profile.credit_marker.casefold())
    known = credit | (
        marker.eq(profile.debit_marker.casefold()) if profile.debit_marker else marker.ne("")
    )
    magnitude = cents.abs()
    return magnitude.where(~credit, -magnitude), ~known


def _marker_message(profile: Profile) -> str:
    allowed = [m for m in (profile.debit_marker, profile.credit_marker) if m]
    return f"expected the debit/credit marker {' or '.join(repr(m) for m in allowed)}"


def _control_total_warnings(
    data: list[list[object]],
    first_number: int,
    totals: list[int],
    match: HeaderMatch,
    total_cents: int,
    decimal: str,
) -> list[str]:
    """Compare the export's own final sum line, where it has one, with the rows we read."""
    if not totals:
        return []
    index = match.columns["amount"]
    last = data[totals[-1] - first_number]
    cell = pd.Series([last[index] if index < len(last) else None], dtype=object)
    stated, bad = parse_amount_cents(cell, decimal)
    if bad.iloc[0] or pd.isna(stated.iloc[0]):
        return []
    if match.profile.credit_marker is not None:
        return []  # SAP sum lines are unsigned per S/H; not comparable to the signed total
    if int(stated.iloc[0]) != total_cents:
        return [
            f"the export's sum line (row {totals[-1]}) says {format_cents(int(stated.iloc[0]))}, "
            f"its rows add up to {format_cents(total_cents)}"
        ]
    return []


def _collapse_same_key(
    good: pd.DataFrame, file: str, sheet: str, profile: Profile
) -> tuple[pd.DataFrame, int, list[RowError]]:
    """Rows repeating a key: identical content is a duplicate within the file, other content is
    a conflict the finance department must resolve (both rows are rejected)."""
    repeated = good["key_hash"].duplicated(keep=False)
    if not repeated.any():
        return good, 0, []
    groups = good[repeated].groupby("key_hash", sort=False)
    conflicts: list[RowError] = []
    conflicting_keys = []
    for key, group in groups:
        if group["content_hash"].nunique() > 1:
            conflicting_keys.append(key)
            rows = [int(r) for r in group["row"]]
            for row in rows:
                others = ", ".join(str(r) for r in rows if r != row)
                conflicts.append(
                    RowError(
                        file,
                        sheet,
                        row,
                        None,
                        f"same key ({', '.join(profile.key)}) as row {others} "
                        "but different content",
                    )
                )
    keep = ~good["key_hash"].isin(conflicting_keys)
    deduplicated = good[keep].drop_duplicates("key_hash", keep="first")
    duplicates = int(keep.sum()) - len(deduplicated)
    return deduplicated, duplicates, conflicts
