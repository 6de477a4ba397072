"""An export compared with the current postings of its fiscal years, in memory, slice by slice.

When the profile's key holds the fiscal year, an export's keys can only be among the postings of
the years it covers, so those postings' keys and content hashes are read, in file order, and
joined with the export's in polars. The other way, the export's keys in a temporary table and
one index lookup per key and per ledger posting (`ledger.posting_queries.export_keys`), took
about 9 s CPU for a re-export of 1,000,000 postings (issue 19). The keys are taken in slices by
their first hex digit, each a scan of the years' postings: all of them at once added about
450 MiB to the import's peak memory (1.68 times the reader's, against a goal of 1.5). A key
without the fiscal year, which could match a posting of any year, compares inside the database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import polars as pl
from sqlalchemy import Connection, String, cast, select

from ledger.models import Posting
from ledger.posting_queries import current_filter

# Rows fetched and turned into columns at a time: only these exist as Python objects at once.
_FETCH_ROWS = 100_000
# Key slices by first hex digit: what one slice's frames and joins hold in memory.
_SLICES = (("0", "4"), ("4", "8"), ("8", "c"), ("c", "g"))
_SCHEMA = {
    "key_hash": pl.String,
    "content_hash": pl.String,
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
    contents = pl.Series(postings["content_hash"].to_numpy(dtype=object), dtype=pl.String)
    changed, missing = [], []
    for low, high in _SLICES:
        inside = ((keys >= low) & (keys < high)).to_numpy()
        exported = pl.DataFrame(
            {"key_hash": keys.filter(inside), "content_hash": contents.filter(inside)}
        )
        current = _current_versions(connection, fiscal_years, low, high)
        # The pairs the ledger does not hold are few; only they are joined to their versions.
        other = exported.join(current, on=["key_hash", "content_hash"], how="anti")
        changed.append(
            other.join(
                current.select("key_hash", "posting_id", "version"), on="key_hash", how="left"
            )
        )
        missing.append(
            current.join(exported, on="key_hash", how="anti")
            .with_columns(month=pl.col("booking_date").str.slice(0, 7))
            .join(months, on=["fiscal_year", "month"], how="semi")
            .select("posting_id")
        )
    found = pl.concat(changed)  # in slice order: the caller merges it into the export's order
    gone = pl.concat(missing).sort("posting_id")["posting_id"]
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


def _current_versions(
    connection: Connection, fiscal_years: list[int], low: str, high: str
) -> pl.DataFrame:
    """Key and content hash, id, version, fiscal year and ISO booking day of every current
    posting of these fiscal years whose key lies in [low, high)."""
    query = select(
        Posting.key_hash,
        Posting.content_hash,
        Posting.id,
        Posting.version,
        Posting.fiscal_year,
        cast(Posting.booking_date, String),  # ISO text, without a date object per row
    ).where(
        current_filter(),
        Posting.fiscal_year.in_(fiscal_years),
        # Compared as `key_hash || ''`, which keeps SQLite from walking the key index (a random
        # read per posting): the scan follows the table.
        (Posting.key_hash + "") >= low,
        (Posting.key_hash + "") < high,
    )
    # Through the driver's cursor: SQLAlchemy's row objects cost more than the rows' reading.
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
            parts.append(pl.DataFrame(rows, schema=_SCHEMA, orient="row"))
    finally:
        cursor.close()
    return pl.concat(parts) if parts else pl.DataFrame(schema=_SCHEMA)
