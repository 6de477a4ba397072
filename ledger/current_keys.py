"""An export compared with the current postings of its fiscal years, in memory, slice by slice.

When the profile's key holds the fiscal year, an export's keys can only be among the postings of
the years it covers. Each current posting of those years is read as one text, its key hash and
content hash joined (`key_hash || content_hash`), and set against the export's in polars: a pair
found on both sides is a duplicate, and only the pairs found on one side are looked at further
(new or corrected rows of the export; postings it holds otherwise or not at all). Of the
postings, those of the months the export covers and the current versions of keys it corrects
are then fetched by key, with their ids, versions and booking days: a month's export against a
year's ledger fetches its own month, not the year.

Why this shape (issue 19, measured at 1,000,000 postings): the export's keys in a temporary table
with one index lookup per key took about 9 s CPU; reading every posting's six columns (keys, id,
version, year, day) and joining in polars 2.2 s; one text per posting 1.3 s, since the cost is
the driver making a Python object per value. The keys are taken in four slices by their first hex
digit, each a scan of the years' postings: all at once added about 450 MiB to the import's peak
memory. A key without the fiscal year, which could match a posting of any year, compares inside
the database (`ledger.posting_queries.export_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import polars as pl
from sqlalchemy import Connection, Select, String, cast, select

from ledger.models import Posting
from ledger.posting_queries import current_filter

# Rows fetched and turned into columns at a time: only these exist as Python objects at once.
_FETCH_ROWS = 100_000
# Key slices by first hex digit: what one slice's frames and joins hold in memory.
_SLICES = (("0", "4"), ("4", "8"), ("8", "c"), ("c", "g"))
# Keys looked up per query among the postings that differ from the export (bound parameters).
_KEYS_PER_QUERY = 500
_HASH_LENGTH = 64
_DETAILS = {
    "key_hash": pl.String,
    "posting_id": pl.Int64,
    "version": pl.Int64,
    "fiscal_year": pl.Int64,
    "booking_date": pl.String,
}


@dataclass(frozen=True)
class YearComparison:
    """changed: as `ledger.posting_queries.changed_versions` (key_hash, posting_id, version of
    every export key whose current version has other content, or none: <NA>); disappeared and
    example_ids: as `missing_from_export`, the count and the first ids, oldest first."""

    changed: pd.DataFrame
    disappeared: int
    example_ids: list[int]


def compare_years(
    connection: Connection,
    fiscal_years: list[int],
    postings: pd.DataFrame,
    totals: pd.DataFrame,
    examples: int,
) -> YearComparison:
    """The export (`postings`, with `totals` its month_totals) against the current postings of
    its fiscal years: which keys are new or changed, and which postings of its months it lacks."""
    months = pl.DataFrame(
        {"fiscal_year": totals["fiscal_year"].tolist(), "month": totals["month"].tolist()},
        schema={"fiscal_year": pl.Int64, "month": pl.String},
    )
    keys = pl.Series(postings["key_hash"].to_numpy(dtype=object), dtype=pl.String)
    pairs = keys + pl.Series(postings["content_hash"].to_numpy(dtype=object), dtype=pl.String)
    # Both sides' pairs that the other side lacks: export rows new or changed, and postings
    # the export holds with other content or not at all.
    other, stale = [], []
    for low, high in _SLICES:
        exported = pl.DataFrame({"pair": pairs.filter(((keys >= low) & (keys < high)).to_numpy())})
        current = _current_pairs(connection, fiscal_years, low, high)
        other.append(exported.join(current.select("pair"), on="pair", how="anti"))
        stale.append(current.join(exported, on="pair", how="anti"))
    other_keys = pl.concat(other)["pair"].str.slice(0, _HASH_LENGTH).alias("key_hash")
    # Of the postings the export lacks as they are, only two kinds matter: those of the months
    # it covers (gone, or corrected), and the current version of a key it corrects, booked in
    # whichever month. A month's export against a year's ledger leaves the rest of the year
    # unread.
    pair = 2 * _HASH_LENGTH
    lacking = pl.concat(stale).select(
        key_hash=pl.col("pair").str.slice(0, _HASH_LENGTH),
        month=pl.col("text").str.slice(pair, 7),
        fiscal_year=pl.col("text").str.split("|").list.last().cast(pl.Int64),
    )
    stale_keys = pl.concat(
        [
            lacking.join(months, on=["fiscal_year", "month"], how="semi")["key_hash"],
            lacking.join(other_keys.to_frame(), on="key_hash", how="semi")["key_hash"],
        ]
    ).unique()
    details = _current_details(connection, stale_keys.to_list())
    # in slice order: the caller merges it into the export's order
    found = other_keys.to_frame().join(details, on="key_hash", how="left")
    gone = (
        details.join(keys.alias("key_hash").to_frame(), on="key_hash", how="anti")
        .with_columns(month=pl.col("booking_date").str.slice(0, 7))
        .join(months, on=["fiscal_year", "month"], how="semi")
        .sort("posting_id")["posting_id"]
    )
    return YearComparison(
        changed=pd.DataFrame(
            {
                "key_hash": found["key_hash"].to_list(),
                "posting_id": pd.array(found["posting_id"].to_list(), dtype="Int64"),
                "version": pd.array(found["version"].to_list(), dtype="Int64"),
            }
        ),
        disappeared=gone.len(),
        example_ids=gone.head(examples).to_list(),
    )


def _current_pairs(
    connection: Connection, fiscal_years: list[int], low: str, high: str
) -> pl.DataFrame:
    """text and pair of every current posting of these fiscal years whose key lies in
    [low, high): one text per posting, `key_hash || content_hash` (its pair) followed by the
    ISO booking day, "|" and the fiscal year, which are taken apart only for the few postings that
    need them."""
    text = (
        Posting.key_hash
        + Posting.content_hash
        + cast(Posting.booking_date, String)  # ISO: YYYY-MM-DD
        + "|"
        + cast(Posting.fiscal_year, String)
    )
    query = select(text).where(
        current_filter(),
        Posting.fiscal_year.in_(fiscal_years),
        # Compared as `key_hash || ''`, which keeps SQLite from walking the key index (a random
        # read per posting): the scan follows the table.
        (Posting.key_hash + "") >= low,
        (Posting.key_hash + "") < high,
    )
    return _fetch(connection, query, {"text": pl.String}).with_columns(
        pair=pl.col("text").str.slice(0, 2 * _HASH_LENGTH)
    )


def _current_details(connection: Connection, keys: list[str]) -> pl.DataFrame:
    """Key hash, id, version, fiscal year and ISO booking day of the current postings with
    these keys."""
    parts = [
        _fetch(connection, details_query(part), _DETAILS)
        for part in _batched(keys, _KEYS_PER_QUERY)
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=_DETAILS)


def details_query(keys: list[str]) -> Select:
    """The current postings with these keys, found by the key index. (Not also by fiscal year,
    which the keys hold: SQLite would then walk the year's postings through the year's index,
    about a second per query at a million postings.)"""
    return select(
        Posting.key_hash,
        Posting.id,
        Posting.version,
        Posting.fiscal_year,
        cast(Posting.booking_date, String),  # ISO text, without a date object per row
    ).where(current_filter(), Posting.key_hash.in_(keys))


def _batched(items: list[str], size: int) -> Iterable[list[str]]:
    return (items[start : start + size] for start in range(0, len(items), size))


def _fetch(connection: Connection, query: Select, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The query's rows as a polars frame, through the driver's cursor: SQLAlchemy's row
    objects cost more than the rows' reading."""
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters = (
        [compiled.params[name] for name in compiled.positiontup or ()]
        if compiled.positional
        else compiled.params
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        parts = []
        while rows := cursor.fetchmany(_FETCH_ROWS):
            parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)
