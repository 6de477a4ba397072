"""Turn one export file into validated canonical postings, or into a list of row errors.

Pure with respect to the ledger: nothing here touches the database. The result says how many
data rows the file had, which were skipped (blank, total, repeated header) and why every rejected
row was rejected, so that no row is ever lost silently.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from typing import Protocol

import pandas as pd
import polars as pl

from imports.column_resemblance import UnmappedColumn, unmapped_columns
from imports.distinct_cells import DistinctCells
from imports.fingerprint import Fingerprint, fingerprint
from imports.german_values import (
    is_blank,
    normalise_codes,
    parse_amount_cents,
    parse_dates,
    parse_whole_numbers,
    read_amounts,
)
from imports.header_detection import HeaderMatch, find_header, header_key
from imports.money import DEFAULT_MAX_ABS_CENTS, exact_sum
from imports.posting_identity import identity_hashes
from imports.problems import Problem, listed, problem, said
from imports.profile import CODE_FIELDS, Profile
from imports.readers import FileRefused, ReadLimits, read_tables, row_chunks
from imports.readers.text_columns import TextChunk
from imports.text_cells import CellsDiffer, require_alike

# "Summe", "Gesamtsumme", "Summe:", "Zwischensumme Konto 5011", "Total", SAP's "*" and "**".
_TOTAL_CELL = re.compile(r"^\s*(\*+|(gesamt|zwischen|end)?summen?\b.*|total\b.*|gesamt\b.*)$", re.I)
# Data rows converted at a time: their cells as Python objects are what a sheet costs in memory.
_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    """One rejected row: where it is (as Excel shows it) and what was expected.

    message: given as a `Problem` (a code and its values, which the front door words in the
    reader's language), kept as `problem`, and `message` is its English; a plain text is kept
    as it is (problem None).
    """

    file: str
    sheet: str
    row: int
    column: str | None
    message: str | Problem
    problem: Problem | None = dataclasses.field(default=None, init=False, compare=False)
    # The row is a feature's number in a geodata layer (GeoJSON, GeoPackage, Shapefile), which
    # the reader should not look for as a spreadsheet row.
    feature: bool = dataclasses.field(default=False, kw_only=True)

    def __post_init__(self) -> None:
        if isinstance(self.message, Problem):
            object.__setattr__(self, "problem", self.message)
            object.__setattr__(self, "message", self.message.english)

    def to_dict(self) -> dict[str, object]:
        document: dict[str, object] = {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }
        if self.problem is not None:
            document["problem"] = self.problem.to_dict()
        if self.feature:
            document["feature"] = True
        return document

    def __str__(self) -> str:
        column = f", column {self.column!r}" if self.column else ""
        where = f"layer {self.sheet!r}, feature" if self.feature else f"sheet {self.sheet!r}, row"
        return f"{self.file}, {where} {self.row}{column}: {self.message}"


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
    warnings: tuple[Problem, ...]  # each `.english` for the Python API and the JSON
    # Columns that look like a field the profile does not read (imports.column_resemblance).
    unmapped_columns: tuple[UnmappedColumn, ...] = ()
    # Why the profile was chosen, as a Problem (`reason` is its English).
    why: Problem | None = None

    @property
    def skipped(self) -> int:
        return self.skipped_blank + self.skipped_total + self.skipped_header


class PostingSink(Protocol):
    """Takes a file's good rows chunk by chunk while it is parsed (ledger.streamed_store).

    take: one chunk's good rows (`ParsedExport.postings` columns) in file order, before rows
    repeating a key are collapsed over the whole file. abandon: the file is read again from the
    start, so what was taken may not be what the parse returns."""

    def take(self, profile: Profile, good: pd.DataFrame) -> None: ...

    def abandon(self) -> None: ...


def parse_postings(
    path: Path,
    profiles: Mapping[str, Profile],
    requested: str = "auto",
    limits: ReadLimits | None = None,
    max_abs_cents: int = DEFAULT_MAX_ABS_CENTS,
    sink: PostingSink | None = None,
) -> ParsedExport:
    """Read, map and validate one export. Raises FileRefused / NoProfileMatches /
    AmbiguousColumns for whole-file problems (a header without data rows is one: importing it
    would record an empty batch as if the period had no postings); row problems are returned
    as `errors`.

    max_abs_cents: `[imports] max_abs_amount` in cents; a larger amount is a rejected row.
    sink: given each chunk's good rows as soon as they are parsed.
    """
    print_ = fingerprint(path)
    read = _FileRead(path, profiles, requested, limits, max_abs_cents, print_)
    try:
        parsed = read.parse(text_columns=True, sink=sink)
    except CellsDiffer:
        # A cell fastexcel wrote as text might have been a number: read the types too.
        if sink is not None:
            sink.abandon()
        parsed = read.parse(text_columns=False, sink=None)
    if parsed.rows == 0:
        raise FileRefused(path, _no_rows(parsed))
    return parsed


@dataclass(frozen=True)
class _FileRead:
    """What reading one export takes, for a first read and, if need be, a second."""

    path: Path
    profiles: Mapping[str, Profile]
    requested: str
    limits: ReadLimits | None
    max_abs_cents: int
    print_: Fingerprint

    def parse(self, *, text_columns: bool, sink: PostingSink | None) -> ParsedExport:
        """Read the file (a one-sheet .xlsx as Arrow text columns if `text_columns`) and parse
        it; raises CellsDiffer where those text columns could read otherwise than the cells."""
        forced = self.profiles.get(self.requested)
        sheets = read_tables(
            self.path,
            self.limits or ReadLimits(),
            encoding=forced.encoding if forced else None,
            delimiter=forced.delimiter if forced else None,
            streamed=True,
            text_columns=text_columns,
        )
        match = find_header(sheets, self.profiles, self.requested)
        return _parse_sheet(self.path, self.print_, match, self.max_abs_cents, sink)


def _no_rows(parsed: ParsedExport) -> Problem:
    where = (
        problem("where_header_row", row=parsed.header_row, sheet=said(parsed.sheet))
        if parsed.header_row is not None
        else problem("where_described", sheet=said(parsed.sheet))
    )
    skipped: Problem | str = (
        problem(
            "skipped_rows",
            blank=parsed.skipped_blank,
            total=parsed.skipped_total,
            header=parsed.skipped_header,
        )
        if parsed.skipped
        else ""
    )
    return problem("no_posting_rows", where=where, skipped=skipped)


@dataclass(frozen=True)
class _ParsedChunk:
    """One chunk of a sheet's data rows, checked: what `ParsedExport` adds up over chunks."""

    good: pd.DataFrame  # `ParsedExport.postings` columns, before duplicate keys are collapsed
    errors: list[RowError]
    rows: int
    skipped_blank: int
    totals: list[int]  # row numbers of sum lines
    skipped_header: int
    total_cents: int
    last_total: Sequence[object] | None  # the cells of the chunk's last sum line


def _parse_sheet(
    path: Path,
    print_: Fingerprint,
    match: HeaderMatch,
    max_abs_cents: int,
    sink: PostingSink | None,
) -> ParsedExport:
    """Parse the sheet in chunks of `_CHUNK_ROWS`, so that only one chunk's cells exist as
    Python objects at a time; duplicate keys are found over the whole file at the end."""
    profile, sheet = match.profile, match.sheet
    start = 0 if match.header_index is None else match.header_index + 1
    first_number = sheet.first_row_number + start
    chunks: list[_ParsedChunk] = []
    for data in row_chunks(sheet.rows, start, _CHUNK_ROWS):
        chunks.append(_parse_chunk(print_.name, match, data, first_number, max_abs_cents))
        first_number += len(data)
        if sink is not None:
            sink.take(profile, chunks[-1].good)
    if not chunks:
        chunks.append(_parse_chunk(print_.name, match, [], first_number, max_abs_cents))
    good = pd.concat([c.good for c in chunks])
    errors = [e for c in chunks for e in c.errors]
    totals = [t for c in chunks for t in c.totals]
    total_cents = sum(c.total_cents for c in chunks)
    last_total = next((c.last_total for c in reversed(chunks) if c.last_total is not None), None)
    decimal = sheet.decimal or profile.decimal
    warnings = (
        _control_total_warnings(last_total, totals[-1], match, total_cents, decimal)
        if last_total is not None
        else []
    )
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
        rows=sum(c.rows for c in chunks),
        skipped_blank=sum(c.skipped_blank for c in chunks),
        skipped_total=len(totals),
        skipped_header=sum(c.skipped_header for c in chunks),
        duplicates_in_file=duplicates,
        total_cents=total_cents,
        warnings=tuple(warnings),
        unmapped_columns=unmapped_columns(match),
        why=match.why,
    )


