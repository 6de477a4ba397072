"""An export compared with the current postings of its fiscal years, in memory, slice by slice.

When the profile's key holds the fiscal year, an export's keys can only be among the postings of
the years it covers. Each current posting of those years is read as one text: its key hash and
content hash (together its pair), its booking day, fiscal year, id and version. The pairs are set
against the export's in polars: a pair found on both sides is a duplicate, and only the pairs
found on one side are taken apart further (new or corrected rows of the export; postings it
holds otherwise or not at all).

Why this shape (issue 19, measured at 1,000,000 postings): the export's keys in a temporary table
with one index lookup per key took about 9 s CPU; reading every posting's six columns and joining
in polars 2.2 s; one text per posting 1.3 s, since the cost is the driver making a Python object
per value. The keys are taken in four slices by their first hex digit, each a scan of the years'
postings: all at once added about 450 MiB to the import's peak memory. A key without the fiscal
year, which could match a posting of any year, compares inside the database
(`ledger.posting_queries.export_keys`).
"""

from __future__ import annotations

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
_HASH_LENGTH = 64
_PAIR_LENGTH = 2 * _HASH_LENGTH


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
        current = _current_texts(connection, fiscal_years, low, high)
        other.append(exported.join(current.select("pair"), on="pair", how="anti"))
        stale.append(current.join(exported, on="pair", how="anti"))
    lacking = _taken_apart(pl.concat(stale)["text"])
    # in slice order: the caller merges it into the export's order
    found = (
        pl.concat(other)
        .select(key_hash=pl.col("pair").str.slice(0, _HASH_LENGTH))
        .join(lacking.select("key_hash", "posting_id", "version"), on="key_hash", how="left")
    )
    gone = (
        lacking.join(keys.alias("key_hash").to_frame(), on="key_hash", how="anti")
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


def _current_texts(
    connection: Connection, fiscal_years: list[int], low: str, high: str
) -> pl.DataFrame:
    """text and pair of every current posting of these fiscal years whose key lies in
    [low, high): one text per posting, `key_hash || content_hash` (its pair) followed by the
    ISO booking day and "|"-separated its fiscal year, id and version (`_taken_apart`)."""
    text = (
        Posting.key_hash
        + Posting.content_hash
        + cast(Posting.booking_date, String)  # ISO: YYYY-MM-DD
        + "|"
        + cast(Posting.fiscal_year, String)
        + "|"
        + cast(Posting.id, String)
        + "|"
        + cast(Posting.version, String)
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
        pair=pl.col("text").str.slice(0, _PAIR_LENGTH)
    )


def _taken_apart(texts: pl.Series) -> pl.DataFrame:
    """key_hash, month ("2024-03"), fiscal_year, posting_id and version of `_current_texts`'s
    texts (only of the few postings that differ from the export)."""
    parts = texts.str.split("|")
    return pl.DataFrame(
        {
            "key_hash": texts.str.slice(0, _HASH_LENGTH),
            "month": texts.str.slice(_PAIR_LENGTH, 7),
            "fiscal_year": parts.list.get(1).cast(pl.Int64),
            "posting_id": parts.list.get(2).cast(pl.Int64),
            "version": parts.list.get(3).cast(pl.Int64),
        }
    )


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