def _parse_chunk(
    file: str,
    match: HeaderMatch,
    data: Sequence[list[object]] | TextChunk,
    first_number: int,
    max_abs_cents: int,
) -> _ParsedChunk:
    """Map, convert and check consecutive data rows; `first_number` is the first one's row
    number as Excel shows it."""
    profile, sheet = match.profile, match.sheet
    numbers = pd.RangeIndex(first_number, first_number + len(data))  # row numbers as Excel shows
    header_name = {name: match.headers[index].strip() for name, index in match.columns.items()}
    decimal = sheet.decimal or profile.decimal

    # Every conversion runs once per distinct cell of a column (imports.distinct_cells).
    cells = _distinct_cells(data, match, numbers, decimal)
    blanks = {name: c.spread(is_blank(c.values)) for name, c in cells.items()}
    dates, bad_dates = map(cells["booking_date"].spread, parse_dates(cells["booking_date"].values))
    blank = pd.concat(blanks.values(), axis=1).all(axis=1)
    # Only rows without a valid booking date can be totals or repeated headers: a real posting
    # whose text says "Summe der Zuschüsse" is still a posting.
    suspects = numbers[~blank & dates.isna()]
    totals, repeated = _totals_and_repeated_headers(data, first_number, suspects, match)
    skip = blank.copy()
    skip[totals] = True
    skip[repeated] = True
    rows = numbers[~skip.to_numpy()]
    keep = ~skip.to_numpy()
    dates, bad_dates = dates[keep], bad_dates[keep]

    def converted(field: str, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
        return cells[field].spread(convert(cells[field].values))[keep]

    errors: list[RowError] = []

    def reject(mask: pd.Series, field: str, message: Problem | None = None) -> None:
        for number in mask.index[mask.to_numpy()]:
            text = message or problem("not_valid", value=said(cells[field].cell(number)))
            errors.append(RowError(file, sheet.name, int(number), header_name.get(field), text))

    amounts = cells["amount"]
    cents, bad_amounts, implausible = (
        s[keep] for s in map(amounts.spread, read_amounts(amounts.values, decimal, max_abs_cents))
    )
    for mask, message in (
        (bad_amounts, lambda v: problem("not_amount", value=said(v), decimal=said(decimal))),
        (implausible, lambda v: implausible_amount_message(v, max_abs_cents)),
    ):
        for number in mask.index[mask.to_numpy()]:
            text = message(amounts.cell(number))
            errors.append(RowError(file, sheet.name, int(number), header_name["amount"], text))
    if profile.credit_marker is not None:
        markers = converted("debit_credit", lambda values: values.map(header_key))
        cents, sign_errors = _apply_debit_credit(markers, cents, profile)
        reject(sign_errors, "debit_credit", _marker_message(profile))
    for number in bad_dates.index[bad_dates.to_numpy()]:
        value = cells["booking_date"].cell(number)
        errors.append(
            RowError(
                file,
                sheet.name,
                int(number),
                header_name["booking_date"],
                problem("not_date", value=said(value)),
            )
        )

    frame = pd.DataFrame(index=rows)
    frame["booking_date"] = dates
    for field in (*CODE_FIELDS, "text", "debit_credit"):
        frame[field] = converted(field, normalise_codes) if field in cells else None
    frame["amount_cents"] = cents
    for field in ("fiscal_year", "line_no"):
        if field in cells:
            whole, bad = (
                s[keep] for s in map(cells[field].spread, parse_whole_numbers(cells[field].values))
            )
            reject(bad, field, problem("not_whole_number", column=said(header_name[field])))
            frame[field] = whole
        else:
            frame[field] = pd.Series(pd.NA, index=rows, dtype="Int64")
    frame["fiscal_year"] = frame["fiscal_year"].fillna(dates.dt.year.astype("Int64"))

    for field in profile.required_values:
        reject(blanks[field][keep], field, problem("empty_cell", column=said(header_name[field])))

    frame["sheet"] = sheet.name
    frame["row"] = frame.index.astype("int64")
    bad_rows = {e.row for e in errors}
    good = frame[~frame.index.isin(list(bad_rows))].copy()
    good["key_hash"], good["content_hash"] = identity_hashes(good, profile.key)
    return _ParsedChunk(
        good=good,
        errors=errors,
        rows=len(rows),
        skipped_blank=int(blank.sum()),
        totals=totals,
        skipped_header=len(repeated),
        total_cents=exact_sum(cents),
        last_total=_last_total(data, totals[-1] - first_number, match, decimal) if totals else None,
    )


def _distinct_cells(
    data: Sequence[list[object]] | TextChunk,
    match: HeaderMatch,
    numbers: pd.RangeIndex,
    decimal: str,
) -> dict[str, DistinctCells]:
    """Each mapped field's cells of these rows as distinct values; text columns only where
    they read as their cells would (raises CellsDiffer otherwise)."""
    if isinstance(data, TextChunk):
        cells = {}
        for name, index in match.columns.items():
            column = data.column(index)
            if column is None:
                column = pl.Series(name, [None] * len(data), dtype=pl.String)
            distinct = DistinctCells.of_text(column, numbers)
            require_alike(_FIELD_KIND.get(name, "code"), _texts(distinct), decimal)
            cells[name] = distinct
        return cells
    # Transposed in C; rows of a CSV may be shorter than the header, zip_longest pads them.
    by_column = list(zip_longest(*data))
    empty = (None,) * len(data)
    return {
        name: DistinctCells.of(
            pd.Series(by_column[index] if index < len(by_column) else empty, dtype=object).set_axis(
                numbers
            )
        )
        for name, index in match.columns.items()
    }


# How a field's cells are read, for `imports.text_cells` (every other field is a code).
_FIELD_KIND = {"amount": "amount", "booking_date": "date"}


def _texts(distinct: DistinctCells) -> pl.Series:
    return pl.Series(distinct.values.iloc[:-1].to_numpy(dtype=object), dtype=pl.String)


def _last_total(
    data: Sequence[list[object]] | TextChunk, position: int, match: HeaderMatch, decimal: str
) -> list[object]:
    """The cells of a sum line, whose amount the control total reads (raises CellsDiffer where
    that text could read otherwise than its cell)."""
    cells = _row(data, position)
    index = match.columns["amount"]
    if isinstance(data, TextChunk) and index < len(cells) and cells[index] is not None:
        require_alike("amount", pl.Series([cells[index]], dtype=pl.String), decimal)
    return cells


def _row(data: Sequence[list[object]] | TextChunk, position: int) -> list[object]:
    return data.row(position) if isinstance(data, TextChunk) else data[position]


def implausible_amount_message(value: object, max_abs_cents: int) -> Problem:
    """Why an amount beyond `[imports] max_abs_amount` is not stored (postings and plan)."""
    return problem("implausible_amount", value=said(value), limit_cents=max_abs_cents)


def _totals_and_repeated_headers(
    data: Sequence[list[object]] | TextChunk,
    first_number: int,
    suspects: pd.Index,
    match: HeaderMatch,
) -> tuple[list[int], list[int]]:
    header = [header_key(match.headers[i]) for i in match.columns.values()]
    totals, repeated = [], []
    for number in suspects:
        cells = _row(data, number - first_number)
        if any(isinstance(c, str) and _TOTAL_CELL.match(c) for c in cells):
            totals.append(int(number))
        elif [
            header_key(cells[i]) if i < len(cells) else "" for i in match.columns.values()
        ] == header:
            repeated.append(int(number))
    return totals, repeated


def _apply_debit_credit(
    marker: pd.Series, cents: pd.Series, profile: Profile
) -> tuple[pd.Series, pd.Series]:
    """Soll positive, Haben negative: with a credit marker the amount's own sign is ignored.

    marker: the debit/credit cells as `header_key` compares them; profile has a credit_marker."""
    assert profile.credit_marker is not None
    credit = marker.eq(profile.credit_marker.casefold())
    known = credit | (
        marker.eq(profile.debit_marker.casefold()) if profile.debit_marker else marker.ne("")
    )
    magnitude = cents.abs()
    return magnitude.where(~credit, -magnitude), ~known


def _marker_message(profile: Profile) -> Problem:
    allowed = [m for m in (profile.debit_marker, profile.credit_marker) if m]
    return problem("debit_credit_marker", markers=listed(allowed))


def _control_total_warnings(
    last: Sequence[object], row: int, match: HeaderMatch, total_cents: int, decimal: str
) -> list[Problem]:
    """Compare the export's own final sum line (its cells and row number) with the rows we
    read."""
    index = match.columns["amount"]
    cell = pd.Series([last[index] if index < len(last) else None], dtype=object)
    stated, bad = parse_amount_cents(cell, decimal)
    if bad.iloc[0] or pd.isna(stated.iloc[0]):
        return []
    if match.profile.credit_marker is not None:
        return []  # SAP sum lines are unsigned per S/H; not comparable to the signed total
    if int(stated.iloc[0]) != total_cents:
        return [
            problem(
                "sum_line_differs",
                row=row,
                stated_cents=int(stated.iloc[0]),
                total_cents=total_cents,
            )
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
                        problem("same_key", key=", ".join(profile.key), others=others),
                    )
                )
    keep = ~good["key_hash"].isin(conflicting_keys)
    deduplicated = good[keep].drop_duplicates("key_hash", keep="first")
    duplicates = int(keep.sum()) - len(deduplicated)
    return deduplicated, duplicates, conflicts
